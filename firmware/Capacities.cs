namespace Router
{
    /// <summary>Every fixed table size of the data plane. A board profile chooses them; nothing grows at run time.</summary>
    public sealed class Capacities
    {
        /// <summary>Tracked connections (at most 32767).</summary>
        public int Connections = 1024;
        /// <summary>Endpoint-independent NAT mappings (inside host and port to an outside port).</summary>
        public int NatMappings = 1024;
        public int ArpEntries = 32;
        /// <summary>Frames held while their next hop is being resolved.</summary>
        public int ArpPending = 4;
        /// <summary>Datagrams whose later fragments are being translated.</summary>
        public int Fragments = 8;
        /// <summary>Largest Ethernet frame handled, without FCS (1514 for a 1500-byte MTU).</summary>
        public int FrameSize = 1514;
        /// <summary>Helper expectations (FTP data connections awaited).</summary>
        public int Expectations = 16;
        /// <summary>Connections a helper can inspect at once (FTP control connections).</summary>
        public int HelperConnections = 8;
        public int PortForwards = 32;
        public int PortTriggers = 16;
        /// <summary>DHCP leases the LAN server tracks (offers, bindings, declined addresses).</summary>
        public int DhcpLeases = 64;
        /// <summary>Static DHCP reservations (MAC to fixed address).</summary>
        public int DhcpReservations = 16;
        /// <summary>The web server's request/response buffer per connection; grown to fit the longest rule list as JSON.</summary>
        public int HttpBufferBytes = 8192;
        /// <summary>Connections the router's own TCP holds at once (the web UI's slots); each has the two buffers below.</summary>
        public int TcpConnections = 4;
        /// <summary>Connections still in the handshake (SYN received) at most; a SYN beyond evicts the oldest of them.</summary>
        public int TcpBacklog = 2;
        /// <summary>Receive buffer per connection: the fixed receive window.</summary>
        public int TcpReceiveBytes = 2048;
        /// <summary>Send buffer per connection: data written and not yet acknowledged.</summary>
        public int TcpSendBytes = 4096;
    }
}
