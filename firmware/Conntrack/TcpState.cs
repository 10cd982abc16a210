namespace Router.Conntrack
{
    /// <summary>TCP connection states as a middlebox sees them (the netfilter model).</summary>
    public static class TcpState
    {
        public const int None = 0;
        public const int SynSent = 1;
        public const int SynReceived = 2;
        public const int Established = 3;
        public const int FinWait = 4;
        public const int CloseWait = 5;
        public const int LastAck = 6;
        public const int TimeWait = 7;
        public const int Close = 8;
        public const int Count = 9;

        /// <summary>Transition result: the segment does not fit the connection and is dropped.</summary>
        public const int Invalid = 254;

        /// <summary>Transition result: the segment passes but does not change the state.</summary>
        public const int Ignore = 255;

        public static string Name(int state)
        {
            switch (state)
            {
                case None: return "NONE";
                case SynSent: return "SYN_SENT";
                case SynReceived: return "SYN_RECV";
                case Established: return "ESTABLISHED";
                case FinWait: return "FIN_WAIT";
                case CloseWait: return "CLOSE_WAIT";
                case LastAck: return "LAST_ACK";
                case TimeWait: return "TIME_WAIT";
                case Close: return "CLOSE";
                default: return "?";
            }
        }
    }
}
