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
        // The pool's other members, 0 when unused, filled from the first; null until a pool is first set (on the config
        // path, never per frame), so a board pays 12 B per rule slot for pools until one is used (36 B more per copy then).
        private uint[] _more;
        /// <summary>Internal port for <see cref="ExternalPort"/>; the rest of the range follows one to one.</summary>
        public int InternalPort;
        /// <summary>Only this source address or prefix may connect; prefix length 0 admits everyone.</summary>
        public uint AllowedSource;
        public int AllowedSourcePrefixLength;

        /// <summary>How many internal hosts this forward balances over: 1 without a pool, up to <see cref="MaxPoolMembers"/>.</summary>
        public int PoolSize
        {
            get
            {
                if (_more == null) return 1;
                int n = 1;
                while (n < MaxPoolMembers && _more[n - 1] != 0) n++;
                return n;
            }
        }

        /// <summary>Member <paramref name="index"/> of the pool (0 is <see cref="InternalAddress"/>), 0 past its end.</summary>
        public uint PoolMember(int index)
        {
            if (index == 0) return InternalAddress;
            return _more == null || index < 1 || index >= MaxPoolMembers ? 0 : _more[index - 1];
        }

        /// <summary>Sets member <paramref name="index"/> (1 to 3; 0 is <see cref="InternalAddress"/>); 0 removes it. Keep members contiguous.</summary>
        public void SetPoolMember(int index, uint address)
        {
            if (index == 0)
            {
                InternalAddress = address;
                return;
            }
            if (index < 1 || index >= MaxPoolMembers) return;
            if (_more == null)
            {
                if (address == 0) return;
                _more = new uint[MaxPoolMembers - 1];
            }
            _more[index - 1] = address;
        }

        /// <summary>Removes every member but <see cref="InternalAddress"/>.</summary>
        public void ClearPool()
        {
            if (_more == null) return;
            for (int i = 0; i < _more.Length; i++) _more[i] = 0;
        }

        /// <summary>
        /// The member a connection from <paramref name="source"/> goes to: a hash of the source address, so one client
        /// keeps reaching the same host (its FTP data connections too, which the FTP helper pins regardless).
        /// </summary>
        public uint MemberFor(uint source)
        {
            if (_more == null || _more[0] == 0) return InternalAddress;
            uint hash = source * 2654435761u; // Knuth's multiplicative hash: the high bits mix every bit of the address
            return PoolMember((int)((hash >> 16) % (uint)PoolSize));
        }

        /// <summary>True when <paramref name="address"/> is one of this forward's internal hosts.</summary>
        public bool HasMember(uint address)
        {
            for (int i = 0; i < MaxPoolMembers; i++)
            {
                if (address != 0 && PoolMember(i) == address) return true;
            }
            return false;
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
                && PoolMember(1) == other.PoolMember(1) && PoolMember(2) == other.PoolMember(2) && PoolMember(3) == other.PoolMember(3)
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
            ClearPool();
            for (int i = 1; i < MaxPoolMembers; i++) SetPoolMember(i, other.PoolMember(i));
            InternalPort = other.InternalPort;
            AllowedSource = other.AllowedSource;
            AllowedSourcePrefixLength = other.AllowedSourcePrefixLength;
        }
    }
}
