namespace Router.Wire
{
    /// <summary>Helpers for 6-byte MAC addresses held in byte arrays.</summary>
    public static class MacAddress
    {
        public const int Length = 6;

        public static bool Equal(byte[] a, int aOffset, byte[] b, int bOffset)
        {
            for (int i = 0; i < Length; i++)
            {
                if (a[aOffset + i] != b[bOffset + i]) return false;
            }
            return true;
        }

        /// <summary>Formats as aa:bb:cc:dd:ee:ff (allocates: for status pages and logs, never the packet path).</summary>
        public static string Format(byte[] b, int offset)
        {
            const string hex = "0123456789abcdef";
            char[] c = new char[17];
            for (int i = 0; i < Length; i++)
            {
                c[i * 3] = hex[b[offset + i] >> 4];
                c[i * 3 + 1] = hex[b[offset + i] & 0xF];
                if (i < 5) c[i * 3 + 2] = ':';
            }
            return new string(c);
        }
    }
}
