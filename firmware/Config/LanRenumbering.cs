using Router.Wire;

namespace Router.Config
{
    /// <summary>
    /// Moves what points into the LAN along with it when the LAN subnet changes: port forwards' internal hosts, the
    /// DHCP pool and reservations keep their host part in the new subnet (192.168.1.50 → 10.0.0.50). An address whose
    /// host part does not fit the new prefix, or that was not in the old subnet, is left for validation to report.
    /// </summary>
    public static class LanRenumbering
    {
        /// <summary>Moves <paramref name="config"/>'s LAN addresses from the subnet <paramref name="oldLan"/>/<paramref name="oldPrefix"/> to its own LAN subnet. Returns how many moved.</summary>
        public static int Move(RouterConfig config, uint oldLan, int oldPrefix)
        {
            int moved = 0;
            for (int i = 0; i < config.ForwardCount; i++)
            {
                uint address;
                if (TryMove(config.Forwards[i].InternalAddress, oldLan, oldPrefix, config, out address))
                {
                    config.Forwards[i].InternalAddress = address;
                    moved++;
                }
            }
            uint start, end;
            if (TryMove(config.Dhcp.PoolStart, oldLan, oldPrefix, config, out start) && TryMove(config.Dhcp.PoolEnd, oldLan, oldPrefix, config, out end))
            {
                config.Dhcp.PoolStart = start;
                config.Dhcp.PoolEnd = end;
                moved += 2;
            }
            for (int i = 0; i < config.Dhcp.Reservations.Count; i++)
            {
                uint address;
                if (TryMove(config.Dhcp.Reservations.Address(i), oldLan, oldPrefix, config, out address))
                {
                    config.Dhcp.Reservations.SetAddress(i, address);
                    moved++;
                }
            }
            return moved;
        }

        private static bool TryMove(uint address, uint oldLan, int oldPrefix, RouterConfig config, out uint moved)
        {
            moved = address;
            if (address == 0 || !Ipv4Address.InPrefix(address, oldLan, oldPrefix)) return false;
            uint host = address & ~Ipv4Address.Mask(oldPrefix);
            if ((host & Ipv4Address.Mask(config.LanPrefixLength)) != 0) return false;
            moved = (config.LanAddress & Ipv4Address.Mask(config.LanPrefixLength)) | host;
            return moved != address;
        }
    }
}
