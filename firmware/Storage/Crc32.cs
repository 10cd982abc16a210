namespace Router.Storage
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320; "123456789" gives 0xCBF43926), four bits at a time from a
    /// 16-entry table built in code: 64 bytes of RAM instead of 1 KB, about twice the speed of bit-by-bit.
    /// One implementation for every flash store (configuration, DHCP leases).
    /// </summary>
    public static class Crc32
    {
        public const uint Initial = 0xFFFFFFFF;

        private static readonly uint[] Nibbles = BuildTable();

        /// <summary>Feeds bytes into a running CRC started from <see cref="Initial"/>; finish with <see cref="Finish"/>.</summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                crc ^= data[offset + i];
                crc = (crc >> 4) ^ Nibbles[crc & 0x0F];
                crc = (crc >> 4) ^ Nibbles[crc & 0x0F];
            }
            return crc;
        }

        public static uint Finish(uint crc)
        {
            return ~crc;
        }

        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(Initial, data, offset, count));
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[16];
            for (uint n = 0; n < 16; n++)
            {
                uint c = n;
                for (int k = 0; k < 4; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320 : c >> 1;
                table[n] = c;
            }
            return table;
        }
    }
}
