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

        /// <summary>An individual (not group: broadcast or multicast, I/G bit set) and non-zero address.</summary>
        public static bool IsUnicast(byte[] b, int offset)
        {
            if ((b[offset] & 0x01) != 0) return false;
            for (int i = 0; i < Length; i++)
            {
                if (b[offset + i] != 0) return true;
            }
            return false;
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
        /// <summary>
        /// Parses aa:bb:cc:dd:ee:ff (either case; '-' separators also accepted, as Windows prints them) into
        /// <paramref name="destination"/> at <paramref name="offset"/>; false (destination untouched) for anything else.
        /// </summary>
        public static bool TryParse(string text, byte[] destination, int offset)
        {
            if (text == null || text.Length != 17) return false;
            char separator = text[2];
            if (separator != ':' && separator != '-') return false;
            for (int i = 0; i < Length; i++)
            {
                if (i < 5 && text[i * 3 + 2] != separator) return false;
                if (HexDigit(text[i * 3]) < 0 || HexDigit(text[i * 3 + 1]) < 0) return false;
            }
            for (int i = 0; i < Length; i++) destination[offset + i] = (byte)(HexDigit(text[i * 3]) << 4 | HexDigit(text[i * 3 + 1]));
            return true;
        }

        private static int HexDigit(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
