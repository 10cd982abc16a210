namespace Router
{
    /// <summary>
    /// Every counter the data plane keeps, in one array so status pages and tests read them uniformly.
    /// Each received frame ends in exactly one of Forwarded, Consumed, a drop reason, or is still held for ARP.
    /// The dispatch path returns the index of the counter that records a frame's outcome (ArpHeld for a frame that waits
    /// for its next hop; it later counts as Forwarded or DropArpTimeout); its stages' other results are <see cref="Verdict"/>s.
    /// </summary>
    public sealed class Counters
    {
        // Outcomes of a received frame.
        public const int FramesReceived = 0;
        public const int Forwarded = 1;
        public const int Consumed = 2;

        // Drop reasons (each also counts toward DroppedTotal).
        public const int FirstDrop = 3;
        public const int DropRunt = 3;
        public const int DropNotForUs = 4;
        public const int DropUnsupportedEtherType = 5;
        public const int DropArpMalformed = 6;
        public const int DropIpVersion = 7;
        public const int DropIpHeaderLength = 8;
        public const int DropIpTotalLength = 9;
        public const int DropIpChecksum = 10;
        public const int DropTtlExpired = 11;
        public const int DropSpoofedSource = 12;
        public const int DropNotRoutable = 13;
        public const int DropUnsolicited = 14;
        public const int DropConntrackFull = 15;
        public const int DropNatPortsExhausted = 16;
        public const int DropTransportTruncated = 17;
        public const int DropTcpInvalid = 18;
        public const int DropFragmentUnknown = 19;
        public const int DropIcmpUnsupported = 20;
        public const int DropIcmpErrorUnmatched = 21;
        public const int DropArpQueueFull = 22;
        public const int DropArpTimeout = 23;
        public const int DropTransmitFailed = 24;
        public const int DropHelper = 25;
        public const int DropTooBig = 26;
        /// <summary>TCP outside the receiver's window, acknowledging unsent data, or an RST that is not exact (netfilter's tcp_in_window).</summary>
        public const int DropTcpOutOfWindow = 27;
        /// <summary>A TCP or UDP checksum that does not verify, on a packet that would open a flow or an RST.</summary>
        public const int DropTransportChecksum = 28;
        /// <summary>A new flow whose tuple (either direction) another connection already holds (netfilter's nf_conntrack_tuple_taken).</summary>
        public const int DropTupleTaken = 29;
        // The router's own TCP (firmware/Tcp): segments it refuses.
        public const int DropTcpChecksum = 30;
        public const int DropLocalTcpOutOfWindow = 31;
        public const int DropTcpOutOfOrder = 32;
        public const int DropTcpMalformed = 33;
        public const int DropTcpNoSlot = 34;
        // Ingress screening (firmware/Ip/IngressScreen, LanSourceGuard) and ARP learning rules.
        /// <summary>A source no host may send from: 0/8 (but a DHCP client's 0.0.0.0), 127/8, multicast, 240/4, broadcast, the router's own addresses.</summary>
        public const int DropMartianSource = 35;
        /// <summary>A destination no packet may go to: 0/8, 127/8, 240/4, multicast, the limited broadcast (but DHCP to the router).</summary>
        public const int DropMartianDestination = 36;
        /// <summary>An IPv4 loose or strict source route option (RFC 7126 4.3, 4.4) while source-routed packets are not allowed.</summary>
        public const int DropSourceRouted = 37;
        /// <summary>A TCP fragment at offset 1 (8 bytes), which could overwrite the first fragment's flags (RFC 1858 3.4).</summary>
        public const int DropTinyFragment = 38;
        /// <summary>A LAN frame whose source address is leased or reserved to another MAC (the LAN source guard).</summary>
        public const int DropLanSourceSpoofed = 39;
        /// <summary>An ARP packet whose sender is a broadcast, multicast or zero MAC, or claims one of the router's own addresses.</summary>
        public const int DropArpBogusSender = 40;
        public const int LastDrop = 40;

        // Activity.
        public const int BytesReceived = 41;
        public const int FramesSent = 42;
        public const int BytesSent = 43;
        public const int EchoReplies = 44;
        public const int TimeExceededSent = 45;
        public const int IcmpRateLimited = 46;
        public const int MssClamped = 47;
        public const int ArpRequestsSent = 48;
        public const int ArpRepliesSent = 49;
        public const int IcmpErrorsTranslated = 50;
        public const int FragmentsTranslated = 51;
        public const int FragmentTableEvictions = 52;
        public const int ArpHeld = 53;
        /// <summary>TCP segments passed without changing their connection (retransmitted acknowledged data, a SYN on an established flow, a challenge ACK, an inexact in-window RST).</summary>
        public const int TcpIgnored = 54;
        public const int TcpAccepted = 55;
        public const int TcpResetsSent = 56;
        public const int TcpRetransmits = 57;
        public const int TcpHalfOpenEvicted = 58;
        public const int TcpEvicted = 59;
        public const int TcpTimedOut = 60;
        /// <summary>New outbound connections not given their inside source port outside because a forward, a trigger or a service of the router holds it (port shadowing).</summary>
        public const int NatShadowAvoided = 61;
        public const int Count = 62;

        private static readonly string[] Names =
        {
            "frames_received", "forwarded", "consumed",
            "drop_runt", "drop_not_for_us", "drop_unsupported_ethertype", "drop_arp_malformed",
            "drop_ip_version", "drop_ip_header_length", "drop_ip_total_length", "drop_ip_checksum",
            "drop_ttl_expired", "drop_spoofed_source", "drop_not_routable", "drop_unsolicited",
            "drop_conntrack_full", "drop_nat_ports_exhausted", "drop_transport_truncated", "drop_tcp_invalid",
            "drop_fragment_unknown", "drop_icmp_unsupported", "drop_icmp_error_unmatched",
            "drop_arp_queue_full", "drop_arp_timeout", "drop_transmit_failed", "drop_helper", "drop_too_big",
            "drop_tcp_out_of_window", "drop_transport_checksum", "drop_tuple_taken",
            "drop_tcp_checksum", "drop_local_tcp_out_of_window", "drop_tcp_out_of_order", "drop_tcp_malformed", "drop_tcp_no_slot",
            "drop_martian_source", "drop_martian_destination", "drop_source_routed", "drop_tiny_fragment", "drop_lan_source_spoofed",
            "drop_arp_bogus_sender",
            "bytes_received", "frames_sent", "bytes_sent", "echo_replies", "time_exceeded_sent",
            "icmp_rate_limited", "mss_clamped", "arp_requests_sent", "arp_replies_sent",
            "icmp_errors_translated", "fragments_translated", "fragment_table_evictions", "arp_held", "tcp_ignored",
            "tcp_accepted", "tcp_resets_sent", "tcp_retransmits", "tcp_half_open_evicted", "tcp_evicted", "tcp_timed_out",
            "nat_shadow_avoided",
        };

        private readonly long[] _values = new long[Count];

        public long this[int counter] { get { return _values[counter]; } }

        public void Increment(int counter) { _values[counter]++; }

        public void Add(int counter, long amount) { _values[counter] += amount; }

        public static string Name(int counter) { return Names[counter]; }

        public static bool IsDrop(int counter) { return counter >= FirstDrop && counter <= LastDrop; }

        public long DroppedTotal
        {
            get
            {
                long sum = 0;
                for (int i = FirstDrop; i <= LastDrop; i++) sum += _values[i];
                return sum;
            }
        }

        public void Reset()
        {
            for (int i = 0; i < Count; i++) _values[i] = 0;
        }
    }
}
