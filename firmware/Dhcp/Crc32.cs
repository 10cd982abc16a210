namespace Router.Dhcp
{
    /// <summary>CRC-32 (IEEE 802.3, reflected 0xEDB88320), bitwise: it checks a few hundred bytes of leases at boot and save, so no table.</summary>
    public static class Crc32
    {
        public const uint Initial = 0xFFFFFFFF;

        /// <summary>Continues a CRC over more bytes; start from <see cref="Initial"/> and pass the result to <see cref="Finish"/>.</summary>
        public static uint Update(uint crc, byte[] b, int offset, int length)
        {
            for (int i = offset; i < offset + length; i++)
            {
                crc ^= b[i];
                for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
            return crc;
        }

        public static uint Finish(uint crc) { return ~crc; }

        public static uint Compute(byte[] b, int offset, int length)
        {
            return Finish(Update(Initial, b, offset, length));
        }
    }
}
