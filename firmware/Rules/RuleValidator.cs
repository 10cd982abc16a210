using Router.Wire;

namespace Router.Rules
{
    /// <summary>
    /// Checks a complete set of forwards and triggers before anything is applied or saved, and reports the first
    /// problem with the field it concerns. Only enabled rules can clash, so a disabled alternative for the same port
    /// may be kept.
    /// </summary>
    public static class RuleValidator
    {
        /// <summary>Longest rule name, in UTF-8 bytes (the config format stores the length in one byte).</summary>
        public const int MaxNameBytes = 32;
        public const int MaxIdleTimeoutSeconds = 86400;
        public const int MaxPort = 65535;

        public static ValidationResult Validate(PortForward[] forwards, int forwardCount, PortTrigger[] triggers, int triggerCount,
            uint lanAddress, int lanPrefixLength, Capacities capacities, ServicePorts servicePorts)
        {
            if (forwardCount > capacities.PortForwards)
            {
                return ValidationResult.Error("forwards", "at most " + capacities.PortForwards.ToString() + " port forwards fit this board");
            }
            if (triggerCount > capacities.PortTriggers)
            {
                return ValidationResult.Error("triggers", "at most " + capacities.PortTriggers.ToString() + " port triggers fit this board");
            }
            for (int i = 0; i < forwardCount; i++)
            {
                ValidationResult r = CheckForward(forwards, i, lanAddress, lanPrefixLength, servicePorts);
                if (!r.IsValid) return r;
            }
            for (int i = 0; i < triggerCount; i++)
            {
                ValidationResult r = CheckTrigger(triggers, i, forwards, forwardCount, servicePorts);
                if (!r.IsValid) return r;
            }
            return ValidationResult.Valid;
        }

        private static ValidationResult CheckForward(PortForward[] forwards, int index, uint lanAddress, int lanPrefixLength, ServicePorts servicePorts)
        {
            string at = "forwards[" + index.ToString() + "]";
            PortForward f = forwards[index];
            if (f == null) return ValidationResult.Error(at, "missing");
            string problem = NameProblem(f.Name);
            if (problem != null) return ValidationResult.Error(at + ".name", problem);
            if (!RuleProtocol.IsValid(f.Protocol)) return ValidationResult.Error(at + ".protocol", "must be TCP, UDP or both");
            ValidationResult r = CheckRange(at, "externalPort", f.ExternalPort, f.ExternalPortEnd);
            if (!r.IsValid) return r;
            if (f.InternalPort < 1 || f.InternalPort > MaxPort) return ValidationResult.Error(at + ".internalPort", "must be 1 to 65535");
            if (f.InternalPort + (f.ExternalPortEnd - f.ExternalPort) > MaxPort)
            {
                return ValidationResult.Error(at + ".internalPort", "the range mapped from here runs past 65535");
            }
            if (!Ipv4Address.IsHostOf(f.InternalAddress, lanAddress, lanPrefixLength))
            {
                return ValidationResult.Error(at + ".internalAddress", Ipv4Address.Format(f.InternalAddress) + " is not a host on the LAN "
                    + Ipv4Address.Format(lanAddress & Ipv4Address.Mask(lanPrefixLength)) + "/" + lanPrefixLength.ToString());
            }
            if (f.InternalAddress == lanAddress) return ValidationResult.Error(at + ".internalAddress", "is the router's own LAN address");
            r = CheckPool(at, f, lanAddress, lanPrefixLength);
            if (!r.IsValid) return r;
            if (f.AllowedSourcePrefixLength < 0 || f.AllowedSourcePrefixLength > 32)
            {
                return ValidationResult.Error(at + ".allowedSourcePrefixLength", "must be 0 (anyone) to 32");
            }
            if (!f.Enabled) return ValidationResult.Valid;
            for (int j = 0; j < index; j++)
            {
                PortForward e = forwards[j];
                if (e.Enabled && (e.Protocol & f.Protocol) != 0 && Overlap(e.ExternalPort, e.ExternalPortEnd, f.ExternalPort, f.ExternalPortEnd))
                {
                    return ValidationResult.Error(at + ".externalPort", "overlaps forward '" + e.Name + "' (" + Describe(e.Protocol, e.ExternalPort, e.ExternalPortEnd) + ")");
                }
            }
            int service = servicePorts == null ? -1 : servicePorts.Find(f.Protocol, f.ExternalPort, f.ExternalPortEnd);
            if (service >= 0) return ValidationResult.Error(at + ".externalPort", "includes the router's own " + servicePorts.Describe(service));
            return ValidationResult.Valid;
        }

        private static ValidationResult CheckTrigger(PortTrigger[] triggers, int index, PortForward[] forwards, int forwardCount, ServicePorts servicePorts)
        {
            string at = "triggers[" + index.ToString() + "]";
            PortTrigger t = triggers[index];
            if (t == null) return ValidationResult.Error(at, "missing");
            string problem = NameProblem(t.Name);
            if (problem != null) return ValidationResult.Error(at + ".name", problem);
            if (!RuleProtocol.IsValid(t.TriggerProtocol)) return ValidationResult.Error(at + ".triggerProtocol", "must be TCP, UDP or both");
            ValidationResult r = CheckRange(at, "triggerPort", t.TriggerPort, t.TriggerPortEnd);
            if (!r.IsValid) return r;
            if (!RuleProtocol.IsValid(t.OpenProtocol)) return ValidationResult.Error(at + ".openProtocol", "must be TCP, UDP or both");
            r = CheckRange(at, "openPort", t.OpenPort, t.OpenPortEnd);
            if (!r.IsValid) return r;
            if (t.IdleTimeoutSeconds < 1 || t.IdleTimeoutSeconds > MaxIdleTimeoutSeconds)
            {
                return ValidationResult.Error(at + ".idleTimeoutSeconds", "must be 1 to 86400 seconds");
            }
            if (!t.Enabled) return ValidationResult.Valid;
            for (int j = 0; j < forwardCount; j++)
            {
                PortForward f = forwards[j];
                if (f.Enabled && (f.Protocol & t.OpenProtocol) != 0 && Overlap(f.ExternalPort, f.ExternalPortEnd, t.OpenPort, t.OpenPortEnd))
                {
                    return ValidationResult.Error(at + ".openPort", "overlaps forward '" + f.Name + "' (" + Describe(f.Protocol, f.ExternalPort, f.ExternalPortEnd) + ")");
                }
            }
            for (int j = 0; j < index; j++)
            {
                PortTrigger e = triggers[j];
                if (e.Enabled && (e.OpenProtocol & t.OpenProtocol) != 0 && Overlap(e.OpenPort, e.OpenPortEnd, t.OpenPort, t.OpenPortEnd))
                {
                    return ValidationResult.Error(at + ".openPort", "overlaps the open ports of trigger '" + e.Name + "' (" + Describe(e.OpenProtocol, e.OpenPort, e.OpenPortEnd) + ")");
                }
            }
            int service = servicePorts == null ? -1 : servicePorts.Find(t.OpenProtocol, t.OpenPort, t.OpenPortEnd);
            if (service >= 0) return ValidationResult.Error(at + ".openPort", "includes the router's own " + servicePorts.Describe(service));
            return ValidationResult.Valid;
        }

        /// <summary>A pool's other members: LAN hosts, not the router, none named twice, no gaps.</summary>
        private static ValidationResult CheckPool(string at, PortForward f, uint lanAddress, int lanPrefixLength)
        {
            string field = at + ".pool";
            bool ended = false;
            for (int m = 1; m < PortForward.MaxPoolMembers; m++)
            {
                uint member = f.PoolMember(m);
                if (member == 0)
                {
                    ended = true;
                    continue;
                }
                if (ended) return ValidationResult.Error(field, "pool members must follow one another without gaps");
                if (!Ipv4Address.IsHostOf(member, lanAddress, lanPrefixLength))
                {
                    return ValidationResult.Error(field, Ipv4Address.Format(member) + " is not a host on the LAN "
                        + Ipv4Address.Format(lanAddress & Ipv4Address.Mask(lanPrefixLength)) + "/" + lanPrefixLength.ToString());
                }
                if (member == lanAddress) return ValidationResult.Error(field, Ipv4Address.Format(member) + " is the router's own LAN address");
                for (int e = 0; e < m; e++)
                {
                    if (f.PoolMember(e) == member) return ValidationResult.Error(field, Ipv4Address.Format(member) + " is in the pool twice");
                }
            }
            return ValidationResult.Valid;
        }

        private static ValidationResult CheckRange(string at, string field, int start, int end)
        {
            if (start < 1 || start > MaxPort) return ValidationResult.Error(at + "." + field, "must be 1 to 65535");
            if (end < start || end > MaxPort) return ValidationResult.Error(at + "." + field + "End", "must be from " + start.ToString() + " to 65535");
            return ValidationResult.Valid;
        }

        /// <summary>Why a rule name is unacceptable, or null: 1 to 32 UTF-8 bytes, no control characters.</summary>
        public static string NameProblem(string name)
        {
            if (name == null || name.Length == 0) return "must not be empty";
            for (int i = 0; i < name.Length; i++)
            {
                if (name[i] < ' ' || name[i] == (char)0x7F) return "must not contain control characters";
            }
            if (System.Text.Encoding.UTF8.GetBytes(name).Length > MaxNameBytes) return "must be at most 32 bytes of UTF-8";
            return null;
        }

        private static bool Overlap(int aLow, int aHigh, int bLow, int bHigh)
        {
            return aLow <= bHigh && bLow <= aHigh;
        }

        private static string Describe(int protocol, int low, int high)
        {
            string ports = low == high ? low.ToString() : low.ToString() + "-" + high.ToString();
            return RuleProtocol.Name(protocol) + " " + ports;
        }
    }
}
