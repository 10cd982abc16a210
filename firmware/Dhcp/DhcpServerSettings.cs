using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>The LAN DHCP server's configuration (loaded from the config store on a board).</summary>
    public sealed class DhcpServerSettings
    {
        public bool Enabled = true;
        /// <summary>First and last address handed out; addresses outside the LAN subnet are never offered.</summary>
        public uint PoolStart = Ipv4Address.Make(192, 168, 1, 100);
        public uint PoolEnd = Ipv4Address.Make(192, 168, 1, 199);
        public uint LeaseSeconds = 43200;
        /// <summary>DNS servers handed out; when both are 0 the WAN's (configured or learned by the DHCP client) are used.</summary>
        public uint Dns1;
        public uint Dns2;
        /// <summary>Shortest gap between two lease-store writes, so a burst of changes costs one flash erase.</summary>
        public uint LeaseStoreIntervalSeconds = 120;
        public readonly DhcpReservations Reservations;

        public DhcpServerSettings(int reservationCapacity)
        {
            Reservations = new DhcpReservations(reservationCapacity);
        }

        public bool InPool(uint address)
        {
            return address >= PoolStart && address <= PoolEnd;
        }
    }
}
