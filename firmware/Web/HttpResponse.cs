using Router.Hal;

namespace Router.Web
{
    /// <summary>
    /// The response being sent on a connection: a status line and headers in a small fixed head buffer, and a body that
    /// is either an array (the connection's own buffer with JSON written in place, or a shared pre-encoded one) or a
    /// static file read a slice at a time from an <see cref="IAssetSource"/> as TCP takes it.
    /// </summary>
    public sealed class HttpResponse
    {
        public static readonly string Json = "application/json; charset=utf-8";
        public static readonly string Text = "text/plain; charset=utf-8";

        /// <summary>The fixed pieces of a response head (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable Pieces = new TextTable(
            "HTTP/1.1 | |\r\nContent-Type: |\r\nContent-Length: |\r\nConnection: keep-alive\r\n|\r\nConnection: close\r\n|" +
            "Cache-Control: no-store\r\n|Cache-Control: no-cache\r\nVary: Accept-Encoding\r\nETag: |\r\nContent-Encoding: gzip\r\n|\r\n|" +
            "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n" +
            "Content-Security-Policy: default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'\r\n|" +
            "Allow: |, |HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", '|');
        private const int StatusLine = 0, Space = 1, ContentType = 2, ContentLength = 3, KeepAliveLine = 4, CloseLine = 5,
            NoStore = 6, NoCacheETag = 7, GzipLine = 8, LineEnd = 9, SecurityHeaders = 10, AllowName = 11, ListSeparator = 12, BareError = 13;

        public readonly byte[] Head;
        /// <summary>The connection's buffer, which handlers may write a body into once they have read the request.</summary>
        public readonly byte[] Scratch;
        public int HeadLength;
        public byte[] Body;
        public int BodyOffset;
        public int BodyLength;
        /// <summary>Where the body comes from when it is a static file (then <see cref="Body"/> is null), else null.</summary>
        public IAssetSource Assets;
        public int Asset;
        public int Status;
        public bool KeepAlive;
        public bool HeadOnly;
        /// <summary>Up to two extra header lines (without line end), set by <see cref="AddHeader"/>.</summary>
        private string _extraHeader1, _extraHeader2;
        /// <summary>Methods for an Allow header (bits 1 &lt;&lt; <see cref="HttpMethod"/>), or 0 for none.</summary>
        private int _allow;
        /// <summary>
        /// Set by a handler that cannot answer within this tick (a password hash, a flash write): the server keeps the
        /// connection open and calls <see cref="IPendingReply.Poll"/> each tick until it clears this. Null otherwise.
        /// </summary>
        public IPendingReply Pending;
        /// <summary>What <see cref="Pending"/> is waiting for on this response (its own meaning per waiter).</summary>
        public int WaitTicket;
        /// <summary>The ETag of a static asset being sent (then the body is gzip and may be cached), else null.</summary>
        private string _assetETag;

        public HttpResponse(int headBytes, byte[] scratch)
        {
            Head = new byte[headBytes];
            Scratch = scratch;
        }

        public void Reset(bool keepAlive, bool headOnly)
        {
            HeadLength = 0;
            Body = null;
            BodyOffset = BodyLength = 0;
            Assets = null;
            Status = 0;
            KeepAlive = keepAlive;
            HeadOnly = headOnly;
            _extraHeader1 = _extraHeader2 = null;
            _allow = 0;
            _assetETag = null;
            Pending = null;
            WaitTicket = 0;
        }

        /// <summary>The answer comes later: <paramref name="waiter"/> finishes it (see <see cref="Pending"/>).</summary>
        public void Wait(IPendingReply waiter, int ticket)
        {
            Pending = waiter;
            WaitTicket = ticket;
        }

        /// <summary>Adds a header line ("Name: value", no line end); at most two per response, a third replaces the second.</summary>
        public void AddHeader(string line)
        {
            if (_extraHeader1 == null) _extraHeader1 = line;
            else _extraHeader2 = line;
        }

        /// <summary>Adds "Allow:" listing the methods whose bits (1 &lt;&lt; <see cref="HttpMethod"/>) are set; GET brings HEAD.</summary>
        public void Allow(int methods)
        {
            _allow = methods;
        }

        /// <summary>Sends a body from a shared pre-encoded array.</summary>
        public void Send(int status, string contentType, byte[] body, int offset, int length)
        {
            Body = body;
            BodyOffset = offset;
            BodyLength = length;
            WriteHead(status, contentType);
        }

        /// <summary>
        /// Sends a gzip-compressed static asset with its ETag; the browser keeps it but revalidates each time
        /// (Cache-Control: no-cache), so a firmware update shows at once. A matching If-None-Match gets 304 and no body.
        /// </summary>
        public void SendAsset(HttpRequest request, string contentType, IAssetSource assets, int asset, int gzipLength, string etag)
        {
            _assetETag = etag;
            Body = null;
            if (request.IfNoneMatchIncludes(etag))
            {
                BodyLength = 0;
                WriteHead(HttpStatus.NotModified, contentType);
                return;
            }
            Assets = assets;
            Asset = asset;
            BodyOffset = 0;
            BodyLength = gzipLength;
            WriteHead(HttpStatus.Ok, contentType);
        }

        /// <summary>Sends the first <paramref name="length"/> bytes of <see cref="Scratch"/> as the body.</summary>
        public void SendScratch(int status, string contentType, int length)
        {
            Send(status, contentType, Scratch, 0, length);
        }

        /// <summary>A short plain-text answer (errors); the text goes into the head buffer's tail.</summary>
        public void SendText(int status, string text)
        {
            Body = null;
            BodyLength = 0;
            WriteHead(status, Text, text, 0, text.Length);
        }

        /// <summary>A short plain-text answer from a table's word (see <see cref="TextTable"/>).</summary>
        public void SendText(int status, TextTable words, int word)
        {
            Body = null;
            BodyLength = 0;
            int start = words.Start(word);
            WriteHead(status, Text, words.Text, start, words.LengthAt(start));
        }

        private void WriteHead(int status, string contentType)
        {
            WriteHead(status, contentType, null, 0, 0);
        }

        /// <param name="inline">text holding a body to put after the head (characters start to start + length), or null</param>
        private void WriteHead(int status, string contentType, string inline, int start, int length)
        {
            Status = status;
            int o = Pieces.Write(Head, 0, StatusLine);
            o = Ascii.WriteDecimal(Head, o, status);
            o = Pieces.Write(Head, o, Space);
            o = HttpStatus.Reasons.Write(Head, o, HttpStatus.ReasonIndex(status));
            o = Pieces.Write(Head, o, ContentType);
            o = Ascii.Write(Head, o, contentType);
            o = Pieces.Write(Head, o, ContentLength);
            o = Ascii.WriteDecimal(Head, o, inline == null ? BodyLength : length);
            o = Pieces.Write(Head, o, KeepAlive ? KeepAliveLine : CloseLine);
            if (_assetETag == null) o = Pieces.Write(Head, o, NoStore);
            else
            {
                o = Pieces.Write(Head, o, NoCacheETag);
                o = Ascii.Write(Head, o, _assetETag);
                o = Pieces.Write(Head, o, status == HttpStatus.NotModified ? LineEnd : GzipLine);
            }
            o = Pieces.Write(Head, o, SecurityHeaders);
            if (_allow != 0) o = WriteAllow(o);
            if (_extraHeader1 != null) o = Pieces.Write(Head, Ascii.Write(Head, o, _extraHeader1), LineEnd);
            if (_extraHeader2 != null) o = Pieces.Write(Head, Ascii.Write(Head, o, _extraHeader2), LineEnd);
            o = Pieces.Write(Head, o, LineEnd);
            if (inline != null && !HeadOnly) o = Ascii.Write(Head, o, inline, start, length);
            if (o < 0)
            {
                // Headers that do not fit the head buffer are a programming error: answer a bare 500 rather than truncate.
                KeepAlive = false;
                Body = null;
                Assets = null;
                BodyLength = 0;
                o = Pieces.Write(Head, 0, BareError);
            }
            HeadLength = o;
            if (HeadOnly) BodyLength = 0;
        }

        /// <summary>"Allow: GET, HEAD, POST\r\n" from <see cref="_allow"/>, in the order GET (with HEAD), POST, PUT, DELETE.</summary>
        private int WriteAllow(int o)
        {
            o = Pieces.Write(Head, o, AllowName);
            bool first = true;
            for (int method = HttpMethod.Get; method <= HttpMethod.Delete; method++)
            {
                if (method == HttpMethod.Head || (_allow & (1 << method)) == 0) continue;
                if (!first) o = Pieces.Write(Head, o, ListSeparator);
                o = HttpMethod.Names.Write(Head, o, method);
                if (method == HttpMethod.Get)
                {
                    o = Pieces.Write(Head, o, ListSeparator);
                    o = HttpMethod.Names.Write(Head, o, HttpMethod.Head);
                }
                first = false;
            }
            return Pieces.Write(Head, o, LineEnd);
        }
    }
}
