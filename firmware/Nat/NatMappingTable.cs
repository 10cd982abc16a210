using Router.Conntrack;

namespace Router.Nat
{
    /// <summary>
    /// Endpoint-independent NAT mappings (RFC 4787 REQ-1, RFC 5382 REQ-1): one outside port per inside
    /// (protocol, address, port), shared by every connection from that endpoint. Each mapping chains the connections
    /// that use it, so filtering can ask "has this inside endpoint sent to that outside host?" without a scan.
    /// The mapping is released with its last connection.
    /// </summary>
    public sealed class NatMappingTable : IConnectionListener
    {
        public const int NotFound = -1;
        private const ushort Nil = 0xFFFF;
        private const int MaxProbes = 256;

        private readonly ConnectionTable _connections;
        private readonly int _capacity;
        private readonly uint _bucketMask;

        private readonly byte[] _protocol;
        private readonly uint[] _internalAddress;
        private readonly ushort[] _internalPort;
        private readonly ushort[] _externalPort;
        private readonly ushort[] _firstConnection;
        private readonly ushort[] _nextByInternal;
        private readonly ushort[] _nextByExternal;
        private readonly ushort[] _internalBuckets;
        private readonly ushort[] _externalBuckets;
        // Per connection: the next connection using the same mapping.
        private readonly ushort[] _connectionNext;

        private ushort _freeHead;
        private int _count;
        private uint _probeCursor;

        public int PortLow = 1024;
        public int PortHigh = 65535;
        public IPortReservations Reservations;

        public long Exhausted;

        public NatMappingTable(int capacity, ConnectionTable connections)
        {
            _capacity = capacity;
            _connections = connections;
            int buckets = 1;
            while (buckets < capacity) buckets <<= 1;
            _bucketMask = (uint)(buckets - 1);
            _protocol = new byte[capacity];
            _internalAddress = new uint[capacity];
            _internalPort = new ushort[capacity];
            _externalPort = new ushort[capacity];
            _firstConnection = new ushort[capacity];
            _nextByInternal = new ushort[capacity];
            _nextByExternal = new ushort[capacity];
            _internalBuckets = new ushort[buckets];
            _externalBuckets = new ushort[buckets];
            _connectionNext = new ushort[connections.Capacity];
            for (int i = 0; i < buckets; i++)
            {
                _internalBuckets[i] = Nil;
                _externalBuckets[i] = Nil;
            }
            for (int i = 0; i < capacity; i++) _nextByInternal[i] = i + 1 < capacity ? (ushort)(i + 1) : Nil;
            _freeHead = 0;
            connections.AddListener(this);
        }

        public int Capacity { get { return _capacity; } }
        public int Count { get { return _count; } }

        /// <summary>Bytes per mapping, indexes included, and bytes this table adds per connection.</summary>
        public static int BytesPerMapping(int capacity)
        {
            int buckets = 1;
            while (buckets < capacity) buckets <<= 1;
            return (capacity * (1 + 4 + 2 + 2 + 2 + 2 + 2) + 2 * 2 * buckets + capacity - 1) / capacity;
        }

        public const int BytesPerConnection = 2;

        public int ExternalPort(int mapping) { return _externalPort[mapping]; }
        public uint InternalAddress(int mapping) { return _internalAddress[mapping]; }
        public int InternalPort(int mapping) { return _internalPort[mapping]; }

        public int FindByInternal(int protocol, uint address, int port)
        {
            int m = _internalBuckets[HashInternal(protocol, address, port)];
            while (m != Nil)
            {
                if (_internalAddress[m] == address && _internalPort[m] == port && _protocol[m] == protocol) return m;
                m = _nextByInternal[m];
            }
            return NotFound;
        }

        public int FindByExternal(int protocol, int externalPort)
        {
            int m = _externalBuckets[HashExternal(protocol, externalPort)];
            while (m != Nil)
            {
                if (_externalPort[m] == externalPort && _protocol[m] == protocol) return m;
                m = _nextByExternal[m];
            }
            return NotFound;
        }

        /// <summary>
        /// The mapping of an inside endpoint, created if needed: the same port outside when it is free (port
        /// preservation), else a free port from [PortLow, PortHigh]. Returns <see cref="NotFound"/> when the table is full
        /// or no port is free.
        /// </summary>
        public int Acquire(int protocol, uint internalAddress, int internalPort, uint random)
        {
            int m = FindByInternal(protocol, internalAddress, internalPort);
            if (m != NotFound) return m;
            if (_freeHead == Nil)
            {
                Exhausted++;
                return NotFound;
            }
            int port = IsFree(protocol, internalPort) ? internalPort : FindFreePort(protocol, random);
            if (port < 0)
            {
                Exhausted++;
                return NotFound;
            }
            m = _freeHead;
            _freeHead = _nextByInternal[m];
            _protocol[m] = (byte)protocol;
            _internalAddress[m] = internalAddress;
            _internalPort[m] = (ushort)internalPort;
            _externalPort[m] = (ushort)port;
            _firstConnection[m] = Nil;
            int bi = HashInternal(protocol, internalAddress, internalPort);
            _nextByInternal[m] = _internalBuckets[bi];
            _internalBuckets[bi] = (ushort)m;
            int be = HashExternal(protocol, port);
            _nextByExternal[m] = _externalBuckets[be];
            _externalBuckets[be] = (ushort)m;
            _count++;
            return m;
        }

        /// <summary>True when no mapping and no reservation holds this outside port.</summary>
        public bool IsFree(int protocol, int externalPort)
        {
            if (externalPort <= 0) return false;
            return FindByExternal(protocol, externalPort) == NotFound && !IsReserved(protocol, externalPort);
        }

        /// <summary>True when a forward, a trigger or a service of the router holds this outside port.</summary>
        public bool IsReserved(int protocol, int externalPort)
        {
            return Reservations != null && Reservations.IsReserved(protocol, externalPort);
        }

        /// <summary>Records that <paramref name="connection"/> uses <paramref name="mapping"/>.</summary>
        public void Attach(int mapping, int connection)
        {
            _connectionNext[connection] = _firstConnection[mapping];
            _firstConnection[mapping] = (ushort)connection;
        }

        /// <summary>True when a connection of this mapping has exchanged traffic with <paramref name="remoteAddress"/> (and port, when not negative).</summary>
        public bool HasPeer(int mapping, uint remoteAddress, int remotePort)
        {
            int c = _firstConnection[mapping];
            while (c != Nil)
            {
                int node = _connections.HasStatus(c, ConnectionTable.StatusInboundMapped) ? c * 2 : c * 2 + 1;
                // The peer is the original source of an inbound connection, the reply source of an outbound one.
                if (_connections.SourceAddress(node) == remoteAddress && (remotePort < 0 || _connections.SourcePort(node) == remotePort)) return true;
                c = _connectionNext[c];
            }
            return false;
        }

        public void OnConnectionFreed(int connection)
        {
            int m = MappingOf(connection);
            if (m == NotFound) return;
            if (_firstConnection[m] == connection)
            {
                _firstConnection[m] = _connectionNext[connection];
            }
            else
            {
                int c = _firstConnection[m];
                while (c != Nil && _connectionNext[c] != connection) c = _connectionNext[c];
                if (c == Nil) return;
                _connectionNext[c] = _connectionNext[connection];
            }
            if (_firstConnection[m] == Nil) Release(m);
        }

        /// <summary>The mapping a connection belongs to, found from its tuple (so connections need not store it).</summary>
        public int MappingOf(int connection)
        {
            int protocol = _connections.Protocol(connection);
            if (_connections.HasStatus(connection, ConnectionTable.StatusSourceNat))
            {
                int node = connection * 2;
                return FindByInternal(protocol, _connections.SourceAddress(node), _connections.SourcePort(node));
            }
            if (_connections.HasStatus(connection, ConnectionTable.StatusInboundMapped))
            {
                int node = connection * 2 + 1;
                return FindByInternal(protocol, _connections.SourceAddress(node), _connections.SourcePort(node));
            }
            return NotFound;
        }

        /// <summary>
        /// Cuts every mapping on an outside port that is now reserved (a forward or trigger was just put in force over a port
        /// a LAN host had taken), with its connections: left alone it would capture the rule's traffic (port shadowing).
        /// Run when rules change, not per frame. Returns the number of connections cut.
        /// </summary>
        public int CutReserved()
        {
            int cut = 0;
            for (int b = 0; b < _externalBuckets.Length; b++)
            {
                int m = _externalBuckets[b];
                while (m != Nil)
                {
                    int next = _nextByExternal[m];
                    if (IsReserved(_protocol[m], _externalPort[m]))
                    {
                        // Freeing the last connection releases the mapping (OnConnectionFreed).
                        while (_firstConnection[m] != Nil)
                        {
                            _connections.Free(_firstConnection[m]);
                            cut++;
                        }
                    }
                    m = next;
                }
            }
            CutForReservations += cut;
            return cut;
        }

        /// <summary>Connections cut by <see cref="CutReserved"/> since boot.</summary>
        public long CutForReservations;

        /// <summary>Releases a mapping that no connection ended up using.</summary>
        public void ReleaseIfUnused(int mapping)
        {
            if (_firstConnection[mapping] == Nil) Release(mapping);
        }

        private void Release(int m)
        {
            Unlink(_internalBuckets, _nextByInternal, HashInternal(_protocol[m], _internalAddress[m], _internalPort[m]), m);
            Unlink(_externalBuckets, _nextByExternal, HashExternal(_protocol[m], _externalPort[m]), m);
            _nextByInternal[m] = _freeHead;
            _freeHead = (ushort)m;
            _count--;
        }

        private static void Unlink(ushort[] buckets, ushort[] next, int bucket, int m)
        {
            if (buckets[bucket] == m)
            {
                buckets[bucket] = next[m];
                return;
            }
            int p = buckets[bucket];
            while (next[p] != m) p = next[p];
            next[p] = next[m];
        }

        private int FindFreePort(int protocol, uint random)
        {
            int range = PortHigh - PortLow + 1;
            if (range <= 0) return -1;
            // Start somewhere unpredictable, then walk: a bounded number of probes keeps a crowded range from stalling the loop.
            _probeCursor += random;
            int start = (int)(_probeCursor % (uint)range);
            int probes = range < MaxProbes ? range : MaxProbes;
            for (int i = 0; i < probes; i++)
            {
                int port = PortLow + (start + i) % range;
                if (IsFree(protocol, port)) return port;
            }
            return -1;
        }

        private int HashInternal(int protocol, uint address, int port)
        {
            uint h = (address ^ ((uint)port << 16) ^ (uint)protocol) * 0x9E3779B1;
            return (int)((h ^ (h >> 16)) & _bucketMask);
        }

        private int HashExternal(int protocol, int port)
        {
            uint h = ((uint)port | ((uint)protocol << 16)) * 0x9E3779B1;
            return (int)((h ^ (h >> 16)) & _bucketMask);
        }
    }
}
