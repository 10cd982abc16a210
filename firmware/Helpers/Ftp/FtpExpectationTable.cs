using Router.Nat;
using Router.Wire;

namespace Router.Helpers.Ftp
{
    /// <summary>
    /// Data connections the helper expects: each admits exactly one TCP connection from the right peer to its outside
    /// port, within the timeout, and maps it to the inside host as a connection related to its control connection.
    /// The outside port is held by a NAT mapping of the inside endpoint until the expectation is used or dropped.
    /// Used and expired entries stay as tombstones until their slot is needed, so a second use is recognised and counted.
    /// </summary>
    public sealed class FtpExpectationTable : IInboundRule
    {
        private const byte Free = 0;
        private const byte Pending = 1;
        private const byte Used = 2;
        private const byte Expired = 3;

        private readonly NatMappingTable _mappings;
        private readonly FtpHelperSettings _settings;
        private readonly FtpCounters _counters;
        private readonly byte[] _state;
        private readonly uint[] _created;
        private readonly uint[] _peer;
        private readonly ushort[] _externalPort;
        private readonly uint[] _internalAddress;
        private readonly ushort[] _internalPort;
        private readonly ushort[] _master;

        public FtpExpectationTable(int capacity, NatMappingTable mappings, FtpHelperSettings settings, FtpCounters counters)
        {
            _mappings = mappings;
            _settings = settings;
            _counters = counters;
            _state = new byte[capacity];
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
        public void Add(int master, uint peer, int externalPort, uint internalAddress, int internalPort, uint now)
        {
            Sweep(now);
            int slot = FindPending(master, peer, externalPort);
            if (slot >= 0)
            {
                _created[slot] = now;
                _counters.Increment(FtpCounters.ExpectationsCreated);
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
                _counters.Increment(FtpCounters.ExpectationsEvicted);
            }
            _state[slot] = Pending;
            _created[slot] = now;
            _peer[slot] = peer;
            _externalPort[slot] = (ushort)externalPort;
            _internalAddress[slot] = internalAddress;
            _internalPort[slot] = (ushort)internalPort;
            _master[slot] = (ushort)master;
            _counters.Increment(FtpCounters.ExpectationsCreated);
        }

        public bool TryClaim(int protocol, uint remoteAddress, int remotePort, int externalPort, uint now, InboundTarget target)
        {
            if (protocol != IpProtocol.Tcp) return false;
            Sweep(now);
            int pending = -1, tombstone = -1;
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] == Free || _externalPort[i] != externalPort) continue;
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
                _counters.Increment(FtpCounters.ExpectationsUsed);
                return true;
            }
            if (pending >= 0) _counters.Increment(FtpCounters.RefusedWrongPeer);
            else if (tombstone >= 0) _counters.Increment(_state[tombstone] == Used ? FtpCounters.RefusedUsedTwice : FtpCounters.RefusedAfterTimeout);
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
                if (_state[i] != Pending || now - _created[i] <= (uint)_settings.ExpectationTimeoutSeconds) continue;
                Release(i);
                _state[i] = Expired;
                _counters.Increment(FtpCounters.ExpectationsExpired);
            }
        }

        /// <summary>Gives the outside port back, unless the mapping holding it has since gained connections of its own.</summary>
        private void Release(int i)
        {
            int mapping = _mappings.FindByExternal(IpProtocol.Tcp, _externalPort[i]);
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
                if (count < _settings.MaxExpectedPerControl || oldest < 0) return;
                Release(oldest);
                _state[oldest] = Free;
                _counters.Increment(FtpCounters.ExpectationsEvicted);
            }
        }

        private int FindPending(int master, uint peer, int externalPort)
        {
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] == Pending && _master[i] == master && _peer[i] == peer && _externalPort[i] == externalPort) return i;
            }
            return -1;
        }

        /// <summary>Eviction order: tombstones before pending entries.</summary>
        private int Rank(int i) { return _state[i] == Pending ? 1 : 0; }

        private bool Older(int a, int b) { return (int)(_created[a] - _created[b]) < 0; }
    }
}
