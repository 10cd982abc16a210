namespace Router.Web
{
    /// <summary>
    /// One parsed request as offsets into its connection's buffer (Kestrel-style: nothing is copied out of the buffer
    /// unless a handler asks for a string). Valid until the connection reuses its buffer for the response.
    /// </summary>
    public sealed class HttpRequest
    {
        public byte[] Buffer;
        public int Method;
        /// <summary>HTTP minor version: 0 or 1.</summary>
        public int MinorVersion;
        public int PathOffset;
        public int PathLength;
        public int QueryOffset;
        public int QueryLength;
        /// <summary>-1 when the request has no Content-Length (then it has no body).</summary>
        public int ContentLength;
        public int HeadLength;
        public bool KeepAlive;
        public bool HasHost;
        public int HostOffset;
        public int HostLength;
        /// <summary>0 length when the request has no Origin header.</summary>
        public int OriginOffset;
        public int OriginLength;
        public int CookieOffset;
        public int CookieLength;
        public int CsrfOffset;
        public int CsrfLength;
        public int ContentTypeOffset;
        public int ContentTypeLength;
        public int IfNoneMatchOffset;
        public int IfNoneMatchLength;
        /// <summary>The client's IPv4 address (from its TCP connection), for per-client policies such as login back-off.</summary>
        public uint ClientAddress;

        public int BodyOffset { get { return HeadLength; } }
        public int BodyLength { get { return ContentLength < 0 ? 0 : ContentLength; } }

        public void Reset(byte[] buffer)
        {
            Buffer = buffer;
            Method = HttpMethod.Unknown;
            MinorVersion = 1;
            PathOffset = PathLength = QueryOffset = QueryLength = 0;
            ContentLength = -1;
            HeadLength = 0;
            KeepAlive = true;
            HasHost = false;
            HostOffset = HostLength = OriginOffset = OriginLength = 0;
            CookieOffset = CookieLength = CsrfOffset = CsrfLength = ContentTypeOffset = ContentTypeLength = IfNoneMatchOffset = IfNoneMatchLength = 0;
        }

        public bool PathIs(string path)
        {
            return Ascii.Equals(Buffer, PathOffset, PathLength, path);
        }

        public bool PathStartsWith(string prefix)
        {
            return Ascii.StartsWith(Buffer, PathOffset, PathLength, prefix);
        }

        /// <summary>The decimal number after a path prefix ("/api/forwards/3" → 3), or -1.</summary>
        public int PathIndexAfter(string prefix)
        {
            if (!PathStartsWith(prefix)) return -1;
            return Ascii.ParseDecimal(Buffer, PathOffset + prefix.Length, PathLength - prefix.Length);
        }

        public bool ContentTypeIs(string lowerMediaType)
        {
            int length = 0;
            while (length < ContentTypeLength && Buffer[ContentTypeOffset + length] != ';' && Buffer[ContentTypeOffset + length] != ' ') length++;
            return Ascii.EqualsLower(Buffer, ContentTypeOffset, length, lowerMediaType);
        }

        /// <summary>A whole-number query parameter (a page number): 0 when absent or empty, -1 when not a whole number.</summary>
        public int QueryNumber(string name)
        {
            int length;
            int at = FindQuery(name, out length);
            return at < 0 || length == 0 ? 0 : Ascii.ParseDecimal(Buffer, at, length);
        }

        /// <summary>The value of a query parameter ("?page=2&amp;device=…") as its offset in the buffer (length via out), or -1. Not percent-decoded.</summary>
        public int FindQuery(string name, out int length)
        {
            length = 0;
            int i = QueryOffset, end = QueryOffset + QueryLength;
            while (i < end)
            {
                int pairStart = i;
                while (i < end && Buffer[i] != '&') i++;
                int pairLength = i - pairStart;
                i++;
                if (pairLength > name.Length && Buffer[pairStart + name.Length] == '=' && Ascii.Equals(Buffer, pairStart, name.Length, name))
                {
                    length = pairLength - name.Length - 1;
                    return pairStart + name.Length + 1;
                }
            }
            return -1;
        }

        /// <summary>True when If-None-Match lists <paramref name="etag"/> (quoted, as sent in ETag) or is "*".</summary>
        public bool IfNoneMatchIncludes(string etag)
        {
            int end = IfNoneMatchOffset + IfNoneMatchLength;
            for (int i = IfNoneMatchOffset; i < end; i++)
            {
                if (Buffer[i] == '*') return true;
                if (i + etag.Length <= end && Ascii.Equals(Buffer, i, etag.Length, etag)) return true;
            }
            return false;
        }

        /// <summary>The value of a cookie by name as its offset in the buffer (length via out), or -1.</summary>
        public int FindCookie(string name, out int length)
        {
            length = 0;
            int i = CookieOffset, end = CookieOffset + CookieLength;
            while (i < end)
            {
                while (i < end && (Buffer[i] == ' ' || Buffer[i] == ';')) i++;
                int pairStart = i;
                while (i < end && Buffer[i] != ';') i++;
                int pairLength = i - pairStart;
                if (pairLength > name.Length && Buffer[pairStart + name.Length] == '=' && Ascii.Equals(Buffer, pairStart, name.Length, name))
                {
                    length = pairLength - name.Length - 1;
                    return pairStart + name.Length + 1;
                }
            }
            return -1;
        }
    }
}
