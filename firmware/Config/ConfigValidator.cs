using Router.Helpers.Ftp;
using Router.Conntrack;
using Router.Dhcp;
using Router.Rules;
using Router.Wire;

namespace Router.Config
{
    /// <summary>Checks a whole <see cref="RouterConfig"/> for a board before it is applied or saved; the first problem wins.</summary>
    public static class ConfigValidator
    {
        public const int MinMtu = 576;
        public const int MaxMtu = 1500;
        /// <summary>Upper bound for every idle timeout: a week.</summary>
        public const int MaxTimeoutSeconds = 604800;
        public const int MaxExpectationTimeoutSeconds = 3600;

        public static ValidationResult Validate(RouterConfig c, Capacities capacities, ServicePorts servicePorts)
        {
            if (c.LanPrefixLength < 8 || c.LanPrefixLength > 30) return ValidationResult.Error("lanPrefixLength", "must be 8 to 30");
            if (!Ipv4Address.IsHostOf(c.LanAddress, c.LanAddress, c.LanPrefixLength)) return ValidationResult.Error("lanAddress", "must be a unicast host address of its prefix");
            if (c.WanMode != RouterConfig.WanStatic && c.WanMode != RouterConfig.WanDhcp) return ValidationResult.Error("wanMode", "must be static or DHCP");
            if (c.WanMode == RouterConfig.WanStatic)
            {
                if (c.WanPrefixLength < 8 || c.WanPrefixLength > 32) return ValidationResult.Error("wanPrefixLength", "must be 8 to 32");
                if (!Ipv4Address.IsHostOf(c.WanAddress, c.WanAddress, c.WanPrefixLength)) return ValidationResult.Error("wanAddress", "must be a unicast host address of its prefix");
                if (c.WanGateway == c.WanAddress || !Ipv4Address.IsHostOf(c.WanGateway, c.WanAddress, c.WanPrefixLength))
                {
                    return ValidationResult.Error("wanGateway", "must be another host on the WAN prefix");
                }
                int shorter = c.LanPrefixLength < c.WanPrefixLength ? c.LanPrefixLength : c.WanPrefixLength;
                if (Ipv4Address.InPrefix(c.WanAddress, c.LanAddress, shorter)) return ValidationResult.Error("wanAddress", "overlaps the LAN prefix");
            }
            if (c.PrimaryDns != 0 && !Ipv4Address.IsUnicast(c.PrimaryDns)) return ValidationResult.Error("primaryDns", "must be a unicast address or empty");
            if (c.SecondaryDns != 0 && !Ipv4Address.IsUnicast(c.SecondaryDns)) return ValidationResult.Error("secondaryDns", "must be a unicast address or empty");
            if (c.WanMtu < MinMtu || c.WanMtu > MaxMtu) return ValidationResult.Error("wanMtu", "must be 576 to 1500");

            ValidationResult r = Timeout("tcpEstablishedTimeoutSeconds", c.TcpEstablishedTimeoutSeconds, ConntrackTimeouts.MinimumTcpEstablished);
            if (r.IsValid) r = Timeout("udpTimeoutSeconds", c.UdpTimeoutSeconds, ConntrackTimeouts.MinimumUdp);
            if (r.IsValid) r = Timeout("udpAssuredTimeoutSeconds", c.UdpAssuredTimeoutSeconds, ConntrackTimeouts.MinimumUdp);
            if (r.IsValid) r = Timeout("icmpTimeoutSeconds", c.IcmpTimeoutSeconds, ConntrackTimeouts.MinimumIcmp);
            if (!r.IsValid) return r;

            // Control ports need no check here: FtpHelperSettings accepts only valid ones, up to its maximum.
            FtpHelperSettings ftp = c.Ftp;
            if (ftp.ExpectationTimeoutSeconds < 1 || ftp.ExpectationTimeoutSeconds > MaxExpectationTimeoutSeconds)
            {
                return ValidationResult.Error("ftp.expectationTimeoutSeconds", "must be 1 to 3600 seconds");
            }
            if (c.AdminHash == null || c.AdminHash.Length > RouterConfig.MaxAdminHashBytes) return ValidationResult.Error("adminHash", "must be at most 64 bytes");
            if (c.AdminSalt == null || c.AdminSalt.Length > RouterConfig.MaxAdminSaltBytes) return ValidationResult.Error("adminSalt", "must be at most 32 bytes");

            if (c.Dhcp.Reservations.Count > capacities.DhcpReservations)
            {
                return ValidationResult.Error("dhcp.reservations", "at most " + capacities.DhcpReservations.ToString() + " reservations on this board");
            }
            r = DhcpSettingsValidator.Validate(c.Dhcp, c.LanAddress, c.LanPrefixLength);
            if (!r.IsValid) return r;

            return RuleValidator.Validate(c.Forwards, c.ForwardCount, c.Triggers, c.TriggerCount, c.LanAddress, c.LanPrefixLength, capacities, servicePorts);
        }

        private static ValidationResult Timeout(string field, int seconds, int minimum)
        {
            if (seconds < minimum || seconds > MaxTimeoutSeconds)
            {
                return ValidationResult.Error(field, "must be " + minimum.ToString() + " to " + MaxTimeoutSeconds.ToString() + " seconds");
            }
            return ValidationResult.Valid;
        }
    }
}
