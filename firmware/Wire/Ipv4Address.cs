namespace Router.Wire
{
    /// <summary>IPv4 addresses as 32-bit values in network order (192.168.1.1 is 0xC0A80101).</summary>
    public static class Ipv4Address
    {
        public const uint Broadcast = 0xFFFFFFFF;

        public static uint Make(int a, int b, int c, int d)
        {
            return ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | (uint)d;
        }

        public static uint Mask(int prefixLength)
        {
            return prefixLength <= 0 ? 0 : 0xFFFFFFFF << (32 - prefixLength);
        }

        public static bool InPrefix(uint address, uint network, int prefixLength)
        {
            uint mask = Mask(prefixLength);
            return (address & mask) == (network & mask);
        }

        /// <summary>A unicast address inside network/prefix that is neither its network nor its broadcast address (/31 and /32 have neither).</summary>
        public static bool IsHostOf(uint address, uint network, int prefixLength)
        {
            if (address == 0 || (address >> 28) >= 0xE || (address >> 24) == 127 || !InPrefix(address, network, prefixLength)) return false;
            if (prefixLength >= 31) return true;
            uint host = address & ~Mask(prefixLength);
            return host != 0 && host != ~Mask(prefixLength);
        }

        /// <summary>A single host anywhere: not 0, multicast, class E, broadcast or loopback.</summary>
        public static bool IsUnicast(uint address)
        {
            return IsHostOf(address, address, 32);
        }

        /// <summary>Formats dotted-quad (allocates: for config, status and logs only).</summary>
        public static string Format(uint a)
        {
            return (a >> 24).ToString() + "." + ((a >> 16) & 0xFF).ToString() + "." + ((a >> 8) & 0xFF).ToString() + "." + (a & 0xFF).ToString();
        }

        /// <summary>Parses dotted-quad; returns false for anything else.</summary>
        public static bool TryParse(string text, out uint address)
        {
            address = 0;
            if (text == null) return false;
            int part = 0, value = -1, parts = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                char c = i < text.Length ? text[i] : '.';
                if (c >= '0' && c <= '9')
                {
                    value = value < 0 ? c - '0' : value * 10 + (c - '0');
                    if (value > 255) return false;
                }
                else if (c == '.')
                {
                    if (value < 0 || parts == 4) return false;
                    part = (part << 8) | value;
                    parts++;
                    value = -1;
                }
                else
                {
                    return false;
                }
            }
            if (parts != 4) return false;
            address = (uint)part;
            return true;
        }
    }
}
