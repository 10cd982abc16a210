using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>
    /// Static reservations: a client MAC always gets its fixed address. A fixed table sized by the board, kept in the
    /// order entered; duplicate MACs or addresses are reported by <see cref="DhcpSettingsValidator"/> with their index
    /// rather than refused here, so an edit form can point at the offending row.
    /// </summary>
    public sealed class DhcpReservations
    {
        private readonly byte[] _mac;
        private readonly uint[] _address;
        private int _count;

        /// <summary>Changes with every edit, for callers that remember answers (the LAN source guard).</summary>
        public int Generation;

        public DhcpReservations(int capacity)
        {
            _mac = new byte[capacity * MacAddress.Length];
            _address = new uint[capacity];
        }

        public int Count { get { return _count; } }
        public int Capacity { get { return _address.Length; } }
        public uint Address(int index) { return _address[index]; }
        /// <summary>The MACs, entry i at <see cref="MacOffset"/>(i).</summary>
        public byte[] MacBuffer { get { return _mac; } }
        public static int MacOffset(int index) { return index * MacAddress.Length; }

        /// <summary>Appends a reservation; false only when the table is full.</summary>
        public bool Add(byte[] mac, int offset, uint address)
        {
            if (_count == _address.Length) return false;
            System.Array.Copy(mac, offset, _mac, MacOffset(_count), MacAddress.Length);
            _address[_count++] = address;
            Generation++;
            return true;
        }

        public void SetAddress(int index, uint address)
        {
            _address[index] = address;
            Generation++;
        }

        /// <summary>Removes entry <paramref name="index"/>, keeping the order of the others.</summary>
        public void RemoveAt(int index)
        {
            Generation++;
            for (int i = index; i < _count - 1; i++) _address[i] = _address[i + 1];
            System.Array.Copy(_mac, MacOffset(index + 1), _mac, MacOffset(index), (_count - 1 - index) * MacAddress.Length);
            _count--;
        }

        public void Clear()
        {
            _count = 0;
            Generation++;
        }

        /// <summary>Copies every reservation; returns false (copying nothing) if they do not fit this table.</summary>
        public bool CopyFrom(DhcpReservations other)
        {
            if (other._count > _address.Length) return false;
            System.Array.Copy(other._address, _address, other._count);
            System.Array.Copy(other._mac, _mac, other._count * MacAddress.Length);
            _count = other._count;
            Generation++;
            return true;
        }

        /// <summary>The address reserved for the MAC, or 0.</summary>
        public uint Find(byte[] mac, int offset)
        {
            int index = IndexOfMac(mac, offset);
            return index < 0 ? 0 : _address[index];
        }

        public bool IsReservedForOther(uint address, byte[] mac, int offset)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_address[i] == address && !MacAddress.Equal(_mac, MacOffset(i), mac, offset)) return true;
            }
            return false;
        }

        /// <summary>The first entry for the MAC, or -1.</summary>
        public int IndexOfMac(byte[] mac, int offset)
        {
            for (int i = 0; i < _count; i++)
            {
                if (MacAddress.Equal(_mac, MacOffset(i), mac, offset)) return i;
            }
            return -1;
        }
    }
}
