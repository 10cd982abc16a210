using Router.Dhcp;
using Router.Helpers.Ftp;
using Router.Rules;
using Router.Wire;

namespace Router.Config
{
    /// <summary>
    /// The payload of a config image, field by field in big-endian order (layout in the README). Version 2 added the
    /// WAN MTU after the WAN block, version 3 the DHCP server block after the triggers, version 4 a byte of
    /// security flags at the end (LAN source guard, source-routed packets allowed). Migration is decoding with
    /// defaults for what an older payload lacks: MTU 1500, the factory DHCP settings with a pool fitted to the
    /// stored LAN, the guard on and source routes refused. Counts are single bytes, strings and byte strings carry a length byte.
    /// </summary>
    public static class ConfigCodec
    {
        public const int Version1 = 1;
        public const int Version2 = 2;
        public const int Version3 = 3;
        public const int Version4 = 4;
        public const int CurrentVersion = Version4;

        private const int FlagEnabled = 0x01;
        /// <summary>
        /// In a forward's flags: a pool follows the forward's fields (count u8 of further members, then an address u32
        /// each). Older images never set it, so they load unchanged in any version.
        /// </summary>
        private const int FlagPool = 0x02;
        private const int FlagLanSourceGuard = 0x01;
        private const int FlagAllowSourceRouted = 0x02;

        // Worst-case sizes for the flash budget: a forward and a trigger with a longest name, a reservation (MAC and
        // address), the fixed part with longest credentials and the DHCP block (flags, pool, lease, DNS x2, count).
        public const int MaxForwardBytes = 18 + RuleValidator.MaxNameBytes + 1 + 4 * (PortForward.MaxPoolMembers - 1);
        public const int MaxTriggerBytes = 16 + RuleValidator.MaxNameBytes;
        public const int ReservationBytes = MacAddress.Length + 4;
        public const int DhcpFixedBytes = 1 + 5 * 4 + 1;
        public const int MaxFixedBytes = 5 + 18 + 2 + 16 + (4 + 2 * FtpHelperSettings.MaxControlPorts)
            + (2 + RouterConfig.MaxAdminHashBytes + RouterConfig.MaxAdminSaltBytes) + 2 + DhcpFixedBytes + 1;

        /// <summary>The largest payload a configuration can have with this many rules and reservations.</summary>
        public static int MaxPayloadBytes(int forwards, int triggers, int reservations)
        {
            return MaxFixedBytes + forwards * MaxForwardBytes + triggers * MaxTriggerBytes + reservations * ReservationBytes;
        }

        /// <summary>Writes the current version's payload; check <see cref="ConfigWriter.Overflow"/> afterwards.</summary>
        public static void Encode(RouterConfig c, ConfigWriter w)
        {
            w.UInt32(c.LanAddress);
            w.Byte(c.LanPrefixLength);
            w.Byte(c.WanMode);
            w.UInt32(c.WanAddress);
            w.Byte(c.WanPrefixLength);
            w.UInt32(c.WanGateway);
            w.UInt32(c.PrimaryDns);
            w.UInt32(c.SecondaryDns);
            w.UInt16(c.WanMtu);
            w.UInt32((uint)c.TcpEstablishedTimeoutSeconds);
            w.UInt32((uint)c.UdpTimeoutSeconds);
            w.UInt32((uint)c.UdpAssuredTimeoutSeconds);
            w.UInt32((uint)c.IcmpTimeoutSeconds);

            FtpHelperSettings ftp = c.Ftp;
            w.Byte(ftp.Enabled ? FlagEnabled : 0);
            w.UInt16(ftp.ExpectationTimeoutSeconds);
            w.Byte(ftp.ControlPortCount);
            for (int i = 0; i < ftp.ControlPortCount; i++) w.UInt16(ftp.ControlPort(i));

            w.Bytes(c.AdminHash);
            w.Bytes(c.AdminSalt);

            w.Byte(c.ForwardCount);
            for (int i = 0; i < c.ForwardCount; i++)
            {
                PortForward f = c.Forwards[i];
                int pool = f.PoolSize;
                w.Byte((f.Enabled ? FlagEnabled : 0) | (pool > 1 ? FlagPool : 0));
                w.Byte(f.Protocol);
                w.Text(f.Name);
                w.UInt16(f.ExternalPort);
                w.UInt16(f.ExternalPortEnd);
                w.UInt32(f.InternalAddress);
                w.UInt16(f.InternalPort);
                w.UInt32(f.AllowedSource);
                w.Byte(f.AllowedSourcePrefixLength);
                if (pool == 1) continue;
                w.Byte(pool - 1);
                for (int m = 1; m < pool; m++) w.UInt32(f.PoolMember(m));
            }
            w.Byte(c.TriggerCount);
            for (int i = 0; i < c.TriggerCount; i++)
            {
                PortTrigger t = c.Triggers[i];
                w.Byte(t.Enabled ? FlagEnabled : 0);
                w.Text(t.Name);
                w.Byte(t.TriggerProtocol);
                w.UInt16(t.TriggerPort);
                w.UInt16(t.TriggerPortEnd);
                w.Byte(t.OpenProtocol);
                w.UInt16(t.OpenPort);
                w.UInt16(t.OpenPortEnd);
                w.UInt32((uint)t.IdleTimeoutSeconds);
            }

            DhcpServerSettings dhcp = c.Dhcp;
            w.Byte(dhcp.Enabled ? FlagEnabled : 0);
            w.UInt32(dhcp.PoolStart);
            w.UInt32(dhcp.PoolEnd);
            w.UInt32(dhcp.LeaseSeconds);
            w.UInt32(dhcp.Dns1);
            w.UInt32(dhcp.Dns2);
            DhcpReservations reservations = dhcp.Reservations;
            w.Byte(reservations.Count);
            for (int i = 0; i < reservations.Count; i++)
            {
                w.Fixed(reservations.MacBuffer, DhcpReservations.MacOffset(i), MacAddress.Length);
                w.UInt32(reservations.Address(i));
            }

            w.Byte((c.LanSourceGuard ? FlagLanSourceGuard : 0) | (c.AllowSourceRouted ? FlagAllowSourceRouted : 0));
        }

        /// <summary>
        /// Reads a payload of format <paramref name="version"/> into <paramref name="c"/>. Returns false when it is
        /// malformed (short, long, or more rules or reservations than <paramref name="c"/> has slots); <paramref name="c"/> is
        /// then partly overwritten.
        /// </summary>
        public static bool Decode(ConfigReader r, int version, RouterConfig c)
        {
            if (version < Version1 || version > Version4) return false;
            c.Reset();
            c.LanAddress = r.UInt32();
            c.LanPrefixLength = r.Byte();
            c.WanMode = r.Byte();
            c.WanAddress = r.UInt32();
            c.WanPrefixLength = r.Byte();
            c.WanGateway = r.UInt32();
            c.PrimaryDns = r.UInt32();
            c.SecondaryDns = r.UInt32();
            if (version >= Version2) c.WanMtu = r.UInt16();
            c.TcpEstablishedTimeoutSeconds = (int)r.UInt32();
            c.UdpTimeoutSeconds = (int)r.UInt32();
            c.UdpAssuredTimeoutSeconds = (int)r.UInt32();
            c.IcmpTimeoutSeconds = (int)r.UInt32();

            FtpHelperSettings ftp = c.Ftp;
            ftp.Enabled = (r.Byte() & FlagEnabled) != 0;
            ftp.ExpectationTimeoutSeconds = r.UInt16();
            int controlPorts = r.Byte();
            if (controlPorts > FtpHelperSettings.MaxControlPorts) return false;
            ftp.ClearControlPorts();
            for (int i = 0; i < controlPorts; i++)
            {
                if (!ftp.AddControlPort(r.UInt16())) return false;
            }

            c.AdminHash = r.Bytes(RouterConfig.MaxAdminHashBytes);
            c.AdminSalt = r.Bytes(RouterConfig.MaxAdminSaltBytes);

            int forwards = r.Byte();
            if (forwards > c.Forwards.Length) return false;
            for (int i = 0; i < forwards && !r.Failed; i++)
            {
                PortForward f = c.AddForward();
                int flags = r.Byte();
                f.Enabled = (flags & FlagEnabled) != 0;
                f.Protocol = r.Byte();
                f.Name = r.Text(RuleValidator.MaxNameBytes);
                f.ExternalPort = r.UInt16();
                f.ExternalPortEnd = r.UInt16();
                f.InternalAddress = r.UInt32();
                f.InternalPort = r.UInt16();
                f.AllowedSource = r.UInt32();
                f.AllowedSourcePrefixLength = r.Byte();
                if ((flags & FlagPool) == 0) continue;
                int members = r.Byte();
                if (members < 1 || members >= PortForward.MaxPoolMembers) return false;
                for (int m = 1; m <= members; m++) f.SetPoolMember(m, r.UInt32());
            }
            int triggers = r.Byte();
            if (triggers > c.Triggers.Length) return false;
            for (int i = 0; i < triggers && !r.Failed; i++)
            {
                PortTrigger t = c.AddTrigger();
                t.Enabled = (r.Byte() & FlagEnabled) != 0;
                t.Name = r.Text(RuleValidator.MaxNameBytes);
                t.TriggerProtocol = r.Byte();
                t.TriggerPort = r.UInt16();
                t.TriggerPortEnd = r.UInt16();
                t.OpenProtocol = r.Byte();
                t.OpenPort = r.UInt16();
                t.OpenPortEnd = r.UInt16();
                t.IdleTimeoutSeconds = (int)r.UInt32();
            }

            DhcpServerSettings dhcp = c.Dhcp;
            if (version < Version3)
            {
                dhcp.UseDefaultPool(c.LanAddress, c.LanPrefixLength);
                return !r.Failed && r.AtEnd;
            }
            dhcp.Enabled = (r.Byte() & FlagEnabled) != 0;
            dhcp.PoolStart = r.UInt32();
            dhcp.PoolEnd = r.UInt32();
            dhcp.LeaseSeconds = r.UInt32();
            dhcp.Dns1 = r.UInt32();
            dhcp.Dns2 = r.UInt32();
            int reservations = r.Byte();
            if (reservations > dhcp.Reservations.Capacity) return false;
            byte[] mac = new byte[MacAddress.Length];
            for (int i = 0; i < reservations && !r.Failed; i++)
            {
                r.Fixed(mac, 0, MacAddress.Length);
                dhcp.Reservations.Add(mac, 0, r.UInt32());
            }
            if (version < Version4) return !r.Failed && r.AtEnd;
            int securityFlags = r.Byte();
            c.LanSourceGuard = (securityFlags & FlagLanSourceGuard) != 0;
            c.AllowSourceRouted = (securityFlags & FlagAllowSourceRouted) != 0;
            return !r.Failed && r.AtEnd;
        }
    }
}
