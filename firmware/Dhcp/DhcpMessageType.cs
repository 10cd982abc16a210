namespace Router.Dhcp
{
    /// <summary>Values of option 53 (RFC 2132 section 9.6).</summary>
    public static class DhcpMessageType
    {
        public const int Discover = 1;
        public const int Offer = 2;
        public const int Request = 3;
        public const int Decline = 4;
        public const int Ack = 5;
        public const int Nak = 6;
        public const int Release = 7;
        public const int Inform = 8;
    }
}
