using Router.Wire;

namespace Router.Rules
{
    /// <summary>
    /// A port forward (DNAT): new connections to the WAN address on an external port, or a range mapped one to one,
    /// go to a LAN host. Plain data; <see cref="RuleValidator"/> checks it and <see cref="PortForwardTable"/> runs it.
    /// </summary>
    public sealed class PortForward
    {
        /// <summary>Most internal hosts one forward can balance over (<see cref="InternalAddress"/> and three more).</summary>
        public const int MaxPoolMembers = 4;

        public string Name = "";
        public bool Enabled = true;
        /// <summary>A <see cref="RuleProtocol"/> value.</summary>
        public int Protocol = RuleProtocol.Tcp;
        public int ExternalPort;
        /// <summary>Last external port of the range; equal to <see cref="ExternalPort"/> for a single port.</summary>
        public int ExternalPortEnd;
        /// <summary>The internal host; with a pool, its first member.</summary>
        public uint InternalAddress;
        // The pool's other members, 0 when unused, filled from the first: plain fields, as each costs 12 B on nanoCLR
        // whatever its type while an array would add its own header to every rule slot of every copy.
        private uint _member1;
        private uint _member2;
        private uint _member3;
        /// <summary>Internal port for <see cref="ExternalPort"/>; the rest of the range follows one to one.</summary>
        public int InternalPort;
        /// <summary>Only this source address or prefix may connect; prefix length 0 admits everyone.</summary>
        public uint AllowedSource;
        public int AllowedSourcePrefixLength;

        /// <summary>How many internal hosts this forward balances over: 1 without a pool, up to <see cref="MaxPoolMembers"/>.</summary>
        public int PoolSize
        {
            get { return _member1 == 0 ? 1 : _member2 == 0 ? 2 : _member3 == 0 ? 3 : 4; }
        }

        /// <summary>Member <paramref name="index"/> of the pool (0 is <see cref="InternalAddress"/>), 0 past its end.</summary>
        public uint PoolMember(int index)
        {
            switch (index)
            {
                case 0: return InternalAddress;
                case 1: return _member1;
                case 2: return _member2;
                case 3: return _member3;
            }
            return 0;
        }

        /// <summary>Sets member <paramref name="index"/> (1 to 3; 0 is <see cref="InternalAddress"/>); 0 removes it. Keep members contiguous.</summary>
        public void SetPoolMember(int index, uint address)
        {
            switch (index)
            {
                case 0: InternalAddress = address; break;
                case 1: _member1 = address; break;
                case 2: _member2 = address; break;
                case 3: _member3 = address; break;
            }
        }

        /// <summary>Removes every member but <see cref="InternalAddress"/>.</summary>
        public void ClearPool()
        {
            _member1 = _member2 = _member3 = 0;
        }

        /// <summary>
        /// The member a connection from <paramref name="source"/> goes to: a hash of the source address, so one client
        /// keeps reaching the same host (its FTP data connections too, which the FTP helper pins regardless).
        /// </summary>
        public uint MemberFor(uint source)
        {
            if (_member1 == 0) return InternalAddress;
            uint hash = source * 2654435761u; // Knuth's multiplicative hash: the high bits mix every bit of the address
            return PoolMember((int)((hash >> 16) % (uint)PoolSize));
        }

        /// <summary>True when <paramref name="address"/> is one of this forward's internal hosts.</summary>
        public bool HasMember(uint address)
        {
            return address != 0 && (address == InternalAddress || address == _member1 || address == _member2 || address == _member3);
        }

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
                && _member1 == other._member1 && _member2 == other._member2 && _member3 == other._member3
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
            _member1 = other._member1;
            _member2 = other._member2;
            _member3 = other._member3;
            InternalPort = other.InternalPort;
            AllowedSource = other.AllowedSource;
            AllowedSourcePrefixLength = other.AllowedSourcePrefixLength;
        }
    }
}
