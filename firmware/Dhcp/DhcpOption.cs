namespace Router.Dhcp
{
    /// <summary>DHCP option codes used here (RFC 2132).</summary>
    public static class DhcpOption
    {
        public const int Pad = 0;
        public const int SubnetMask = 1;
        public const int Router = 3;
        public const int DnsServers = 6;
        public const int HostName = 12;
        public const int RequestedAddress = 50;
        public const int LeaseTime = 51;
        public const int Overload = 52;
        public const int MessageType = 53;
        public const int ServerIdentifier = 54;
        public const int ParameterRequestList = 55;
        public const int RenewalTime = 58;
        public const int RebindingTime = 59;
        public const int End = 255;
    }
}
