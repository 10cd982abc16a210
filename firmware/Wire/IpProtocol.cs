namespace Router.Wire
{
    /// <summary>IPv4 protocol numbers the router understands.</summary>
    public static class IpProtocol
    {
        public const int Icmp = 1;
        public const int Tcp = 6;
        public const int Udp = 17;
    }
}
