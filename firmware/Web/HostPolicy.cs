using Router.Link;

namespace Router.Web
{
    /// <summary>
    /// Which names a request may use for the router (DNS rebinding defence): the <c>Host</c> header must be the LAN
    /// address (port 80 implied or explicit) or one of a few configured names; a state change that carries
    /// <c>Origin</c> must come from such a host over http. A page from another site that got its name resolved to the
    /// router therefore cannot read or change anything. Compares bytes in place; allocates nothing.
    /// </summary>
    public sealed class HostPolicy
    {
        /// <summary>Static fields, not literals: an <c>ldstr</c> allocates each time it runs on nanoCLR.</summary>
        private static readonly string HttpScheme = "http://";
        private static readonly string DefaultPort = ":80";

        private readonly NetworkPort _lan;
        private readonly string[] _names;
        private int _count;

        public HostPolicy(NetworkPort lan, int nameSlots)
        {
            _lan = lan;
            _names = new string[nameSlots];
        }

        /// <summary>Accepts one more name (lowercase, with ":port" unless 80), e.g. "router.lan" or the emulator bridge's "127.0.0.1:8080".</summary>
        public bool Allow(string lowerName)
        {
            if (_count == _names.Length) return false;
            _names[_count++] = lowerName;
            return true;
        }

        public bool HostAllowed(HttpRequest request)
        {
            return request.HasHost && Names(request.Buffer, request.HostOffset, request.HostLength);
        }

        /// <summary>True when the request has no Origin (not a browser's cross-origin request) or an Origin naming an allowed host.</summary>
        public bool OriginAllowed(HttpRequest request)
        {
            if (request.OriginLength == 0) return true;
            byte[] b = request.Buffer;
            if (!Ascii.StartsWith(b, request.OriginOffset, request.OriginLength, HttpScheme)) return false;
            return Names(b, request.OriginOffset + HttpScheme.Length, request.OriginLength - HttpScheme.Length);
        }

        private bool Names(byte[] b, int offset, int length)
        {
            for (int i = 0; i < _count; i++)
            {
                if (Ascii.EqualsLower(b, offset, length, _names[i])) return true;
            }
            return IsLanAddress(b, offset, length);
        }

        /// <summary>"a.b.c.d" or "a.b.c.d:80" equal to the LAN address.</summary>
        private bool IsLanAddress(byte[] b, int offset, int length)
        {
            int end = offset + length;
            for (int i = offset; i < end; i++)
            {
                if (b[i] != ':') continue;
                if (!Ascii.Equals(b, i, end - i, DefaultPort)) return false;
                end = i;
                break;
            }
            uint address = 0;
            int part = 0, digits = 0, value = 0;
            for (int i = offset; i <= end; i++)
            {
                if (i == end || b[i] == '.')
                {
                    if (digits == 0 || value > 255) return false;
                    address = (address << 8) | (uint)value;
                    part++;
                    digits = value = 0;
                    continue;
                }
                int d = b[i] - '0';
                if (d < 0 || d > 9 || digits == 3) return false;
                value = value * 10 + d;
                digits++;
            }
            return part == 4 && address == _lan.Address;
        }
    }
}
