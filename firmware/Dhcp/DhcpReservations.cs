using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>Static reservations: a client MAC always gets its fixed address. A fixed table sized by the board.</summary>
    public sealed class DhcpReservations
    {
        private readonly byte[] _mac;
        private readonly uint[] _address;
        private int _count;

        public DhcpReservations(int capacity)
        {
            _mac = new byte[capacity * MacAddress.Length];
            _address = new uint[capacity];
        }

        public int Count { get { return _count; } }
        public int Capacity { get { return _address.Length; } }
        public uint Address(int index) { return _address[index]; }
        public byte[] MacBuffer { get { return _mac; } }

        /// <summary>
        /// Reserves <paramref name="address"/> for the MAC (replacing its earlier reservation). Returns false when the
        /// address is reserved for another MAC or the table is full.
        /// </summary>
        public bool Add(byte[] mac, int offset, uint address)
        {
            int other = IndexOfAddress(address);
            int index = IndexOfMac(mac, offset);
            if (other >= 0 && other != index) return false;
            if (index < 0)
            {
                if (_count == _address.Length) return false;
                index = _count++;
                System.Array.Copy(mac, offset, _mac, index * MacAddress.Length, MacAddress.Length);
            }
            _address[index] = address;
            return true;
        }

        public bool Remove(byte[] mac, int offset)
        {
            int index = IndexOfMac(mac, offset);
            if (index < 0) return false;
            _count--;
            _address[index] = _address[_count];
            System.Array.Copy(_mac, _count * MacAddress.Length, _mac, index * MacAddress.Length, MacAddress.Length);
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
            int index = IndexOfAddress(address);
            return index >= 0 && !MacAddress.Equal(_mac, index * MacAddress.Length, mac, offset);
        }

        private int IndexOfMac(byte[] mac, int offset)
        {
            for (int i = 0; i < _count; i++)
            {
                if (MacAddress.Equal(_mac, i * MacAddress.Length, mac, offset)) return i;
            }
            return -1;
        }

        private int IndexOfAddress(uint address)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_address[i] == address) return i;
            }
            return -1;
        }
    }
}
