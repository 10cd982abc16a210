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
        public const string Json = "application/json; charset=utf-8";
        public const string Text = "text/plain; charset=utf-8";

        private const string SecurityHeaders =
            "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n" +
            "Content-Security-Policy: default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'\r\n";

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
        /// <summary>
        /// Set by a handler that cannot answer within this tick (a password hash, a flash write): the server keeps the
        /// connection open and calls <see cref="IPendingReply.Poll"/> each tick until it clears this. Null otherwise.
        /// </summary>
        public IPendingReply Pending;
        /// <summary>What <see cref="Pending"/> is waiting for on this response (its own meaning per waiter).</summary>
        public int WaitTicket;
        private string _extraHeaders;
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
            _extraHeaders = null;
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

        /// <summary>Adds a header line ("Name: value", no line end); rare headers only (allocates).</summary>
        public void AddHeader(string line)
        {
            _extraHeaders = _extraHeaders == null ? line + "\r\n" : _extraHeaders + line + "\r\n";
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
            WriteHead(status, Text, text);
        }

        private void WriteHead(int status, string contentType)
        {
            WriteHead(status, contentType, null);
        }

        private void WriteHead(int status, string contentType, string inlineBody)
        {
            Status = status;
            int length = inlineBody == null ? BodyLength : inlineBody.Length;
            int o = Ascii.Write(Head, 0, "HTTP/1.1 ");
            o = Ascii.WriteDecimal(Head, o, status);
            o = Ascii.Write(Head, o, " ");
            o = Ascii.Write(Head, o, HttpStatus.Reason(status));
            o = Ascii.Write(Head, o, "\r\nContent-Type: ");
            o = Ascii.Write(Head, o, contentType);
            o = Ascii.Write(Head, o, "\r\nContent-Length: ");
            o = Ascii.WriteDecimal(Head, o, length);
            o = Ascii.Write(Head, o, KeepAlive ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n");
            if (_assetETag == null) o = Ascii.Write(Head, o, "Cache-Control: no-store\r\n");
            else
            {
                o = Ascii.Write(Head, o, "Cache-Control: no-cache\r\nVary: Accept-Encoding\r\nETag: ");
                o = Ascii.Write(Head, o, _assetETag);
                o = Ascii.Write(Head, o, status == HttpStatus.NotModified ? "\r\n" : "\r\nContent-Encoding: gzip\r\n");
            }
            o = Ascii.Write(Head, o, SecurityHeaders);
            if (_extraHeaders != null) o = Ascii.Write(Head, o, _extraHeaders);
            o = Ascii.Write(Head, o, "\r\n");
            if (inlineBody != null && !HeadOnly) o = Ascii.Write(Head, o, inlineBody);
            if (o < 0)
            {
                // Headers that do not fit the head buffer are a programming error: answer a bare 500 rather than truncate.
                KeepAlive = false;
                Body = null;
                Assets = null;
                BodyLength = 0;
                o = Ascii.Write(Head, 0, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
            HeadLength = o;
            if (HeadOnly) BodyLength = 0;
        }
    }
}
