using Router.Wire;

namespace Router.Conntrack
{
    /// <summary>
    /// Idle timeouts in seconds. Defaults respect the NAT behaviour RFCs: established TCP at least 2 h 4 min
    /// (RFC 5382 REQ-5) and transitory (partially open or closing) TCP at least 4 min (same REQ), UDP at least 2 min (RFC 4787 REQ-5), ICMP queries at least 60 s (RFC 5508 REQ-1).
    /// </summary>
    public sealed class ConntrackTimeouts
    {
        public const int MinimumTcpEstablished = 7440;
        public const int MinimumTcpTransitory = 240;
        public const int MinimumUdp = 120;
        public const int MinimumIcmp = 60;

        private readonly int[] _tcp = new int[TcpState.Count];

        public int UdpUnreplied = 120;
        public int UdpAssured = 300;
        public int Icmp = 60;

        public ConntrackTimeouts()
        {
            _tcp[TcpState.None] = 10;
            _tcp[TcpState.SynSent] = MinimumTcpTransitory;
            _tcp[TcpState.SynReceived] = MinimumTcpTransitory;
            _tcp[TcpState.Established] = MinimumTcpEstablished;
            _tcp[TcpState.FinWait] = MinimumTcpTransitory;
            _tcp[TcpState.CloseWait] = MinimumTcpTransitory;
            _tcp[TcpState.LastAck] = MinimumTcpTransitory;
            _tcp[TcpState.TimeWait] = MinimumTcpTransitory;
            _tcp[TcpState.Close] = 10;
        }

        public int TcpEstablished
        {
            get { return _tcp[TcpState.Established]; }
            set { _tcp[TcpState.Established] = value; }
        }

        public int Tcp(int state)
        {
            return _tcp[state];
        }

        /// <summary>The idle timeout of a connection of <paramref name="protocol"/> in <paramref name="state"/>.</summary>
        public int For(int protocol, int state, bool assured)
        {
            if (protocol == IpProtocol.Tcp) return _tcp[state];
            if (protocol == IpProtocol.Udp) return assured ? UdpAssured : UdpUnreplied;
            return Icmp;
        }
    }
}
