namespace Router.Link
{
    /// <summary>
    /// IPv4-to-MAC bindings per port, in a fixed open-addressed table. Slots are never emptied, only overwritten,
    /// so probe chains stay intact; when every slot is taken the least recently confirmed binding is replaced.
    /// </summary>
    public sealed class ArpCache
    {
        public const int NotFound = -1;
        private const byte Free = 0;
        private const byte Incomplete = 1;
        private const byte Reachable = 2;

        private readonly int _capacity;
        private readonly int _slotMask;
        private readonly uint[] _address;
        private readonly byte[] _port;
        private readonly byte[] _state;
        private readonly byte[] _mac;
        private readonly long[] _confirmedAt;
        private readonly long[] _requestedAt;
        private readonly byte[] _requests;

        /// <summary>How long a binding is trusted after the last reply (ms).</summary>
        public int ReachableMilliseconds = 300000;
        /// <summary>Gap between requests for an unresolved address (ms).</summary>
        public int RetryMilliseconds = 1000;
        /// <summary>Requests sent before an address is given up.</summary>
        public int MaxRequests = 3;

        /// <summary>Holds at least <paramref name="capacity"/> bindings (rounded up to a power of two, so probing needs no division).</summary>
        public ArpCache(int capacity)
        {
            int slots = 1;
            while (slots < capacity) slots <<= 1;
            capacity = slots;
            _capacity = capacity;
            _slotMask = slots - 1;
            _address = new uint[capacity];
            _port = new byte[capacity];
            _state = new byte[capacity];
            _mac = new byte[capacity * 6];
            _confirmedAt = new long[capacity];
            _requestedAt = new long[capacity];
            _requests = new byte[capacity];
        }

        public int Capacity { get { return _capacity; } }
        public byte[] MacBuffer { get { return _mac; } }

        /// <summary>Whether a slot holds a binding heard on the wire (fresh or not), for listing devices.</summary>
        public bool IsResolved(int slot) { return _state[slot] == Reachable; }
        /// <summary>The slot of <paramref name="address"/> on <paramref name="port"/>, fresh or stale, or <see cref="NotFound"/>.</summary>
        public int FindSlot(int port, uint address) { return Find(port, address); }
        public int PortOf(int slot) { return _port[slot]; }
        public uint AddressOf(int slot) { return _address[slot]; }
        /// <summary>Clock milliseconds when the binding was last confirmed.</summary>
        public long ConfirmedAt(int slot) { return _confirmedAt[slot]; }

        /// <summary>Offset in <see cref="MacBuffer"/> of a slot's MAC address.</summary>
        public static int MacOffset(int slot) { return slot * 6; }

        /// <summary>The slot holding a fresh binding for <paramref name="address"/> on <paramref name="port"/>, or <see cref="NotFound"/>.</summary>
        public int Lookup(int port, uint address, long now)
        {
            int slot = Find(port, address);
            if (slot == NotFound || _state[slot] != Reachable || now - _confirmedAt[slot] > ReachableMilliseconds) return NotFound;
            return slot;
        }

        /// <summary>Records a binding heard on the wire. Only updates an existing slot unless <paramref name="create"/> (RFC 826 merge rule).</summary>
        public void Learn(int port, uint address, byte[] mac, int macOffset, long now, bool create)
        {
            int slot = Find(port, address);
            if (slot == NotFound)
            {
                if (!create) return;
                slot = Claim(port, address);
            }
            System.Array.Copy(mac, macOffset, _mac, slot * 6, 6);
            _state[slot] = Reachable;
            _confirmedAt[slot] = now;
            _requests[slot] = 0;
        }

        /// <summary>
        /// Notes that <paramref name="address"/> is wanted. Returns true when a request should go out now
        /// (first attempt, or the retry gap has passed and attempts remain).
        /// </summary>
        public bool ShouldRequest(int port, uint address, long now)
        {
            int slot = Find(port, address);
            if (slot == NotFound)
            {
                slot = Claim(port, address);
            }
            else if (_state[slot] == Reachable)
            {
                // A stale binding: ask again, starting a fresh round of attempts.
                _state[slot] = Incomplete;
                _requests[slot] = 0;
            }
            if (_requests[slot] != 0 && now - _requestedAt[slot] < RetryMilliseconds) return false;
            if (_requests[slot] >= MaxRequests) return false;
            _requests[slot]++;
            _requestedAt[slot] = now;
            return true;
        }

        /// <summary>The earliest time an unresolved address is due its next request or its give-up (long.MaxValue when none waits).</summary>
        public long NextRetryAt()
        {
            long next = long.MaxValue;
            for (int slot = 0; slot < _state.Length; slot++)
            {
                if (_state[slot] != Incomplete || _requests[slot] == 0) continue;
                long due = _requestedAt[slot] + RetryMilliseconds;
                if (due < next) next = due;
            }
            return next;
        }

        /// <summary>True when resolution of <paramref name="address"/> has used up its attempts and the last one timed out.</summary>
        public bool HasFailed(int port, uint address, long now)
        {
            int slot = Find(port, address);
            if (slot == NotFound) return true;
            return _state[slot] == Incomplete && _requests[slot] >= MaxRequests && now - _requestedAt[slot] >= RetryMilliseconds;
        }

        /// <summary>Forgets the attempts on a failed address so a later packet starts resolution afresh.</summary>
        public void ResetAttempts(int port, uint address)
        {
            int slot = Find(port, address);
            if (slot != NotFound && _state[slot] == Incomplete) _requests[slot] = 0;
        }

        private int Find(int port, uint address)
        {
            int slot = Home(address);
            for (int i = 0; i < _capacity; i++, slot = (slot + 1) & _slotMask)
            {
                if (_state[slot] == Free) return NotFound;
                if (_address[slot] == address && _port[slot] == port) return slot;
            }
            return NotFound;
        }

        private int Claim(int port, uint address)
        {
            int slot = Home(address);
            int oldest = slot;
            for (int i = 0; i < _capacity; i++, slot = (slot + 1) & _slotMask)
            {
                if (_state[slot] == Free)
                {
                    oldest = slot;
                    break;
                }
                if (LastUse(slot) < LastUse(oldest)) oldest = slot;
            }
            _address[oldest] = address;
            _port[oldest] = (byte)port;
            _state[oldest] = Incomplete;
            _requests[oldest] = 0;
            _confirmedAt[oldest] = 0;
            _requestedAt[oldest] = 0;
            return oldest;
        }

        private long LastUse(int slot)
        {
            return _confirmedAt[slot] > _requestedAt[slot] ? _confirmedAt[slot] : _requestedAt[slot];
        }

        private int Home(uint address)
        {
            uint h = address * 0x9E3779B1;
            return (int)(h >> 16) & _slotMask;
        }
    }
}
