using Router.Conntrack;

namespace Router.Ip
{
    /// <summary>
    /// Remembers which connection the first fragment of a datagram belonged to, keyed by (source, destination,
    /// protocol, IP identification), so later fragments, which carry no ports, get the same translation.
    /// Fixed size; when full the entry closest to expiry is replaced.
    /// </summary>
    public sealed class FragmentTable : IConnectionListener
    {
        public const int NotFound = -1;
        private const int Empty = -1;

        private readonly uint[] _source;
        private readonly uint[] _destination;
        private readonly int[] _protocolAndId;
        private readonly int[] _node;
        private readonly uint[] _expires;

        /// <summary>Seconds a datagram's fragments may keep arriving (RFC 791's reassembly timer is 15 s or more).</summary>
        public int TimeoutSeconds = 30;
        public long Evictions;

        public FragmentTable(int capacity)
        {
            _source = new uint[capacity];
            _destination = new uint[capacity];
            _protocolAndId = new int[capacity];
            _node = new int[capacity];
            _expires = new uint[capacity];
            for (int i = 0; i < capacity; i++) _node[i] = Empty;
        }

        public int Capacity { get { return _node.Length; } }

        public void Remember(uint source, uint destination, int protocol, int id, int node, uint now)
        {
            int slot = Slot(source, destination, protocol, id, now);
            if (slot == NotFound)
            {
                slot = 0;
                for (int i = 0; i < _node.Length; i++)
                {
                    if (_node[i] == Empty || _expires[i] <= now) { slot = i; break; }
                    if (_expires[i] < _expires[slot]) slot = i;
                }
                if (_node[slot] != Empty && _expires[slot] > now) Evictions++;
            }
            _source[slot] = source;
            _destination[slot] = destination;
            _protocolAndId[slot] = (protocol << 16) | id;
            _node[slot] = node;
            _expires[slot] = now + (uint)TimeoutSeconds;
        }

        /// <summary>The connection node for a later fragment, or <see cref="NotFound"/>. The last fragment releases the entry.</summary>
        public int Lookup(uint source, uint destination, int protocol, int id, bool last, uint now)
        {
            int slot = Slot(source, destination, protocol, id, now);
            if (slot == NotFound) return NotFound;
            int node = _node[slot];
            if (last) _node[slot] = Empty;
            return node;
        }

        public void OnConnectionFreed(int connection)
        {
            for (int i = 0; i < _node.Length; i++)
            {
                if (_node[i] != Empty && (_node[i] >> 1) == connection) _node[i] = Empty;
            }
        }

        private int Slot(uint source, uint destination, int protocol, int id, uint now)
        {
            int key = (protocol << 16) | id;
            for (int i = 0; i < _node.Length; i++)
            {
                if (_node[i] != Empty && _protocolAndId[i] == key && _source[i] == source && _destination[i] == destination && _expires[i] > now) return i;
            }
            return NotFound;
        }
    }
}
