namespace Router.Helpers.Ftp
{
    /// <summary>
    /// Allocation-free recognition of the FTP control lines that name data endpoints (RFC 959, RFC 2428), working on
    /// bytes in place. The caller decides what is a line start; this class only reads one line it is given.
    /// Verbs are case-insensitive; spaces between verb and arguments may repeat, as real clients and servers send them.
    /// </summary>
    public static class FtpLineParser
    {
        private const byte Cr = 13;
        private const byte Lf = 10;

        // Verbs and reply codes, loaded from static fields: on nanoCLR every ldstr of a literal allocates, every time it runs.
        private static readonly string Port = "PORT", Eprt = "EPRT", Passive = "227", ExtendedPassive = "229", Auth = "AUTH", AuthAccepted = "234";

        /// <summary>Lines longer than this are not parsed (RFC 959 gives no limit; real servers cap far below).</summary>
        public const int MaxLineLength = 512;

        /// <summary>Classifies the line [<paramref name="start"/>, <paramref name="end"/>) (without its CRLF) into <paramref name="line"/>.</summary>
        public static int Parse(byte[] b, int start, int end, FtpLine line)
        {
            line.Clear();
            int kind;
            if (Matches(b, start, end, Port)) kind = ParsePort(b, SkipSpaces(b, start + 4, end), end, line);
            else if (Matches(b, start, end, Eprt)) kind = ParseEprt(b, SkipSpaces(b, start + 4, end), end, line);
            else if (Matches(b, start, end, Passive)) kind = ParsePassive(b, start + 3, end, line);
            else if (Matches(b, start, end, ExtendedPassive)) kind = ParseExtendedPassive(b, start + 3, end, line);
            else if (Matches(b, start, end, Auth)) kind = FtpLine.Auth;
            else if (Matches(b, start, end, AuthAccepted)) kind = FtpLine.AuthAccepted;
            else kind = FtpLine.Unknown;
            line.Kind = kind;
            return kind;
        }

        /// <summary>Index of the CR of the first CRLF in [<paramref name="start"/>, <paramref name="end"/>), or -1.</summary>
        public static int FindLineEnd(byte[] b, int start, int end)
        {
            for (int i = start; i + 1 < end; i++)
            {
                if (b[i] == Cr && b[i + 1] == Lf) return i;
            }
            return -1;
        }

        /// <summary>
        /// True when a verb that names a data endpoint (PORT, EPRT, 227, 229) starts at <paramref name="at"/>:
        /// found anywhere but at a line start, it is an injection attempt.
        /// </summary>
        public static bool StartsWithEndpointVerb(byte[] b, int at, int end)
        {
            return Matches(b, at, end, Port) || Matches(b, at, end, Eprt) || Matches(b, at, end, Passive) || Matches(b, at, end, ExtendedPassive);
        }

        /// <summary>True when [<paramref name="start"/>, <paramref name="end"/>) holds a bare LF (not after CR) followed by an endpoint verb.</summary>
        public static bool HasVerbAfterBareLineFeed(byte[] b, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (b[i] == Lf && (i == start || b[i - 1] != Cr) && StartsWithEndpointVerb(b, i + 1, end)) return true;
            }
            return false;
        }

        /// <summary>
        /// True when the unfinished line [<paramref name="start"/>, <paramref name="end"/>) may still become a line starting
        /// with <paramref name="verb"/> (it is a prefix of the verb, or starts with it).
        /// </summary>
        public static bool MayBecome(byte[] b, int start, int end, string verb)
        {
            int n = end - start < verb.Length ? end - start : verb.Length;
            for (int i = 0; i < n; i++)
            {
                if (Upper(b[start + i]) != verb[i]) return false;
            }
            return true;
        }

        private static int ParsePort(byte[] b, int i, int end, FtpLine line)
        {
            line.TextStart = i;
            i = ParseHostPort(b, i, end, line);
            if (i < 0 || SkipSpaces(b, i, end) != end) return FtpLine.Garbled;
            line.TextEnd = i;
            return FtpLine.Port;
        }

        /// <summary>227 replies differ in their text ("Entering Passive Mode (h,h,h,h,p,p).", "=h,h,h,h,p,p"): the numbers start at the first digit.</summary>
        private static int ParsePassive(byte[] b, int i, int end, FtpLine line)
        {
            if (i < end && b[i] != (byte)' ') return FtpLine.Unknown; // "227-" opens a multi-line reply, "2270" is no reply code
            while (i < end && !IsDigit(b[i])) i++;
            line.TextStart = i;
            i = ParseHostPort(b, i, end, line);
            if (i < 0) return FtpLine.Garbled;
            line.TextEnd = i;
            return FtpLine.Passive;
        }

        /// <summary><c>EPRT d1d a.b.c.d d port d</c> with any delimiter d in ASCII 33-126.</summary>
        private static int ParseEprt(byte[] b, int i, int end, FtpLine line)
        {
            if (i >= end || b[i] < 33 || b[i] > 126) return FtpLine.Garbled;
            byte d = b[i++];
            line.Delimiter = d;
            int protocol = 0;
            int digits = 0;
            while (i < end && IsDigit(b[i]) && digits < 2)
            {
                protocol = protocol * 10 + (b[i++] - '0');
                digits++;
            }
            if (digits == 0 || i >= end || b[i] != d) return FtpLine.Garbled;
            i++;
            if (protocol != 1) return FtpLine.EprtOtherProtocol;

            line.TextStart = i;
            uint address = 0;
            for (int part = 0; part < 4; part++)
            {
                int value = ParseNumber(b, ref i, end, 255);
                if (value < 0) return FtpLine.Garbled;
                address = (address << 8) | (uint)value;
                byte separator = part < 3 ? (byte)'.' : d;
                if (i >= end || b[i] != separator) return FtpLine.Garbled;
                i++;
            }
            int port = ParseNumber(b, ref i, end, 65535);
            if (port <= 0) return FtpLine.Garbled;
            line.TextEnd = i;
            if (i >= end || b[i] != d || SkipSpaces(b, i + 1, end) != end) return FtpLine.Garbled;
            line.Address = address;
            line.DataPort = port;
            return FtpLine.Eprt;
        }

        /// <summary><c>229 Entering Extended Passive Mode (|||port|)</c>: the three delimiters, the port, the delimiter again.</summary>
        private static int ParseExtendedPassive(byte[] b, int i, int end, FtpLine line)
        {
            if (i < end && b[i] != (byte)' ') return FtpLine.Unknown;
            while (i < end && b[i] != (byte)'(') i++;
            if (i + 4 >= end) return FtpLine.Garbled;
            byte d = b[i + 1];
            if (d < 33 || d > 126 || IsDigit(d) || b[i + 2] != d || b[i + 3] != d) return FtpLine.Garbled;
            i += 4;
            line.TextStart = i;
            int port = ParseNumber(b, ref i, end, 65535);
            if (port <= 0 || i + 1 >= end || b[i] != d || b[i + 1] != (byte)')') return FtpLine.Garbled;
            line.TextEnd = i;
            line.Delimiter = d;
            line.DataPort = port;
            return FtpLine.ExtendedPassive;
        }

        /// <summary>Six comma-separated numbers 0-255: four address bytes, then the port's high and low byte. Returns the index after them, or -1.</summary>
        private static int ParseHostPort(byte[] b, int i, int end, FtpLine line)
        {
            uint address = 0;
            int port = 0;
            for (int n = 0; n < 6; n++)
            {
                if (n > 0)
                {
                    if (i >= end || b[i] != (byte)',') return -1;
                    i++;
                }
                int value = ParseNumber(b, ref i, end, 255);
                if (value < 0) return -1;
                if (n < 4) address = (address << 8) | (uint)value;
                else port = (port << 8) | value;
            }
            line.Address = address;
            line.DataPort = port;
            return i;
        }

        /// <summary>A decimal number of at most 5 digits and at most <paramref name="max"/>, or -1.</summary>
        private static int ParseNumber(byte[] b, ref int i, int end, int max)
        {
            int value = 0, digits = 0;
            while (i < end && IsDigit(b[i]))
            {
                if (++digits > 5) return -1;
                value = value * 10 + (b[i++] - '0');
            }
            return digits == 0 || value > max ? -1 : value;
        }

        /// <summary>The line starts with <paramref name="verb"/> (case-insensitive) followed by a space or the line end.</summary>
        private static bool Matches(byte[] b, int start, int end, string verb)
        {
            int n = verb.Length;
            if (end - start < n) return false;
            for (int i = 0; i < n; i++)
            {
                if (Upper(b[start + i]) != verb[i]) return false;
            }
            return start + n == end || b[start + n] == (byte)' ' || (IsDigit(b[start]) && b[start + n] == (byte)'-');
        }

        private static int SkipSpaces(byte[] b, int i, int end)
        {
            while (i < end && b[i] == (byte)' ') i++;
            return i;
        }

        private static bool IsDigit(byte c) { return c >= (byte)'0' && c <= (byte)'9'; }

        private static char Upper(byte c) { return c >= (byte)'a' && c <= (byte)'z' ? (char)(c - 32) : (char)c; }
    }
}
