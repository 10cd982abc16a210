namespace Router.Conntrack
{
    /// <summary>What TCP tracking decided about one segment of a known connection (netfilter's nf_ct_tcp_action plus its repeat).</summary>
    public enum TcpVerdict
    {
        /// <summary>In window: the segment passes and the connection's state and windows moved.</summary>
        Accept,
        /// <summary>The segment passes but changes nothing (netfilter's IGNORE: a retransmission of acknowledged data,
        /// an ACK under the lower bound, a SYN on an established flow, a challenge ACK, an inexact in-window RST).</summary>
        Ignore,
        /// <summary>Against the state machine (flags that make no sense in the state): dropped and counted, nothing changed.</summary>
        Invalid,
        /// <summary>Outside the receiver's window, acknowledging unsent data, or an RST below the peer's highest ACK:
        /// dropped and counted, nothing changed.</summary>
        OutOfWindow,
        /// <summary>A SYN reopening a closed or aborted connection: free the entry and look the packet up again.</summary>
        Reopen,
    }
}
