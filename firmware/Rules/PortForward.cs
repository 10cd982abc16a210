using Router.Wire;

namespace Router.Rules
{
    /// <summary>
    /// A port forward (DNAT): new connections to the WAN address on an external port, or a range mapped one to one,
    /// go to a LAN host. Plain data; <see cref="RuleValidator"/> checks it and <see cref="PortForwardTable"/> runs it.
    /// </summary>
    public sealed class PortForward
    {
        public string Name = "";
        public bool Enabled = true;
        /// <summary>A <see cref="RuleProtocol"/> value.</summary>
        public int Protocol = RuleProtocol.Tcp;
        public int ExternalPort;
        /// <summary>Last external port of the range; equal to <see cref="ExternalPort"/> for a single port.</summary>
        public int ExternalPortEnd;
        public uint InternalAddress;
        /// <summary>Internal port for <see cref="ExternalPort"/>; the rest of the range follows one to one.</summary>
        public int InternalPort;
        /// <summary>Only this source address or prefix may connect; prefix length 0 admits everyone.</summary>
        public uint AllowedSource;
        public int AllowedSourcePrefixLength;

        public bool Covers(int ipProtocol, int externalPort)
        {
            return RuleProtocol.Covers(Protocol, ipProtocol) && externalPort >= ExternalPort && externalPort <= ExternalPortEnd;
        }

        public bool Admits(uint source)
        {
            return Ipv4Address.InPrefix(source, AllowedSource, AllowedSourcePrefixLength);
        }

        public int InternalPortFor(int externalPort)
        {
            return InternalPort + (externalPort - ExternalPort);
        }

        /// <summary>True when both rules steer the same traffic the same way (the name does not matter to flows).</summary>
        public bool SameTraffic(PortForward other)
        {
            return Enabled == other.Enabled && Protocol == other.Protocol && ExternalPort == other.ExternalPort
                && ExternalPortEnd == other.ExternalPortEnd && InternalAddress == other.InternalAddress && InternalPort == other.InternalPort
                && AllowedSource == other.AllowedSource && AllowedSourcePrefixLength == other.AllowedSourcePrefixLength;
        }

        public void CopyFrom(PortForward other)
        {
            Name = other.Name;
            Enabled = other.Enabled;
            Protocol = other.Protocol;
            ExternalPort = other.ExternalPort;
            ExternalPortEnd = other.ExternalPortEnd;
            InternalAddress = other.InternalAddress;
            InternalPort = other.InternalPort;
            AllowedSource = other.AllowedSource;
            AllowedSourcePrefixLength = other.AllowedSourcePrefixLength;
        }
    }
}
