namespace Router.Dhcp
{
    /// <summary>Where the WAN address comes from (<see cref="RouterSettings.WanAddressing"/>).</summary>
    public static class WanAddressing
    {
        /// <summary>Address, prefix, gateway and DNS are configured by hand.</summary>
        public const int Static = 0;
        /// <summary>The DHCP client obtains them from the ISP's server and keeps them renewed.</summary>
        public const int Dhcp = 1;
    }
}
