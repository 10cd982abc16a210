using Router.Nat;
using Router.Wire;

namespace Router
{
    /// <summary>Addresses and behaviour knobs the data plane runs with (loaded from the config store on a board).</summary>
    public sealed class RouterSettings
    {
        public uint LanAddress = Ipv4Address.Make(192, 168, 1, 1);
        public int LanPrefixLength = 24;
        public uint WanAddress = Ipv4Address.Make(203, 0, 113, 2);
        public int WanPrefixLength = 24;
        public uint WanGateway = Ipv4Address.Make(203, 0, 113, 1);
        public int WanMtu = 1500;
        /// <summary>How the WAN gets its address: <see cref="Dhcp.WanAddressing.Static"/> (the fields above) or from the ISP's DHCP server.</summary>
        public int WanAddressing = Dhcp.WanAddressing.Static;
        /// <summary>DNS servers on the WAN side, configured or learned by the DHCP client (0: none); the LAN's DHCP server hands them out.</summary>
        public uint WanDns1;
        public uint WanDns2;
        public int NatPortLow = 1024;
        public int NatPortHigh = 65535;
        public int Filtering = NatFiltering.AddressDependent;
        public int IcmpErrorsPerSecond = 10;
        public int IcmpErrorBurst = 10;
        /// <summary>Connections the sweep examines per millisecond of polling; with the default it visits 16384 entries a second.</summary>
        public int SweepPerMillisecond = 16;
        /// <summary>Drop LAN frames whose source address the DHCP server leased or reserved to another MAC (see <see cref="Link.LanSourceGuard"/>).</summary>
        public bool LanSourceGuard = true;
        /// <summary>Forward packets carrying a loose or strict source route option (RFC 7126 4.3, 4.4 recommend dropping them).</summary>
        public bool AllowSourceRouted;
    }
}
