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

        /// <summary>The states' names in order of their values, then "?" (conntrack's names, as /proc/net/nf_conntrack shows them).</summary>
        public const string NameList = "NONE,SYN_SENT,SYN_RECV,ESTABLISHED,FIN_WAIT,CLOSE_WAIT,LAST_ACK,TIME_WAIT,CLOSE,?";

        /// <summary>A state's name, "?" for any other value (allocates: for diagnostics; the web UI reads <see cref="NameList"/> in place).</summary>
        public static string Name(int state)
        {
            return NameList.Split(',')[state >= 0 && state < Count ? state : Count];
        }
    }
}
