namespace Router.Nat
{
    /// <summary>Which inbound packets an existing mapping admits (RFC 4787 section 5).</summary>
    public static class NatFiltering
    {
        /// <summary>Any outside host may send to the mapped port.</summary>
        public const int EndpointIndependent = 0;
        /// <summary>Only hosts the inside endpoint has sent to (the default, RFC 4787 REQ-8).</summary>
        public const int AddressDependent = 1;
        /// <summary>Only the exact host and port the inside endpoint has sent to.</summary>
        public const int AddressAndPortDependent = 2;
    }
}
