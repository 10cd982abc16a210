namespace Router.Web
{
    /// <summary>
    /// The server's fixed limits and timeouts. Memory is Connections × (BufferBytes + HeadBytes), allocated once at start.
    /// </summary>
    public sealed class HttpLimits
    {
        /// <summary>Concurrent connections; one more is answered 503 (after evicting an idle keep-alive one if any).</summary>
        public int Connections = 4;
        /// <summary>Per-connection buffer: holds the request (head and body), then the response body.</summary>
        public int BufferBytes = 8192;
        /// <summary>Per-connection buffer for the response status line and headers.</summary>
        public int HeadBytes = 512;
        /// <summary>Longest request line (method, target, version); longer is 414.</summary>
        public int MaxRequestLine = 512;
        /// <summary>Longest request head (request line and headers); longer is 431.</summary>
        public int MaxHeadBytes = 2048;
        public int MaxHeaderCount = 32;
        /// <summary>Time from a request's first byte (or from accept) until it must be complete; then 408.</summary>
        public int RequestTimeoutMs = 10000;
        /// <summary>How long an idle keep-alive connection is kept.</summary>
        public int KeepAliveTimeoutMs = 15000;
        /// <summary>Time a client gets to read a response before the connection is dropped.</summary>
        public int WriteTimeoutMs = 10000;
        /// <summary>Bytes handed to one Send call, so a full socket buffer never blocks the server thread for long.</summary>
        public int SendChunkBytes = 1460;

        public int MaxBodyBytes { get { return BufferBytes - MaxHeadBytes; } }
    }
}
