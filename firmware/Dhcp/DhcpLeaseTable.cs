using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>
    /// The LAN server's leases in a fixed struct-of-arrays table. An entry ties a client MAC to an address in a state;
    /// offered, bound and declined entries hold their address until they expire, released and expired ones are
    /// remembered so a returning client gets its old address, and are reclaimed oldest first when the table is full.
    /// <see cref="Dirty"/> tracks changes to what is persisted (bound and released bindings, not expiry times), so a
    /// renewal that changes nothing but the expiry never costs a flash write.
    /// </summary>
    public sealed class DhcpLeaseTable
    {
        public const int NotFound = -1;
        public const int Free = 0;
        public const int Offered = 1;
        public const int Bound = 2;
        public const int Released = 3;
        /// <summary>The address was reported in use by someone else (DHCPDECLINE); held with no client.</summary>
        public const int Declined = 4;

        private readonly uint[] _address;
        private readonly byte[] _mac;
        private readonly byte[] _state;
        private readonly uint[] _expires;
        private readonly byte[] _name;
        private readonly byte[] _nameLength;

        /// <summary>Bytes of a client's host name (option 12) kept per entry, in RAM only (the lease store does not keep names).</summary>
        public const int NameBytes = 32;

        /// <summary>True when the persisted view changed since the last <see cref="MarkClean"/>.</summary>
        public bool Dirty;

        /// <summary>Changes with every <see cref="Set"/> and <see cref="Clear"/> (bindings, expiries), for callers that remember answers.</summary>
        public int Generation;

        public DhcpLeaseTable(int capacity)
        {
            _address = new uint[capacity];
            _mac = new byte[capacity * MacAddress.Length];
            _state = new byte[capacity];
            _expires = new uint[capacity];
            _name = new byte[capacity * NameBytes];
            _nameLength = new byte[capacity];
        }

        public byte[] NameBuffer { get { return _name; } }
        public static int NameOffset(int entry) { return entry * NameBytes; }
        public int NameLength(int entry) { return _nameLength[entry]; }

        /// <summary>Keeps the host name a client sent: printable ASCII only (others become '?'), cut to <see cref="NameBytes"/>.</summary>
        public void SetName(int entry, byte[] source, int offset, int length)
        {
            if (length > NameBytes) length = NameBytes;
            int at = entry * NameBytes;
            for (int i = 0; i < length; i++)
            {
                byte c = source[offset + i];
                _name[at + i] = c >= 0x20 && c < 0x7F ? c : (byte)'?';
            }
            _nameLength[entry] = (byte)length;
        }

        public int Capacity { get { return _state.Length; } }
        public byte[] MacBuffer { get { return _mac; } }
        public static int MacOffset(int entry) { return entry * MacAddress.Length; }
        public int State(int entry) { return _state[entry]; }
        public uint Address(int entry) { return _address[entry]; }
        /// <summary>Expiry in seconds of the data plane clock.</summary>
        public uint Expires(int entry) { return _expires[entry]; }

        /// <summary>Whether the entry still holds its address against other clients.</summary>
        public bool IsActive(int entry, uint now)
        {
            int s = _state[entry];
            return (s == Offered || s == Bound || s == Declined) && now < _expires[entry];
        }

        /// <summary>A bound or released binding: what the lease store keeps.</summary>
        public bool IsPersisted(int entry)
        {
            return IsPersistedState(_state[entry]);
        }

        /// <summary>The entry of a client (declined entries have none), or <see cref="NotFound"/>.</summary>
        public int FindByMac(byte[] mac, int offset)
        {
            for (int i = 0; i < _state.Length; i++)
            {
                int s = _state[i];
                if (s != Free && s != Declined && MacAddress.Equal(_mac, i * MacAddress.Length, mac, offset)) return i;
            }
            return NotFound;
        }

        public int FindByAddress(uint address)
        {
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] != Free && _address[i] == address) return i;
            }
            return NotFound;
        }

        public bool MacEquals(int entry, byte[] mac, int offset)
        {
            return MacAddress.Equal(_mac, entry * MacAddress.Length, mac, offset);
        }

        /// <summary>A free entry, else the inactive one that expired longest ago, else <see cref="NotFound"/> (every entry is in use).</summary>
        public int Claim(uint now)
        {
            int oldest = NotFound;
            for (int i = 0; i < _state.Length; i++)
            {
                if (_state[i] == Free) return i;
                if (!IsActive(i, now) && (oldest == NotFound || _expires[i] < _expires[oldest])) oldest = i;
            }
            return oldest;
        }

        /// <summary>Sets an entry. A null <paramref name="mac"/> leaves it without a client (declined addresses).</summary>
        public void Set(int entry, int state, byte[] mac, int macOffset, uint address, uint expires)
        {
            int at = entry * MacAddress.Length;
            Generation++;
            bool wasPersisted = IsPersistedState(_state[entry]);
            bool unchanged = wasPersisted == IsPersistedState(state)
                && (!wasPersisted || (_state[entry] == state && _address[entry] == address && mac != null && MacAddress.Equal(_mac, at, mac, macOffset)));
            if (!unchanged) Dirty = true;
            if (mac == null || !MacAddress.Equal(_mac, at, mac, macOffset)) _nameLength[entry] = 0; // another client: not its name
            _state[entry] = (byte)state;
            _address[entry] = address;
            _expires[entry] = expires;
            if (mac != null) System.Array.Copy(mac, macOffset, _mac, at, MacAddress.Length);
            else System.Array.Clear(_mac, at, MacAddress.Length);
        }

        /// <summary>Empties an entry (not a DHCPRELEASE, which leaves a remembered <see cref="Released"/> binding).</summary>
        public void Clear(int entry)
        {
            if (IsPersistedState(_state[entry])) Dirty = true;
            Generation++;
            _state[entry] = Free;
            _address[entry] = 0;
            _nameLength[entry] = 0;
        }

        public void MarkClean() { Dirty = false; }

        public int Count(int state)
        {
            int n = 0;
            for (int i = 0; i < _state.Length; i++) if (_state[i] == state) n++;
            return n;
        }

        private static bool IsPersistedState(int state)
        {
            return state == Bound || state == Released;
        }
    }
}
