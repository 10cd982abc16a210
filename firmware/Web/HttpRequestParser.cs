namespace Router.Web
{
    /// <summary>
    /// Parses an HTTP/1.1 request in place from a connection's fixed buffer, as bytes arrive (RFC 9112). Answers every
    /// violation with a precise status: 400 malformed, 414 request line too long, 431 head too large or too many
    /// headers, 413 body over the limit, 501 unknown method or Transfer-Encoding, 505 other HTTP versions.
    /// Allocates nothing; the request is described by offsets.
    /// </summary>
    public sealed class HttpRequestParser
    {
        public const int NeedMore = 0;
        public const int Complete = 1;

        /// <summary>The header names the server reads, lower case (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable Headers = new TextTable(
            "host origin content-length transfer-encoding connection cookie x-csrf-token content-type if-none-match", ' ');
        private const int Host = 0, Origin = 1, ContentLength = 2, TransferEncoding = 3, Connection = 4, Cookie = 5, CsrfToken = 6,
            ContentType = 7, IfNoneMatch = 8;
        /// <summary>The version prefix and the Connection options.</summary>
        private static readonly TextTable Tokens = new TextTable("HTTP/ close keep-alive", ' ');
        private const int HttpSlash = 0, Close = 1, KeepAlive = 2;

        private readonly HttpLimits _limits;
        /// <summary>Where the search for the end of the head resumes, so each byte is scanned once.</summary>
        private int _scanFrom;

        public HttpRequestParser(HttpLimits limits)
        {
            _limits = limits;
        }

        public void Reset()
        {
            _scanFrom = 0;
        }

        /// <summary>Looks at the first <paramref name="received"/> bytes; returns NeedMore, Complete or an error status.</summary>
        public int Parse(byte[] buffer, int received, HttpRequest request)
        {
            if (request.HeadLength == 0)
            {
                int headEnd = FindHeadEnd(buffer, received);
                if (headEnd < 0)
                {
                    if (LineLength(buffer, received) > _limits.MaxRequestLine) return HttpStatus.UriTooLong;
                    if (received >= _limits.MaxHeadBytes) return HttpStatus.HeadersTooLarge;
                    return NeedMore;
                }
                if (LineLength(buffer, headEnd) > _limits.MaxRequestLine) return HttpStatus.UriTooLong;
                if (headEnd > _limits.MaxHeadBytes) return HttpStatus.HeadersTooLarge;
                int status = ParseHead(buffer, headEnd, request);
                if (status != Complete) return status;
                request.HeadLength = headEnd;
            }
            int end = request.HeadLength + request.BodyLength;
            if (received < end) return NeedMore;
            if (received > end) request.KeepAlive = false; // pipelined bytes are not served: close after this response
            return Complete;
        }

        /// <summary>The offset just past the blank line ending the head, or -1.</summary>
        private int FindHeadEnd(byte[] buffer, int received)
        {
            int i = _scanFrom < 3 ? 0 : _scanFrom - 3;
            for (; i + 3 < received; i++)
            {
                if (buffer[i + 3] == '\n' && buffer[i + 2] == '\r' && buffer[i + 1] == '\n' && buffer[i] == '\r') return i + 4;
            }
            _scanFrom = received;
            return -1;
        }

        /// <summary>Length of the first line without its line end, or the bytes seen so far if it has not ended.</summary>
        private static int LineLength(byte[] buffer, int length)
        {
            for (int i = 0; i < length; i++)
            {
                if (buffer[i] == '\n') return i > 0 && buffer[i - 1] == '\r' ? i - 1 : i;
            }
            return length;
        }

        private int ParseHead(byte[] buffer, int headEnd, HttpRequest request)
        {
            int lineEnd = NextLineEnd(buffer, 0, headEnd);
            if (lineEnd < 0) return HttpStatus.BadRequest;
            int status = ParseRequestLine(buffer, lineEnd, request);
            if (status != Complete) return status;

            int headers = 0;
            int i = lineEnd + 2;
            while (true)
            {
                lineEnd = NextLineEnd(buffer, i, headEnd);
                if (lineEnd < 0) return HttpStatus.BadRequest;
                if (lineEnd == i) break; // the blank line
                if (++headers > _limits.MaxHeaderCount) return HttpStatus.HeadersTooLarge;
                status = ParseHeader(buffer, i, lineEnd, request);
                if (status != Complete) return status;
                i = lineEnd + 2;
            }
            if (request.MinorVersion == 1 && !request.HasHost) return HttpStatus.BadRequest; // RFC 9112 section 3.2
            return Complete;
        }

        /// <summary>Offset of the CR of the next CRLF at or after start; -1 for a bare CR or LF (rejected, RFC 9112 section 2.2).</summary>
        private static int NextLineEnd(byte[] buffer, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                byte b = buffer[i];
                if (b == '\r') return i + 1 < end && buffer[i + 1] == '\n' ? i : -1;
                if (b == '\n') return -1;
            }
            return -1;
        }

        private static int ParseRequestLine(byte[] buffer, int lineEnd, HttpRequest request)
        {
            int i = 0;
            while (i < lineEnd && Ascii.IsToken(buffer[i])) i++;
            if (i == 0 || i >= lineEnd || buffer[i] != ' ') return HttpStatus.BadRequest;
            request.Method = HttpMethod.Parse(buffer, 0, i);

            int targetStart = ++i;
            if (i >= lineEnd || buffer[i] != '/') return HttpStatus.BadRequest; // origin-form only
            int query = -1;
            while (i < lineEnd && buffer[i] != ' ')
            {
                byte b = buffer[i];
                if (b <= 0x20 || b >= 0x7F) return HttpStatus.BadRequest;
                if (b == '?' && query < 0) query = i;
                i++;
            }
            if (i >= lineEnd) return HttpStatus.BadRequest;
            int targetEnd = i;
            request.PathOffset = targetStart;
            request.PathLength = (query < 0 ? targetEnd : query) - targetStart;
            request.QueryOffset = query < 0 ? targetEnd : query + 1;
            request.QueryLength = query < 0 ? 0 : targetEnd - query - 1;

            int version = i + 1;
            if (lineEnd - version != 8 || !Tokens.IsPrefixOf(buffer, version, 8, HttpSlash)) return HttpStatus.BadRequest;
            int major = buffer[version + 5] - '0', minor = buffer[version + 7] - '0';
            if (buffer[version + 6] != '.' || major < 0 || major > 9 || minor < 0 || minor > 9) return HttpStatus.BadRequest;
            if (major != 1 || minor > 1) return HttpStatus.VersionNotSupported;
            request.MinorVersion = minor;
            request.KeepAlive = minor == 1;
            if (request.Method == HttpMethod.Unknown) return HttpStatus.NotImplemented;
            return Complete;
        }

        private int ParseHeader(byte[] buffer, int start, int lineEnd, HttpRequest request)
        {
            int i = start;
            while (i < lineEnd && Ascii.IsToken(buffer[i])) i++;
            // An empty name covers obs-fold (a line starting with whitespace); whitespace before the colon is forbidden (RFC 9112 section 5.1).
            if (i == start || i >= lineEnd || buffer[i] != ':') return HttpStatus.BadRequest;
            int nameLength = i - start;
            i++;
            while (i < lineEnd && (buffer[i] == ' ' || buffer[i] == '\t')) i++;
            int valueStart = i, valueEnd = lineEnd;
            while (valueEnd > valueStart && (buffer[valueEnd - 1] == ' ' || buffer[valueEnd - 1] == '\t')) valueEnd--;
            for (int j = valueStart; j < valueEnd; j++)
            {
                byte b = buffer[j];
                if (b < 0x20 && b != '\t' || b == 0x7F) return HttpStatus.BadRequest;
            }
            int valueLength = valueEnd - valueStart;

            switch (Headers.IndexOfLower(buffer, start, nameLength))
            {
                case Host:
                    if (request.HasHost) return HttpStatus.BadRequest;
                    request.HasHost = true;
                    request.HostOffset = valueStart;
                    request.HostLength = valueLength;
                    break;
                case Origin:
                    if (request.OriginLength > 0) return HttpStatus.BadRequest;
                    request.OriginOffset = valueStart;
                    request.OriginLength = valueLength;
                    break;
                case ContentLength:
                    if (request.ContentLength >= 0) return HttpStatus.BadRequest;
                    int length = Ascii.ParseDecimal(buffer, valueStart, valueLength);
                    if (length < 0) return valueLength > 9 && AllDigits(buffer, valueStart, valueLength) ? HttpStatus.PayloadTooLarge : HttpStatus.BadRequest;
                    if (length > _limits.MaxBodyBytes) return HttpStatus.PayloadTooLarge;
                    request.ContentLength = length;
                    break;
                case TransferEncoding:
                    return HttpStatus.NotImplemented; // request bodies must carry a Content-Length
                case Connection:
                    if (Tokens.ContainedLower(buffer, valueStart, valueLength, Close)) request.KeepAlive = false;
                    else if (Tokens.ContainedLower(buffer, valueStart, valueLength, KeepAlive)) request.KeepAlive = true;
                    break;
                case Cookie:
                    request.CookieOffset = valueStart;
                    request.CookieLength = valueLength;
                    break;
                case CsrfToken:
                    request.CsrfOffset = valueStart;
                    request.CsrfLength = valueLength;
                    break;
                case ContentType:
                    request.ContentTypeOffset = valueStart;
                    request.ContentTypeLength = valueLength;
                    break;
                case IfNoneMatch:
                    request.IfNoneMatchOffset = valueStart;
                    request.IfNoneMatchLength = valueLength;
                    break;
            }
            return Complete;
        }

        private static bool AllDigits(byte[] buffer, int offset, int length)
        {
            for (int i = 0; i < length; i++)
            {
                if (buffer[offset + i] < '0' || buffer[offset + i] > '9') return false;
            }
            return true;
        }
    }
}
