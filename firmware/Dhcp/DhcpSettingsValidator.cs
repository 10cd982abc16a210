using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>
    /// Checks the LAN DHCP server's settings against the LAN prefix; field paths start with "dhcp.". They are checked
    /// even while the server is off, so switching it on never needs another fix. A pool larger than the lease table is
    /// allowed: the table bounds how many clients hold an address at once, the pool only which addresses they get.
    /// </summary>
    public static class DhcpSettingsValidator
    {
        /// <summary>dnsmasq's floor: shorter leases make clients renew every minute.</summary>
        public const uint MinLeaseSeconds = 120;
        /// <summary>30 days.</summary>
        public const uint MaxLeaseSeconds = 2592000;

        public static ValidationResult Validate(DhcpServerSettings s, uint lanAddress, int lanPrefixLength)
        {
            if (!Ipv4Address.IsHostOf(s.PoolStart, lanAddress, lanPrefixLength)) return ValidationResult.Error("dhcp.poolStart", "must be a host address of the LAN prefix");
            if (!Ipv4Address.IsHostOf(s.PoolEnd, lanAddress, lanPrefixLength)) return ValidationResult.Error("dhcp.poolEnd", "must be a host address of the LAN prefix");
            if (s.PoolEnd < s.PoolStart) return ValidationResult.Error("dhcp.poolEnd", "must not be below the pool start");
            if (s.InPool(lanAddress)) return ValidationResult.Error("dhcp.poolStart", "the pool must not contain the router's LAN address " + Ipv4Address.Format(lanAddress));
            if (s.LeaseSeconds < MinLeaseSeconds || s.LeaseSeconds > MaxLeaseSeconds) return ValidationResult.Error("dhcp.leaseSeconds", "must be 120 to 2592000 seconds (30 days)");
            if (s.Dns1 != 0 && !Ipv4Address.IsUnicast(s.Dns1)) return ValidationResult.Error("dhcp.dns1", "must be a unicast address or empty");
            if (s.Dns2 != 0 && !Ipv4Address.IsUnicast(s.Dns2)) return ValidationResult.Error("dhcp.dns2", "must be a unicast address or empty");

            DhcpReservations r = s.Reservations;
            byte[] macs = r.MacBuffer;
            for (int i = 0; i < r.Count; i++)
            {
                int mac = DhcpReservations.MacOffset(i);
                if ((macs[mac] & 0x01) != 0 || IsZero(macs, mac)) return Reservation(i, "mac", "must be a unicast MAC address");
                if (r.IndexOfMac(macs, mac) != i) return Reservation(i, "mac", "is already reserved in an earlier entry");
                uint address = r.Address(i);
                if (!Ipv4Address.IsHostOf(address, lanAddress, lanPrefixLength) || address == lanAddress)
                {
                    return Reservation(i, "address", "must be a host address of the LAN prefix other than the router's");
                }
                for (int j = 0; j < i; j++)
                {
                    if (r.Address(j) == address) return Reservation(i, "address", "is already reserved in an earlier entry");
                }
            }
            return ValidationResult.Valid;
        }

        private static ValidationResult Reservation(int index, string field, string message)
        {
            return ValidationResult.Error("dhcp.reservations[" + index.ToString() + "]." + field, message);
        }

        private static bool IsZero(byte[] b, int offset)
        {
            for (int i = 0; i < MacAddress.Length; i++)
            {
                if (b[offset + i] != 0) return false;
            }
            return true;
        }
    }
}
