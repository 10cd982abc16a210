namespace Router.Helpers.Ftp
{
    /// <summary>
    /// The fixed pool of inspected FTP control connections: one slot per connection (its index is kept in the
    /// connection's Link), holding who is inside and, per direction (stream = slot * 2 + direction), where the sender's
    /// next new byte is, whether that byte starts a line, and the last line rewritten (to redo it on retransmission).
    /// </summary>
    public sealed class FtpSessions
    {
        /// <summary>The client is inside (outbound control connection): its PORT/EPRT are rewritten.</summary>
        public const int LanClient = 1;
        /// <summary>The server is inside (behind a forward of its control port): its 227/229 are handled.</summary>
        public const int LanServer = 2;

        /// <summary>Line state at a stream's next byte.</summary>
        public const int AtLineStart = 0;
        public const int InLine = 1;
        /// <summary>In a line, just after a CR: an LF next ends the line.</summary>
        public const int InLineAfterCr = 2;

        private readonly int[] _connection;
        private readonly byte[] _role;
        private readonly bool[] _inspecting;
        private readonly bool[] _authRequested;
        private readonly bool[] _greeted;
        private readonly ushort[] _multilineCode;
        private readonly uint[] _observedAddress;
        private readonly ushort[] _observedPort;
        private readonly uint[] _next;
        private readonly bool[] _started;
        private readonly byte[] _lineState;
        private readonly bool[] _hasRewrite;
        private readonly uint[] _rewritePosition;
        private readonly ushort[] _rewritePort;

        public FtpSessions(int slots)
        {
            _connection = new int[slots];
            _role = new byte[slots];
            _inspecting = new bool[slots];
            _authRequested = new bool[slots];
            _greeted = new bool[slots];
            _multilineCode = new ushort[slots];
            _observedAddress = new uint[slots];
            _observedPort = new ushort[slots];
            _next = new uint[slots * 2];
            _started = new bool[slots * 2];
            _lineState = new byte[slots * 2];
            _hasRewrite = new bool[slots * 2];
            _rewritePosition = new uint[slots * 2];
            _rewritePort = new ushort[slots * 2];
            for (int i = 0; i < slots; i++) _connection[i] = -1;
        }

        public int Capacity { get { return _connection.Length; } }

        /// <summary>Takes a free slot for <paramref name="connection"/>, or returns -1 when all are taken.</summary>
        public int Allocate(int connection, int role)
        {
            for (int slot = 0; slot < _connection.Length; slot++)
            {
                if (_connection[slot] >= 0) continue;
                _connection[slot] = connection;
                _role[slot] = (byte)role;
                _inspecting[slot] = true;
                _authRequested[slot] = false;
                _greeted[slot] = false;
                _multilineCode[slot] = 0;
                _observedPort[slot] = 0;
                for (int stream = slot * 2; stream < slot * 2 + 2; stream++)
                {
                    _started[stream] = false;
                    _lineState[stream] = AtLineStart;
                    _hasRewrite[stream] = false;
                }
                return slot;
            }
            return -1;
        }

        public void Free(int slot) { _connection[slot] = -1; }

        public int InUseCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _connection.Length; i++) if (_connection[i] >= 0) n++;
                return n;
            }
        }

        public int Role(int slot) { return _role[slot]; }
        public bool Inspecting(int slot) { return _inspecting[slot]; }
        public void StopInspecting(int slot) { _inspecting[slot] = false; }
        public bool AuthRequested(int slot) { return _authRequested[slot]; }

        /// <summary>The server's 220 greeting has been seen: client commands may follow (RFC 959 5.4).</summary>
        public bool Greeted(int slot) { return _greeted[slot]; }
        public void SetGreeted(int slot) { _greeted[slot] = true; }

        /// <summary>The code of the multi-line reply the server is in (RFC 959 4.2), or 0.</summary>
        public int MultilineCode(int slot) { return _multilineCode[slot]; }
        public void SetMultilineCode(int slot, int code) { _multilineCode[slot] = (ushort)code; }

        /// <summary>
        /// The data endpoint the last 227/229 (LAN client) or PORT/EPRT (LAN server) named that the helper did not need
        /// to rewrite: a connection from inside to it is this session's data connection. Port 0 when none.
        /// </summary>
        public uint ObservedAddress(int slot) { return _observedAddress[slot]; }
        public int ObservedPort(int slot) { return _observedPort[slot]; }

        public void Observe(int slot, uint address, int port)
        {
            _observedAddress[slot] = address;
            _observedPort[slot] = (ushort)port;
        }

        /// <summary>The connection this slot serves, or -1 when the slot is free.</summary>
        public int Connection(int slot) { return _connection[slot]; }
        public void SetAuthRequested(int slot) { _authRequested[slot] = true; }

        /// <summary>The stream starts after its SYN: its first byte is at a line start.</summary>
        public void Begin(int stream, uint firstByte)
        {
            _next[stream] = firstByte;
            _started[stream] = true;
            _lineState[stream] = AtLineStart;
        }

        public bool Started(int stream) { return _started[stream]; }
        public uint Next(int stream) { return _next[stream]; }
        public int LineState(int stream) { return _lineState[stream]; }

        public void Advance(int stream, uint next, int lineState)
        {
            _next[stream] = next;
            _lineState[stream] = (byte)lineState;
        }

        public bool HasRewrite(int stream) { return _hasRewrite[stream]; }
        public uint RewritePosition(int stream) { return _rewritePosition[stream]; }
        public int RewritePort(int stream) { return _rewritePort[stream]; }

        /// <summary>Remembers the line rewritten at <paramref name="position"/> and the outside port it was given.</summary>
        public void RememberRewrite(int stream, uint position, int outsidePort)
        {
            _hasRewrite[stream] = true;
            _rewritePosition[stream] = position;
            _rewritePort[stream] = (ushort)outsidePort;
        }
    }
}
