namespace Router.Wire
{
    /// <summary>
    /// The one walker over a TCP header's options (RFC 9293 section 3.1): kind, length, value; NOPs skipped; the walk
    /// stops at End, at the end of the header, or at a malformed option (a length below 2 or past the header), after
    /// which nothing is read. MSS clamping and SACK adjustment both use it.
    /// </summary>
    public static class TcpOptions
    {
        public const int End = 0;
        public const int Nop = 1;
        public const int Mss = 2;
        public const int Sack = 5;
        /// <summary>No (further) option.</summary>
        public const int None = -1;

        /// <summary>The first option of the segment at <paramref name="tcpOffset"/> (a valid TCP header), or <see cref="None"/>.</summary>
        public static int First(byte[] b, int tcpOffset)
        {
            return Seek(b, tcpOffset + TcpSegment.MinHeaderLength, HeaderEnd(b, tcpOffset));
        }

        /// <summary>The option after the one at <paramref name="option"/>, or <see cref="None"/>.</summary>
        public static int Next(byte[] b, int tcpOffset, int option)
        {
            return Seek(b, option + b[option + 1], HeaderEnd(b, tcpOffset));
        }

        /// <summary>The first option of <paramref name="kind"/>, or <see cref="None"/>.</summary>
        public static int Find(byte[] b, int tcpOffset, int kind)
        {
            int end = HeaderEnd(b, tcpOffset);
            for (int i = Seek(b, tcpOffset + TcpSegment.MinHeaderLength, end); i != None; i = Seek(b, i + b[i + 1], end))
            {
                if (b[i] == kind) return i;
            }
            return None;
        }

        public static int Kind(byte[] b, int option) { return b[option]; }
        /// <summary>The option's whole length, kind and length bytes included.</summary>
        public static int Length(byte[] b, int option) { return b[option + 1]; }
        public static int ValueOffset(int option) { return option + 2; }

        private static int HeaderEnd(byte[] b, int tcpOffset)
        {
            return tcpOffset + TcpSegment.HeaderLength(b, tcpOffset);
        }

        /// <summary>The first well-formed option that is not a NOP at or after <paramref name="at"/>, or <see cref="None"/>.</summary>
        private static int Seek(byte[] b, int at, int end)
        {
            while (at < end)
            {
                int kind = b[at];
                if (kind == End) return None;
                if (kind != Nop)
                {
                    if (at + 1 >= end) return None;
                    int length = b[at + 1];
                    return length < 2 || at + length > end ? None : at;
                }
                at++;
            }
            return None;
        }
    }
}
