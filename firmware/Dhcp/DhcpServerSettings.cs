using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>
    /// The LAN DHCP server's configuration, part of <see cref="Config.RouterConfig"/> (<c>RouterConfig.Dhcp</c>): the
    /// configuration in force and the server share this object, so applying a configuration updates the server.
    /// </summary>
    public sealed class DhcpServerSettings
    {
        /// <summary>Host numbers of the factory pool (192.168.1.100-199 on the factory LAN).</summary>
        public const uint DefaultPoolFirstHost = 100;
        public const uint DefaultPoolLastHost = 199;

        public bool Enabled = true;
        /// <summary>First and last address handed out; addresses outside the LAN subnet are never offered.</summary>
        public uint PoolStart = Ipv4Address.Make(192, 168, 1, 100);
        public uint PoolEnd = Ipv4Address.Make(192, 168, 1, 199);
        public uint LeaseSeconds = 43200;
        /// <summary>DNS servers handed out; when both are 0 the WAN's (configured or learned by the DHCP client) are used.</summary>
        public uint Dns1;
        public uint Dns2;
        /// <summary>Shortest gap between two lease-store writes, so a burst of changes costs one flash erase (not stored in the config).</summary>
        public uint LeaseStoreIntervalSeconds = 120;
        public readonly DhcpReservations Reservations;

        public DhcpServerSettings(int reservationCapacity)
        {
            Reservations = new DhcpReservations(reservationCapacity);
        }

        public bool UsesWanDns { get { return Dns1 == 0 && Dns2 == 0; } }

        public bool InPool(uint address)
        {
            return address >= PoolStart && address <= PoolEnd;
        }

        /// <summary>
        /// Sets the factory pool for a LAN: host numbers 100-199 of a /24 or larger subnet, every host of a smaller one,
        /// cut at the router's address (the longer side is kept). Configurations older than format 3 get their pool this way.
        /// </summary>
        public void UseDefaultPool(uint lanAddress, int lanPrefixLength)
        {
            uint network = lanAddress & Ipv4Address.Mask(lanPrefixLength);
            uint broadcast = network | ~Ipv4Address.Mask(lanPrefixLength);
            uint start = lanPrefixLength <= 24 ? network + DefaultPoolFirstHost : network + 1;
            uint end = lanPrefixLength <= 24 ? network + DefaultPoolLastHost : broadcast - 1;
            if (lanAddress >= start && lanAddress <= end)
            {
                if (lanAddress - start >= end - lanAddress) end = lanAddress - 1;
                else start = lanAddress + 1;
            }
            PoolStart = start;
            PoolEnd = end;
        }

        /// <summary>Copies every setting and reservation; returns false (copying nothing) if the reservations do not fit.</summary>
        public bool CopyFrom(DhcpServerSettings other)
        {
            if (!Reservations.CopyFrom(other.Reservations)) return false;
            Enabled = other.Enabled;
            PoolStart = other.PoolStart;
            PoolEnd = other.PoolEnd;
            LeaseSeconds = other.LeaseSeconds;
            Dns1 = other.Dns1;
            Dns2 = other.Dns2;
            LeaseStoreIntervalSeconds = other.LeaseStoreIntervalSeconds;
            return true;
        }
    }
}
