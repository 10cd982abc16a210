using Router.Conntrack;
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
            if (!IsHostIn(c.LanAddress, c.LanAddress, c.LanPrefixLength)) return ValidationResult.Error("lanAddress", "must be a unicast host address of its prefix");
            if (c.WanMode != RouterConfig.WanStatic && c.WanMode != RouterConfig.WanDhcp) return ValidationResult.Error("wanMode", "must be static or DHCP");
            if (c.WanMode == RouterConfig.WanStatic)
            {
                if (c.WanPrefixLength < 8 || c.WanPrefixLength > 32) return ValidationResult.Error("wanPrefixLength", "must be 8 to 32");
                if (!IsHostIn(c.WanAddress, c.WanAddress, c.WanPrefixLength)) return ValidationResult.Error("wanAddress", "must be a unicast host address of its prefix");
                if (c.WanGateway == c.WanAddress || !IsHostIn(c.WanGateway, c.WanAddress, c.WanPrefixLength))
                {
                    return ValidationResult.Error("wanGateway", "must be another host on the WAN prefix");
                }
                int shorter = c.LanPrefixLength < c.WanPrefixLength ? c.LanPrefixLength : c.WanPrefixLength;
                if (Ipv4Address.InPrefix(c.WanAddress, c.LanAddress, shorter)) return ValidationResult.Error("wanAddress", "overlaps the LAN prefix");
            }
            if (c.PrimaryDns != 0 && !IsUnicast(c.PrimaryDns)) return ValidationResult.Error("primaryDns", "must be a unicast address or empty");
            if (c.SecondaryDns != 0 && !IsUnicast(c.SecondaryDns)) return ValidationResult.Error("secondaryDns", "must be a unicast address or empty");
            if (c.WanMtu < MinMtu || c.WanMtu > MaxMtu) return ValidationResult.Error("wanMtu", "must be 576 to 1500");

            ValidationResult r = Timeout("tcpEstablishedTimeoutSeconds", c.TcpEstablishedTimeoutSeconds, ConntrackTimeouts.MinimumTcpEstablished);
            if (r.IsValid) r = Timeout("udpTimeoutSeconds", c.UdpTimeoutSeconds, ConntrackTimeouts.MinimumUdp);
            if (r.IsValid) r = Timeout("udpAssuredTimeoutSeconds", c.UdpAssuredTimeoutSeconds, ConntrackTimeouts.MinimumUdp);
            if (r.IsValid) r = Timeout("icmpTimeoutSeconds", c.IcmpTimeoutSeconds, ConntrackTimeouts.MinimumIcmp);
            if (!r.IsValid) return r;

            FtpHelperSettings ftp = c.Ftp;
            if (ftp.ControlPortCount < 0 || ftp.ControlPortCount > FtpHelperSettings.MaxControlPorts)
            {
                return ValidationResult.Error("ftp.controlPorts", "at most 4 control ports");
            }
            for (int i = 0; i < ftp.ControlPortCount; i++)
            {
                if (ftp.ControlPorts[i] < 1 || ftp.ControlPorts[i] > RuleValidator.MaxPort)
                {
                    return ValidationResult.Error("ftp.controlPorts[" + i.ToString() + "]", "must be 1 to 65535");
                }
            }
            if (ftp.ExpectationTimeoutSeconds < 1 || ftp.ExpectationTimeoutSeconds > MaxExpectationTimeoutSeconds)
            {
                return ValidationResult.Error("ftp.expectationTimeoutSeconds", "must be 1 to 3600 seconds");
            }
            if (c.AdminHash == null || c.AdminHash.Length > RouterConfig.MaxAdminHashBytes) return ValidationResult.Error("adminHash", "must be at most 64 bytes");
            if (c.AdminSalt == null || c.AdminSalt.Length > RouterConfig.MaxAdminSaltBytes) return ValidationResult.Error("adminSalt", "must be at most 32 bytes");

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

        private static bool IsUnicast(uint address)
        {
            return address != 0 && (address >> 28) < 0xE && (address >> 24) != 127;
        }

        /// <summary>A unicast address inside network/prefix that is neither its network nor its broadcast address (/31 and /32 have neither).</summary>
        private static bool IsHostIn(uint address, uint network, int prefixLength)
        {
            if (!IsUnicast(address) || !Ipv4Address.InPrefix(address, network, prefixLength)) return false;
            if (prefixLength >= 31) return true;
            uint host = address & ~Ipv4Address.Mask(prefixLength);
            return host != 0 && host != ~Ipv4Address.Mask(prefixLength);
        }
    }
}
