namespace Router.Tcp
{
    /// <summary>
    /// One preallocated connection slot of the router's own TCP: the RFC 9293 state variables, a receive ring (the
    /// receive window) and a send buffer (data written and not yet acknowledged). The application (the web server)
    /// reads and writes through the methods below; <see cref="TcpEndpoint"/> moves the segments. Nothing here allocates.
    /// </summary>
    public sealed class TcpConnection
    {
        public const int Free = 0;
        public const int SynReceived = 1;
        public const int Established = 2;
        public const int CloseWait = 3;
        public const int FinWait1 = 4;
        public const int FinWait2 = 5;
        public const int Closing = 6;
        public const int LastAck = 7;
        public const int TimeWait = 8;

        public readonly int Index;
        internal readonly byte[] RxBuffer;
        internal readonly byte[] TxBuffer;
        /// <summary>The peer's MAC, taken from its SYN: replies go straight back without an ARP round.</summary>
        internal readonly byte[] PeerMac = new byte[6];

        public int State;
        /// <summary>Bumped each time the slot takes a new connection, so the application notices a slot that changed hands.</summary>
        public int Generation;
        public uint RemoteAddress;
        public int RemotePort;
        public int LocalPort;
        /// <summary>Set by the application (requests answered): eviction takes the connection that has made least progress.</summary>
        public int Progress;
        public long OpenedAt;

        internal int RxStart;
        internal int RxCount;
        internal int TxCount;

        internal uint Iss;
        internal uint SndUna;
        internal uint SndNxt;
        internal uint SndWl1;
        internal uint SndWl2;
        internal int SndWnd;
        internal int Cwnd;
        internal int Mss;
        internal uint RcvNxt;

        internal bool AckPending;
        internal bool CloseRequested;
        internal bool AbortRequested;
        internal bool FinSent;
        internal bool FinReceived;
        /// <summary>After an RTO: every partial ACK below <see cref="RecoverySeq"/> resends the next segment at once (RFC 6582's idea).</summary>
        internal bool Recovering;
        internal bool ResendNow;
        internal uint RecoverySeq;

        internal long Deadline;
        internal long RetransmitAt;
        internal int Rto;
        internal int Retries;
        internal int Srtt;
        internal int Rttvar;
        internal bool Timing;
        internal uint TimedSeq;
        internal long TimedAt;

        public TcpConnection(int index, int receiveBytes, int sendBytes)
        {
            Index = index;
            RxBuffer = new byte[receiveBytes];
            TxBuffer = new byte[sendBytes];
        }

        /// <summary>Bytes received in order and not yet read.</summary>
        public int Available { get { return RxCount; } }

        /// <summary>Bytes written and not yet acknowledged by the peer (0: everything written has arrived).</summary>
        public int Unacknowledged { get { return TxCount; } }

        /// <summary>The peer has sent its FIN: once <see cref="Available"/> is 0 nothing more will arrive.</summary>
        public bool PeerClosed { get { return FinReceived; } }

        /// <summary>Bytes <see cref="Write"/> accepts now (0 once closing or not connected).</summary>
        public int WriteSpace
        {
            get { return CanWrite ? TxBuffer.Length - TxCount : 0; }
        }

        public bool CanWrite
        {
            get { return (State == Established || State == CloseWait) && !CloseRequested && !AbortRequested; }
        }

        /// <summary>Connected in either direction (handshake done, not yet reset or fully closed).</summary>
        public bool IsOpen
        {
            get { return State >= Established && State <= LastAck && !AbortRequested; }
        }

        /// <summary>Copies up to <paramref name="count"/> received bytes out; returns how many. Opens the window by as much.</summary>
        public int Read(byte[] destination, int offset, int count)
        {
            int n = count < RxCount ? count : RxCount;
            int first = RxBuffer.Length - RxStart;
            if (first > n) first = n;
            System.Array.Copy(RxBuffer, RxStart, destination, offset, first);
            if (n > first) System.Array.Copy(RxBuffer, 0, destination, offset + first, n - first);
            RxStart = (RxStart + n) % RxBuffer.Length;
            RxCount -= n;
            // The window opened: tell the peer when it had been closed or nearly so (window update).
            if (n > 0 && RxBuffer.Length - RxCount - n < Mss) AckPending = true;
            return n;
        }

        /// <summary>Queues up to <paramref name="count"/> bytes for sending; returns how many fit.</summary>
        public int Write(byte[] source, int offset, int count)
        {
            int space = WriteSpace;
            int n = count < space ? count : space;
            System.Array.Copy(source, offset, TxBuffer, TxCount, n);
            TxCount += n;
            return n;
        }

        /// <summary>Sends FIN once everything written has gone out (a graceful close).</summary>
        public void Close()
        {
            if (State != Free) CloseRequested = true;
        }

        /// <summary>Resets the connection (RST) at the endpoint's next service.</summary>
        public void Abort()
        {
            if (State != Free) AbortRequested = true;
        }

        /// <summary>New data may still go out: connected, and our FIN not yet sent.</summary>
        internal bool CanSendData
        {
            get { return (State == Established || State == CloseWait) && !FinSent; }
        }

        /// <summary>Bytes written but not yet sent for the first time.</summary>
        internal int Unsent
        {
            get
            {
                int inFlight = (int)(SndNxt - SndUna) - (FinSent ? 1 : 0);
                if (State == SynReceived) inFlight = 0;
                return TxCount - inFlight;
            }
        }

        internal int ReceiveWindow
        {
            get
            {
                int free = RxBuffer.Length - RxCount;
                return free > 65535 ? 65535 : free;
            }
        }

        /// <summary>Appends received bytes to the ring (the caller checked they fit).</summary>
        internal void Append(byte[] source, int offset, int count)
        {
            int end = (RxStart + RxCount) % RxBuffer.Length;
            int first = RxBuffer.Length - end;
            if (first > count) first = count;
            System.Array.Copy(source, offset, RxBuffer, end, first);
            if (count > first) System.Array.Copy(source, offset + first, RxBuffer, 0, count - first);
            RxCount += count;
        }

        /// <summary>Drops acknowledged bytes from the front of the send buffer.</summary>
        internal void Acknowledge(int bytes)
        {
            if (bytes > TxCount) bytes = TxCount;
            if (bytes <= 0) return;
            System.Array.Copy(TxBuffer, bytes, TxBuffer, 0, TxCount - bytes);
            TxCount -= bytes;
        }

        internal void Reset()
        {
            State = Free;
            RxStart = RxCount = TxCount = 0;
            AckPending = CloseRequested = AbortRequested = FinSent = FinReceived = Timing = Recovering = ResendNow = false;
            Deadline = RetransmitAt = 0;
            Retries = 0;
            Progress = 0;
        }
    }
}
