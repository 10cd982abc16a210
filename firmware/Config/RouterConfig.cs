using Router.Helpers.Ftp;
using Router.Conntrack;
using Router.Dhcp;
using Router.Rules;
using Router.Wire;

namespace Router.Config
{
    /// <summary>
    /// Everything the router persists: addresses, WAN mode, DNS servers, timeouts, port forwards and triggers, FTP helper
    /// settings, the LAN DHCP server's settings and reservations, and the admin credential. Edit a copy (<see cref="Clone"/>), then validate and apply it through
    /// <see cref="RouterFirmware.Apply"/>, and persist it with <see cref="ConfigStore"/>. Rule slots are preallocated.
    /// </summary>
    public sealed class RouterConfig
    {
        public const int WanStatic = WanAddressing.Static;
        public const int WanDhcp = WanAddressing.Dhcp;
        public const int MaxAdminHashBytes = 64;
        public const int MaxAdminSaltBytes = 32;

        public uint LanAddress = Ipv4Address.Make(192, 168, 1, 1);
        public int LanPrefixLength = 24;

        public int WanMode = WanDhcp;
        /// <summary>WAN address, prefix and gateway, used in <see cref="WanStatic"/> mode (the DHCP client owns them otherwise).</summary>
        public uint WanAddress;
        public int WanPrefixLength = 24;
        public uint WanGateway;
        /// <summary>DNS servers to use in static mode; 0 is none.</summary>
        public uint PrimaryDns;
        public uint SecondaryDns;
        /// <summary>Added in format version 2; version 1 images load with 1500.</summary>
        public int WanMtu = 1500;

        /// <summary>Drop LAN frames from addresses leased or reserved to another MAC; added in format version 4 (older images: on).</summary>
        public bool LanSourceGuard = true;
        /// <summary>Forward packets with a loose or strict source route option; added in format version 4 (older images: off).</summary>
        public bool AllowSourceRouted;

        public int TcpEstablishedTimeoutSeconds = ConntrackTimeouts.MinimumTcpEstablished;
        public int UdpTimeoutSeconds = 120;
        public int UdpAssuredTimeoutSeconds = 300;
        public int IcmpTimeoutSeconds = 60;

        public readonly FtpHelperSettings Ftp = new FtpHelperSettings();
        /// <summary>The LAN DHCP server's pool, lease time, DNS and reservations; added in format version 3 (older images get the defaults for their LAN).</summary>
        public readonly DhcpServerSettings Dhcp;

        /// <summary>The admin password's hash and salt, opaque here (the web UI defines them); empty means none set.</summary>
        public byte[] AdminHash = new byte[0];
        public byte[] AdminSalt = new byte[0];

        public readonly PortForward[] Forwards;
        public int ForwardCount;
        public readonly PortTrigger[] Triggers;
        public int TriggerCount;

        /// <summary>A factory-default configuration with room for the given numbers of rules and DHCP reservations.</summary>
        public RouterConfig(int forwardSlots, int triggerSlots, int reservationSlots)
        {
            Dhcp = new DhcpServerSettings(reservationSlots);
            Forwards = new PortForward[forwardSlots];
            Triggers = new PortTrigger[triggerSlots];
            for (int i = 0; i < forwardSlots; i++) Forwards[i] = new PortForward();
            for (int i = 0; i < triggerSlots; i++) Triggers[i] = new PortTrigger();
        }

        public static RouterConfig For(Capacities capacities)
        {
            return new RouterConfig(capacities.PortForwards, capacities.PortTriggers, capacities.DhcpReservations);
        }

        /// <summary>The next free forward slot, counted in, or null when all slots are used.</summary>
        public PortForward AddForward()
        {
            if (ForwardCount == Forwards.Length) return null;
            PortForward f = Forwards[ForwardCount++];
            f.CopyFrom(Blank.Forward);
            return f;
        }

        public PortTrigger AddTrigger()
        {
            if (TriggerCount == Triggers.Length) return null;
            PortTrigger t = Triggers[TriggerCount++];
            t.CopyFrom(Blank.Trigger);
            return t;
        }

        public void RemoveForwardAt(int index)
        {
            PortForward removed = Forwards[index];
            for (int i = index; i < ForwardCount - 1; i++) Forwards[i] = Forwards[i + 1];
            Forwards[--ForwardCount] = removed;
        }

        public void RemoveTriggerAt(int index)
        {
            PortTrigger removed = Triggers[index];
            for (int i = index; i < TriggerCount - 1; i++) Triggers[i] = Triggers[i + 1];
            Triggers[--TriggerCount] = removed;
        }

        /// <summary>Copies every setting and rule; returns false (copying nothing) if the rules or reservations do not fit this instance.</summary>
        public bool CopyFrom(RouterConfig other)
        {
            if (other.ForwardCount > Forwards.Length || other.TriggerCount > Triggers.Length) return false;
            if (!Dhcp.CopyFrom(other.Dhcp)) return false;
            LanAddress = other.LanAddress;
            LanPrefixLength = other.LanPrefixLength;
            WanMode = other.WanMode;
            WanAddress = other.WanAddress;
            WanPrefixLength = other.WanPrefixLength;
            WanGateway = other.WanGateway;
            PrimaryDns = other.PrimaryDns;
            SecondaryDns = other.SecondaryDns;
            WanMtu = other.WanMtu;
            LanSourceGuard = other.LanSourceGuard;
            AllowSourceRouted = other.AllowSourceRouted;
            TcpEstablishedTimeoutSeconds = other.TcpEstablishedTimeoutSeconds;
            UdpTimeoutSeconds = other.UdpTimeoutSeconds;
            UdpAssuredTimeoutSeconds = other.UdpAssuredTimeoutSeconds;
            IcmpTimeoutSeconds = other.IcmpTimeoutSeconds;
            Ftp.CopyFrom(other.Ftp);
            AdminHash = (byte[])other.AdminHash.Clone();
            AdminSalt = (byte[])other.AdminSalt.Clone();
            for (int i = 0; i < other.ForwardCount; i++) Forwards[i].CopyFrom(other.Forwards[i]);
            ForwardCount = other.ForwardCount;
            for (int i = 0; i < other.TriggerCount; i++) Triggers[i].CopyFrom(other.Triggers[i]);
            TriggerCount = other.TriggerCount;
            return true;
        }

        public RouterConfig Clone()
        {
            RouterConfig copy = new RouterConfig(Forwards.Length, Triggers.Length, Dhcp.Reservations.Capacity);
            copy.CopyFrom(this);
            return copy;
        }

        /// <summary>Back to factory defaults (slots kept).</summary>
        public void Reset()
        {
            CopyFrom(Blank.Config);
        }

        /// <summary>Takes the addresses and timeouts the data plane runs with now (a firmware started without a stored config).</summary>
        public void CaptureFrom(RouterSettings settings, ConntrackTimeouts timeouts)
        {
            LanAddress = settings.LanAddress;
            LanPrefixLength = settings.LanPrefixLength;
            WanMode = WanStatic;
            WanAddress = settings.WanAddress;
            WanPrefixLength = settings.WanPrefixLength;
            WanGateway = settings.WanGateway;
            WanMtu = settings.WanMtu;
            LanSourceGuard = settings.LanSourceGuard;
            AllowSourceRouted = settings.AllowSourceRouted;
            TcpEstablishedTimeoutSeconds = timeouts.TcpEstablished;
            UdpTimeoutSeconds = timeouts.UdpUnreplied;
            UdpAssuredTimeoutSeconds = timeouts.UdpAssured;
            IcmpTimeoutSeconds = timeouts.Icmp;
        }

        /// <summary>Pushes addresses and timeouts into the data plane's settings (then call DataPlane.ApplySettings).</summary>
        public void ApplyTo(RouterSettings settings, ConntrackTimeouts timeouts)
        {
            settings.LanAddress = LanAddress;
            settings.LanPrefixLength = LanPrefixLength;
            // In DHCP mode the WAN client owns address, prefix, gateway and DNS and fills them when the ISP answers, so a
            // DHCP-learned address survives applying an unrelated change; switching to DHCP drops the static address at once.
            if (WanMode == WanDhcp && settings.WanAddressing != WanDhcp)
            {
                settings.WanAddress = 0;
                settings.WanGateway = 0;
            }
            settings.WanAddressing = WanMode;
            if (WanMode == WanStatic)
            {
                settings.WanAddress = WanAddress;
                settings.WanPrefixLength = WanPrefixLength;
                settings.WanGateway = WanGateway;
                settings.WanDns1 = PrimaryDns;
                settings.WanDns2 = SecondaryDns;
            }
            settings.WanMtu = WanMtu;
            settings.LanSourceGuard = LanSourceGuard;
            settings.AllowSourceRouted = AllowSourceRouted;
            timeouts.TcpEstablished = TcpEstablishedTimeoutSeconds;
            timeouts.UdpUnreplied = UdpTimeoutSeconds;
            timeouts.UdpAssured = UdpAssuredTimeoutSeconds;
            timeouts.Icmp = IcmpTimeoutSeconds;
        }

        /// <summary>Factory values new objects are reset from (one instance each, built once).</summary>
        private static class Blank
        {
            public static readonly PortForward Forward = new PortForward();
            public static readonly PortTrigger Trigger = new PortTrigger();
            public static readonly RouterConfig Config = new RouterConfig(0, 0, 0);
        }
    }
}
