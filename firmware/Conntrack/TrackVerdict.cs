namespace Router.Conntrack
{
    /// <summary>What connection tracking decided for a packet of a known connection.</summary>
    public enum TrackVerdict
    {
        /// <summary>The connection advanced (or was left alone for a harmless packet): translate and send it on.</summary>
        Accept,
        /// <summary>A SYN starting over on a closed or aborted connection: free the entry and look again (netfilter's tcp_new on a dead flow).</summary>
        Reopen,
        /// <summary>Dropped, nothing changed; <see cref="ConnectionTracker.DropReason"/> names the counter.</summary>
        Drop,
    }
}
