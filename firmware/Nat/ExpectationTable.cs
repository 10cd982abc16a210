using Router.Wire;

namespace Router.Nat
{
    /// <summary>
    /// Connections a helper expects (netfilter's nf_conntrack_expect, a service any helper uses: FTP today, a TFTP or SIP
    /// helper the same way): each admits exactly one connection of its protocol from the right peer to its outside
    /// port, within the helper's timeout, and maps it to the inside host as a connection related to its master.
    /// A master holds at most the helper's MaxExpectedPerMaster pending expectations; a newer one evicts its oldest.
    /// The outside port is held by a NAT mapping of the inside endpoint until the expectation is used or dropped.
    /// Used and expired entries stay as tombstones until their slot is needed, so a second use is recognised and counted.
    /// </summary>
    public sealed class ExpectationTable : IInboundRule
    {
        private const byte Free = 0;
        private const byte Pending = 1;
        private const byte Used = 2;
        private const byte Expired = 3;

        private readonly NatMappingTable _mappings;
        private readonly IExpectationPolicy _policy;
        private readonly byte[] _state;
        private readonly byte[] _protocol;
        private readonly uint[] _created;
        private readonly uint[] _peer;
        private readonly ushort[] _externalPort;
        private readonly uint[] _internalAddress;
        private readonly ushort[] _internalPort;
        private readonly ushort[] _master;

        public ExpectationTable(int capacity, NatMappingTable mappings, IExpectationPolicy policy)
        {
            _mappings = mappings;
            _policy = policy;
            _state = new byte[capacity];
            _protocol = new byte[capacity];
            _created = new uint[capacity];
            _peer = new uint[capacity];
            _externalPort = new ushort[capacity];
            _internalAddress = new uint[capacity];
            _internalPort = new ushort[capacity];
            _master = new ushort[capacity];
        }

        public int Capacity { get { return _state.Length; } }

        /// <summary>Expectations still waiting for their connection.</summary>
        public int PendingCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _state.Length; i++) if (_state[i] == Pending) n++;
                return n;
            }
        }

        /// <summary>
        /// Expects one connection from <paramref name="peer"/> to <paramref name="externalPort"/> (held by a mapping
        /// of the inside endpoint), sent on to the inside endpoint as related to <paramref name="master"/>.
        /// The same expectation again (a client naming its data port twice) replaces the pending one, as in netfilter,
        /// so repeats neither fill the table nor evict an entry that holds the port the new one needs.
        /// A full table reuses a tombstone, else the oldest pending entry.
        /// </summary>
        public void Add(int master, int protocol, uint peer, int externalPort, uint internalAddress, int internalPort, uint now)
        {
            Sweep(now);
            int slot = FindPending(master, protocol, peer, externalPort);
            if (slot >= 0)
            {
                _created[slot] = now;
                _policy.Count(ExpectationEvent.Created);
                return;
            }
            EvictOverLimit(master);
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] == Free) { slot = i; break; }
                if (slot < 0 || Rank(i) < Rank(slot) || (Rank(i) == Rank(slot) && Older(i, slot))) slot = i;
            }
            if (_state[slot] == Pending)
            {
                Release(slot);
                _policy.Count(ExpectationEvent.Evicted);
            }
            _state[slot] = Pending;
            _protocol[slot] = (byte)protocol;
            _created[slot] = now;
            _peer[slot] = peer;
            _externalPort[slot] = (ushort)externalPort;
            _internalAddress[slot] = internalAddress;
            _internalPort[slot] = (ushort)internalPort;
            _master[slot] = (ushort)master;
            _policy.Count(ExpectationEvent.Created);
        }

        public bool TryClaim(int protocol, uint remoteAddress, int remotePort, int externalPort, uint now, InboundTarget target)
        {
            Sweep(now);
            int pending = -1, tombstone = -1;
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] == Free || _protocol[i] != protocol || _externalPort[i] != externalPort) continue;
                if (_state[i] == Pending)
                {
                    if (pending < 0 || _peer[i] == remoteAddress) pending = i;
                }
                else if (_peer[i] == remoteAddress)
                {
                    tombstone = i;
                }
            }
            if (pending >= 0 && _peer[pending] == remoteAddress)
            {
                target.InternalAddress = _internalAddress[pending];
                target.InternalPort = _internalPort[pending];
                target.Master = _master[pending];
                Release(pending);
                _state[pending] = Used;
                _policy.Count(ExpectationEvent.Used);
                return true;
            }
            if (pending >= 0) _policy.Count(ExpectationEvent.RefusedWrongPeer);
            else if (tombstone >= 0) _policy.Count(_state[tombstone] == Used ? ExpectationEvent.RefusedUsedTwice : ExpectationEvent.RefusedAfterTimeout);
            return false;
        }

        /// <summary>Drops the expectations of a control connection that went away.</summary>
        public void RemoveFor(int master)
        {
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] == Free || _master[i] != master) continue;
                if (_state[i] == Pending) Release(i);
                _state[i] = Free;
            }
        }

        /// <summary>Expires pending entries older than the timeout, releasing their outside ports.</summary>
        public void Sweep(uint now)
        {
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] != Pending || now - _created[i] <= (uint)_policy.ExpectationTimeoutSeconds) continue;
                Release(i);
                _state[i] = Expired;
                _policy.Count(ExpectationEvent.Expired);
            }
        }

        /// <summary>Gives the outside port back, unless the mapping holding it has since gained connections of its own.</summary>
        private void Release(int i)
        {
            int mapping = _mappings.FindByExternal(_protocol[i], _externalPort[i]);
            if (mapping < 0 || _mappings.InternalAddress(mapping) != _internalAddress[i] || _mappings.InternalPort(mapping) != _internalPort[i]) return;
            _mappings.ReleaseIfUnused(mapping);
        }

        /// <summary>
        /// Makes room for one more expectation of <paramref name="master"/> within its limit by evicting its oldest
        /// pending ones (netfilter's evict_oldest_expect): a control connection cannot hoard the table.
        /// </summary>
        private void EvictOverLimit(int master)
        {
            while (true)
            {
                int count = 0, oldest = -1;
                for (int i = 0; i < _state.Length; i++)
                {
                    if (_state[i] != Pending || _master[i] != master) continue;
                    count++;
                    if (oldest < 0 || Older(i, oldest)) oldest = i;
                }
                if (count < _policy.MaxExpectedPerMaster || oldest < 0) return;
                Release(oldest);
                _state[oldest] = Free;
                _policy.Count(ExpectationEvent.Evicted);
            }
        }

        private int FindPending(int master, int protocol, uint peer, int externalPort)
        {
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] == Pending && _master[i] == master && _protocol[i] == protocol && _peer[i] == peer && _externalPort[i] == externalPort) return i;
            }
            return -1;
        }

        /// <summary>Eviction order: tombstones before pending entries.</summary>
        private int Rank(int i) { return _state[i] == Pending ? 1 : 0; }

        private bool Older(int a, int b) { return (int)(_created[a] - _created[b]) < 0; }
    }
}
