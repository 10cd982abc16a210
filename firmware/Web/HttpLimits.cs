namespace Router.Web
{
    /// <summary>
    /// The server's fixed limits and timeouts. Memory is one (BufferBytes + HeadBytes) per TCP connection slot
    /// (<see cref="Capacities.TcpConnections"/>), allocated once at start.
    /// </summary>
    public sealed class HttpLimits
    {
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
        /// <summary>Longest wait for an answer that needs sliced work (hashes and flash writes queued behind each other); then 503.</summary>
        public int WaitTimeoutMs = 30000;

        public int MaxBodyBytes { get { return BufferBytes - MaxHeadBytes; } }
    }
}
