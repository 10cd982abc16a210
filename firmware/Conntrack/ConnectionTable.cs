using Router.Wire;

namespace Router.Conntrack
{
    /// <summary>
    /// The connection tracking table: a fixed number of entries preallocated as parallel arrays, each holding the
    /// original and reply tuples (netfilter's two tuplehashes), indexed by one chained hash so a packet finds its
    /// connection in O(1) from either direction. A node is entry * 2 + direction.
    /// Expiry needs no timers: entries carry their last-seen second and are checked on lookup, by a bounded sweep,
    /// and when the table is full.
    /// </summary>
    public sealed class ConnectionTable
    {
        public const int Original = 0;
        public const int Reply = 1;
        /// <summary>What <see cref="Find"/> returns when no connection has the tuple (a lookup's "not found", nothing else).</summary>
        public const int NotFound = -1;
        public const int MaxCapacity = 32767;

        /// <summary>Traffic has been seen in the reply direction.</summary>
        public const int StatusSeenReply = 0x01;
        /// <summary>Reached ESTABLISHED (TCP) or saw a reply (UDP, ICMP): never evicted to make room.</summary>
        public const int StatusAssured = 0x02;
        /// <summary>The original source is rewritten (outbound masquerade, hairpin).</summary>
        public const int StatusSourceNat = 0x04;
        /// <summary>The original destination is rewritten (port forward, trigger, expectation, mapped inbound).</summary>
        public const int StatusDestinationNat = 0x08;
        /// <summary>Opened through a helper's expectation; Link holds the master connection.</summary>
        public const int StatusRelated = 0x10;
        /// <summary>A helper inspects this connection; Link is the helper's to use (its per-connection slot).</summary>
        public const int StatusHelper = 0x20;
        /// <summary>Inbound through an endpoint-independent mapping: the reply source is the mapped inside host.</summary>
        public const int StatusInboundMapped = 0x40;
        private const int StatusInUse = 0x80;

        private const ushort Nil = 0xFFFF;
        private const int FullTableScan = 64;
        private const int MaxListeners = 4;

        private readonly ConntrackTimeouts _timeouts;
        private readonly uint _seed;
        private readonly int _capacity;
        private readonly uint _bucketMask;

        // Per node (entry * 2 + direction).
        private readonly uint[] _sourceAddress;
        private readonly uint[] _destinationAddress;
        private readonly ushort[] _sourcePort;
        private readonly ushort[] _destinationPort;
        private readonly ushort[] _hashNext;

        // Per entry.
        private readonly byte[] _protocol;
        private readonly byte[] _state;
        private readonly byte[] _status;
        private readonly uint[] _lastSeen;
        private readonly ushort[] _link;
        private readonly ushort[] _listPrevious;
        private readonly ushort[] _listNext;

        private readonly ushort[] _buckets;

        private readonly IConnectionListener[] _listeners = new IConnectionListener[MaxListeners];
        private int _listenerCount;

        private ushort _freeHead;
        private ushort _unassuredHead;
        private ushort _unassuredTail;
        private int _sweepHand;
        private int _count;

        public long Created;
        public long Expired;
        public long Evicted;
        public long RefusedFull;
        public long RefusedTupleTaken;

        public ConnectionTable(int capacity, ConntrackTimeouts timeouts, uint seed)
        {
            if (capacity < 1 || capacity > MaxCapacity) throw new System.ArgumentOutOfRangeException("capacity");
            _capacity = capacity;
            _timeouts = timeouts;
            _seed = seed;
            int buckets = 1;
            while (buckets < 2 * capacity) buckets <<= 1; // one bucket per node: chains stay short when the table is nearly full
            _bucketMask = (uint)(buckets - 1);

            int nodes = capacity * 2;
            _sourceAddress = new uint[nodes];
            _destinationAddress = new uint[nodes];
            _sourcePort = new ushort[nodes];
            _destinationPort = new ushort[nodes];
            _hashNext = new ushort[nodes];
            _protocol = new byte[capacity];
            _state = new byte[capacity];
            _status = new byte[capacity];
            _lastSeen = new uint[capacity];
            _link = new ushort[capacity];
            _listPrevious = new ushort[capacity];
            _listNext = new ushort[capacity];
            _buckets = new ushort[buckets];
            for (int i = 0; i < buckets; i++) _buckets[i] = Nil;
            for (int i = 0; i < capacity; i++) _listNext[i] = i + 1 < capacity ? (ushort)(i + 1) : Nil;
            _freeHead = 0;
            _unassuredHead = Nil;
            _unassuredTail = Nil;
        }

        public int Capacity { get { return _capacity; } }
        public int Count { get { return _count; } }
        public int BucketCount { get { return (int)_bucketMask + 1; } }
        public ConntrackTimeouts Timeouts { get { return _timeouts; } }

        /// <summary>Bytes of table state per entry, every array and index counted (for the memory report).</summary>
        public static int BytesPerEntry(int capacity)
        {
            int buckets = 1;
            while (buckets < 2 * capacity) buckets <<= 1; // one bucket per node: chains stay short when the table is nearly full
            int perNode = 4 + 4 + 2 + 2 + 2;
            int perEntry = 1 + 1 + 1 + 4 + 2 + 2 + 2;
            return (2 * perNode * capacity + perEntry * capacity + 2 * buckets + capacity - 1) / capacity;
        }

        public void AddListener(IConnectionListener listener)
        {
            _listeners[_listenerCount++] = listener;
        }

        /// <summary>Finds the node (entry * 2 + direction) whose tuple matches, or <see cref="NotFound"/>.</summary>
        public int Find(int protocol, uint source, uint destination, int sourcePort, int destinationPort)
        {
            int node = _buckets[Bucket(protocol, source, destination, sourcePort, destinationPort)];
            while (node != Nil)
            {
                if (_sourceAddress[node] == source && _destinationAddress[node] == destination
                    && _sourcePort[node] == sourcePort && _destinationPort[node] == destinationPort
                    && _protocol[node >> 1] == protocol)
                {
                    return node;
                }
                node = _hashNext[node];
            }
            return NotFound;
        }

        /// <summary>
        /// Adds a connection and gives its <paramref name="entry"/>. Both tuples must be free (netfilter's
        /// nf_conntrack_tuple_taken: two entries answering one tuple would send a packet to whichever the lookup meets
        /// first), else <see cref="CreateVerdict.TupleTaken"/>. When the table is full it reuses an expired entry, else
        /// evicts a closing TCP connection, else the oldest connection that never became assured, else refuses
        /// (<see cref="CreateVerdict.Full"/>). Refusals are counted and leave <paramref name="entry"/> at <see cref="NotFound"/>.
        /// </summary>
        public CreateVerdict Create(int protocol, uint originalSource, uint originalDestination, int originalSourcePort, int originalDestinationPort,
            uint replySource, uint replyDestination, int replySourcePort, int replyDestinationPort, uint now, out int entry)
        {
            entry = NotFound;
            if (Find(protocol, originalSource, originalDestination, originalSourcePort, originalDestinationPort) >= 0
                || Find(protocol, replySource, replyDestination, replySourcePort, replyDestinationPort) >= 0)
            {
                RefusedTupleTaken++;
                return CreateVerdict.TupleTaken;
            }
            if (!EnsureRoom(now))
            {
                RefusedFull++;
                return CreateVerdict.Full;
            }
            entry = _freeHead;
            _freeHead = _listNext[entry];

            _protocol[entry] = (byte)protocol;
            _state[entry] = 0;
            _status[entry] = StatusInUse;
            _lastSeen[entry] = now;
            _link[entry] = Nil;
            SetTuple(entry * 2, originalSource, originalDestination, originalSourcePort, originalDestinationPort);
            SetTuple(entry * 2 + 1, replySource, replyDestination, replySourcePort, replyDestinationPort);
            AppendUnassured(entry);
            _count++;
            Created++;
            return CreateVerdict.Created;
        }

        /// <summary>
        /// Frees an entry now, by the full-table policy, if none is free, so the next <see cref="Create"/> frees nothing.
        /// Callers holding state tied to existing connections (a NAT mapping, a master) call it first. False when full of assured connections.
        /// </summary>
        public bool EnsureRoom(uint now)
        {
            return _freeHead != Nil || MakeRoom(now);
        }

        /// <summary>Removes a connection and tells the listeners; related connections forget it as their master.</summary>
        public void Free(int entry)
        {
            for (int i = 0; i < _listenerCount; i++) _listeners[i].OnConnectionFreed(entry);
            if ((_status[entry] & StatusHelper) != 0) OrphanRelated(entry);
            Unhash(entry * 2);
            Unhash(entry * 2 + 1);
            if ((_status[entry] & StatusAssured) == 0) UnlinkUnassured(entry);
            _status[entry] = 0;
            _listNext[entry] = _freeHead;
            _freeHead = (ushort)entry;
            _count--;
        }

        public bool InUse(int entry) { return (_status[entry] & StatusInUse) != 0; }
        public int Protocol(int entry) { return _protocol[entry]; }
        public int State(int entry) { return _state[entry]; }
        public void SetState(int entry, int state) { _state[entry] = (byte)state; }
        public int Status(int entry) { return _status[entry]; }
        public bool HasStatus(int entry, int bits) { return (_status[entry] & bits) != 0; }
        public void AddStatus(int entry, int bits) { _status[entry] |= (byte)bits; }
        public uint LastSeen(int entry) { return _lastSeen[entry]; }
        public void Touch(int entry, uint now) { _lastSeen[entry] = now; }

        /// <summary>The master connection (related) or helper slot (helper), or -1.</summary>
        public int Link(int entry) { return _link[entry] == Nil ? -1 : _link[entry]; }
        public void SetLink(int entry, int link) { _link[entry] = link < 0 ? Nil : (ushort)link; }

        public uint SourceAddress(int node) { return _sourceAddress[node]; }
        public uint DestinationAddress(int node) { return _destinationAddress[node]; }
        public int SourcePort(int node) { return _sourcePort[node]; }
        public int DestinationPort(int node) { return _destinationPort[node]; }

        /// <summary>Marks a connection assured: from now on it is never evicted to make room.</summary>
        public void SetAssured(int entry)
        {
            if ((_status[entry] & StatusAssured) != 0) return;
            UnlinkUnassured(entry);
            _status[entry] |= StatusAssured;
        }

        public int TimeoutSeconds(int entry)
        {
            return _timeouts.For(_protocol[entry], _state[entry], (_status[entry] & StatusAssured) != 0);
        }

        public bool IsExpired(int entry, uint now)
        {
            return now - _lastSeen[entry] > (uint)TimeoutSeconds(entry);
        }

        /// <summary>Examines up to <paramref name="budget"/> entries round-robin and frees the expired ones.</summary>
        public int Sweep(uint now, int budget)
        {
            int freed = 0;
            for (int i = 0; i < budget; i++)
            {
                int entry = _sweepHand;
                _sweepHand = entry + 1 == _capacity ? 0 : entry + 1;
                if (InUse(entry) && IsExpired(entry, now))
                {
                    Free(entry);
                    Expired++;
                    freed++;
                }
            }
            return freed;
        }

        private void OrphanRelated(int master)
        {
            // Masters are few (helper-inspected control connections) and freed rarely, so a scan is affordable here.
            for (int i = 0; i < _capacity; i++)
            {
                if ((_status[i] & StatusRelated) != 0 && _link[i] == master) _link[i] = Nil;
            }
        }

        /// <summary>
        /// Frees one connection by the full-table policy: an expired one, else a closing TCP connection, else the oldest
        /// never assured. Returns false when every connection is live and assured and no TCP one is closing. Also used
        /// when a table beside this one (NAT mappings) is full.
        /// </summary>
        public bool MakeRoom(uint now)
        {
            if (_unassuredHead != Nil && IsExpired(_unassuredHead, now))
            {
                Free(_unassuredHead);
                Expired++;
                return true;
            }
            int budget = FullTableScan < _capacity ? FullTableScan : _capacity;
            if (Sweep(now, budget) > 0) return true;
            if (EvictClosing(budget)) return true;
            if (_unassuredHead != Nil)
            {
                Free(_unassuredHead);
                Evicted++;
                return true;
            }
            return false;
        }

        /// <summary>
        /// Evicts a TCP connection that is closing or closed (FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE: netfilter's
        /// tcp_can_early_drop), examining up to <paramref name="budget"/> entries from the sweep hand. A closed connection
        /// stays assured in TIME_WAIT for minutes: without this, a small table (esp32-eth: 128) that saw a few hundred
        /// short connections in a minute (FTP sessions, each a control and a data connection) refuses every new one.
        /// A handshake in progress is worth more than a finished connection, so these go before the unassured ones.
        /// </summary>
        private bool EvictClosing(int budget)
        {
            for (int i = 0; i < budget; i++)
            {
                int entry = _sweepHand;
                _sweepHand = entry + 1 == _capacity ? 0 : entry + 1;
                if (InUse(entry) && _protocol[entry] == IpProtocol.Tcp && _state[entry] >= TcpState.FinWait)
                {
                    Free(entry);
                    Evicted++;
                    return true;
                }
            }
            return false;
        }

        private void SetTuple(int node, uint source, uint destination, int sourcePort, int destinationPort)
        {
            _sourceAddress[node] = source;
            _destinationAddress[node] = destination;
            _sourcePort[node] = (ushort)sourcePort;
            _destinationPort[node] = (ushort)destinationPort;
            int bucket = Bucket(_protocol[node >> 1], source, destination, sourcePort, destinationPort);
            _hashNext[node] = _buckets[bucket];
            _buckets[bucket] = (ushort)node;
        }

        private void Unhash(int node)
        {
            int bucket = Bucket(_protocol[node >> 1], _sourceAddress[node], _destinationAddress[node], _sourcePort[node], _destinationPort[node]);
            if (_buckets[bucket] == node)
            {
                _buckets[bucket] = _hashNext[node];
                return;
            }
            int previous = _buckets[bucket];
            while (_hashNext[previous] != node) previous = _hashNext[previous];
            _hashNext[previous] = _hashNext[node];
        }

        private void AppendUnassured(int entry)
        {
            _listPrevious[entry] = _unassuredTail;
            _listNext[entry] = Nil;
            if (_unassuredTail == Nil) _unassuredHead = (ushort)entry;
            else _listNext[_unassuredTail] = (ushort)entry;
            _unassuredTail = (ushort)entry;
        }

        private void UnlinkUnassured(int entry)
        {
            ushort previous = _listPrevious[entry], next = _listNext[entry];
            if (previous == Nil) _unassuredHead = next; else _listNext[previous] = next;
            if (next == Nil) _unassuredTail = previous; else _listPrevious[next] = previous;
        }

        private int Bucket(int protocol, uint source, uint destination, int sourcePort, int destinationPort)
        {
            // Seeded multiplicative mixing: cheap, and the random seed keeps remote hosts from aiming at one chain.
            uint h = _seed ^ (uint)protocol;
            h = Mix(h ^ source);
            h = Mix(h ^ destination);
            h = Mix(h ^ (uint)((sourcePort << 16) | destinationPort));
            return (int)(h & _bucketMask);
        }

        private static uint Mix(uint h)
        {
            h *= 0x9E3779B1;
            return h ^ (h >> 15);
        }
    }
}
