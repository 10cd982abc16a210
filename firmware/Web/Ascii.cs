namespace Router.Web
{
    /// <summary>Byte-level text helpers over a buffer region, so parsing never allocates strings to compare.</summary>
    public static class Ascii
    {
        /// <summary>The token characters besides letters and digits (a static field: an <c>ldstr</c> allocates on nanoCLR).</summary>
        private static readonly string TokenSymbols = "!#$%&'*+-.^_`|~";

        public static bool Equals(byte[] buffer, int offset, int length, string text)
        {
            if (length != text.Length) return false;
            for (int i = 0; i < length; i++)
            {
                if (buffer[offset + i] != text[i]) return false;
            }
            return true;
        }

        /// <summary>Case-insensitive comparison against a lower-case ASCII constant (header names).</summary>
        public static bool EqualsLower(byte[] buffer, int offset, int length, string lowerText)
        {
            if (length != lowerText.Length) return false;
            for (int i = 0; i < length; i++)
            {
                int c = buffer[offset + i];
                if (c >= 'A' && c <= 'Z') c += 32;
                if (c != lowerText[i]) return false;
            }
            return true;
        }

        public static bool StartsWith(byte[] buffer, int offset, int length, string text)
        {
            return length >= text.Length && Equals(buffer, offset, text.Length, text);
        }

        /// <summary>A token character of RFC 9110 section 5.6.2 (header names, methods).</summary>
        public static bool IsToken(int c)
        {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') return true;
            return TokenSymbols.IndexOf((char)c) >= 0;
        }

        /// <summary>Decimal digits only, no sign, at most 9 digits; -1 otherwise.</summary>
        public static int ParseDecimal(byte[] buffer, int offset, int length)
        {
            if (length == 0 || length > 9) return -1;
            int value = 0;
            for (int i = 0; i < length; i++)
            {
                int d = buffer[offset + i] - '0';
                if (d < 0 || d > 9) return -1;
                value = value * 10 + d;
            }
            return value;
        }

        /// <summary>Writes a string's characters as bytes (callers pass ASCII); returns the new offset or -1 if it does not fit.</summary>
        public static int Write(byte[] buffer, int offset, string text)
        {
            return Write(buffer, offset, text, 0, text.Length);
        }

        /// <summary>Writes characters start to start + length of a string as bytes; the new offset or -1 if it does not fit.</summary>
        public static int Write(byte[] buffer, int offset, string text, int start, int length)
        {
            if (offset < 0 || offset + length > buffer.Length) return -1;
            for (int i = 0; i < length; i++) buffer[offset + i] = (byte)text[start + i];
            return offset + length;
        }

        /// <summary>Writes a non-negative integer in decimal; returns the new offset or -1 if it does not fit.</summary>
        public static int WriteDecimal(byte[] buffer, int offset, long value)
        {
            if (offset < 0) return -1;
            int digits = 1;
            for (long v = value; v >= 10; v /= 10) digits++;
            if (offset + digits > buffer.Length) return -1;
            for (int i = offset + digits - 1; i >= offset; i--)
            {
                buffer[i] = (byte)('0' + value % 10);
                value /= 10;
            }
            return offset + digits;
        }
    }
}
