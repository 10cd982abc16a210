using Router.Hal;

namespace Router.Web
{
    /// <summary>
    /// Logged-in sessions in a fixed number of slots. Each has a random session id (sent as an HttpOnly, SameSite=Strict
    /// cookie) and a separate random CSRF token the page must echo in X-CSRF-Token on every state change. Sessions end
    /// after <see cref="IdleTimeoutMs"/> without use; a full table replaces the least recently used one.
    /// </summary>
    public sealed class SessionTable
    {
        public const string CookieName = "sid";
        public const int TokenBytes = 16;
        public const int IdleTimeoutMs = 30 * 60 * 1000;
        private const string Hex = "0123456789abcdef";
        /// <summary>The cookie's name as a static field, for lookups on every request (an <c>ldstr</c> allocates on nanoCLR).</summary>
        private static readonly string CookieNameText = CookieName;
        /// <summary>The header that ends the browser's session (logout, factory reset).</summary>
        public static readonly string ClearCookieHeader = "Set-Cookie: " + CookieName + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";

        private readonly string[] _ids;
        private readonly string[] _csrf;
        private readonly long[] _lastUsed;
        private readonly IRandomSource _random;
        private readonly byte[] _bytes = new byte[TokenBytes];

        public SessionTable(int slots, IRandomSource random)
        {
            _ids = new string[slots];
            _csrf = new string[slots];
            _lastUsed = new long[slots];
            _random = random;
        }

        /// <summary>Starts a session; returns its slot. Read its cookie and CSRF token with <see cref="Id"/> and <see cref="Csrf"/>.</summary>
        public int Create(long now)
        {
            int slot = 0;
            for (int i = 0; i < _ids.Length; i++)
            {
                if (_ids[i] == null || now - _lastUsed[i] > IdleTimeoutMs) { slot = i; break; }
                if (_lastUsed[i] < _lastUsed[slot]) slot = i;
            }
            _ids[slot] = NewToken();
            _csrf[slot] = NewToken();
            _lastUsed[slot] = now;
            return slot;
        }

        public string Id(int slot) { return _ids[slot]; }
        public string Csrf(int slot) { return _csrf[slot]; }

        /// <summary>The slot of the live session named by the request's cookie (refreshing it), or -1.</summary>
        public int Find(HttpRequest request, long now)
        {
            int length;
            int offset = request.FindCookie(CookieNameText, out length);
            if (offset < 0) return -1;
            for (int i = 0; i < _ids.Length; i++)
            {
                if (_ids[i] == null || !SameToken(request.Buffer, offset, length, _ids[i])) continue;
                if (now - _lastUsed[i] > IdleTimeoutMs)
                {
                    End(i);
                    return -1;
                }
                _lastUsed[i] = now;
                return i;
            }
            return -1;
        }

        /// <summary>The request's X-CSRF-Token matches the session's token.</summary>
        public bool CsrfMatches(int slot, HttpRequest request)
        {
            return slot >= 0 && _csrf[slot] != null && SameToken(request.Buffer, request.CsrfOffset, request.CsrfLength, _csrf[slot]);
        }

        public void End(int slot)
        {
            _ids[slot] = null;
            _csrf[slot] = null;
        }

        /// <summary>Ends every session except <paramref name="keep"/> (-1 for all): after a password change or factory reset.</summary>
        public void EndAllExcept(int keep)
        {
            for (int i = 0; i < _ids.Length; i++)
            {
                if (i != keep) End(i);
            }
        }

        private string NewToken()
        {
            _random.NextBytes(_bytes, 0, TokenBytes);
            char[] text = new char[TokenBytes * 2];
            for (int i = 0; i < TokenBytes; i++)
            {
                text[2 * i] = Hex[_bytes[i] >> 4];
                text[2 * i + 1] = Hex[_bytes[i] & 0xF];
            }
            return new string(text);
        }

        /// <summary>Compares without stopping at the first difference, so timing does not reveal a token's prefix.</summary>
        private static bool SameToken(byte[] buffer, int offset, int length, string token)
        {
            if (length != token.Length) return false;
            int difference = 0;
            for (int i = 0; i < length; i++) difference |= buffer[offset + i] ^ token[i];
            return difference == 0;
        }
    }
}
