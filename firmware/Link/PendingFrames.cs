namespace Router.Link
{
    /// <summary>
    /// Frames waiting for their next hop's MAC address, in a fixed pool of preallocated buffers.
    /// When the pool is full the new frame is refused (the caller counts the drop).
    /// </summary>
    public sealed class PendingFrames
    {
        private readonly byte[][] _frames;
        private readonly int[] _length;
        private readonly int[] _port;
        private readonly uint[] _nextHop;

        public PendingFrames(int capacity, int frameSize)
        {
            _frames = new byte[capacity][];
            _length = new int[capacity];
            _port = new int[capacity];
            _nextHop = new uint[capacity];
            for (int i = 0; i < capacity; i++) _frames[i] = new byte[frameSize];
        }

        public int Capacity { get { return _frames.Length; } }

        public int Count
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _length.Length; i++) if (_length[i] != 0) n++;
                return n;
            }
        }

        public bool Hold(int port, uint nextHop, byte[] frame, int offset, int length)
        {
            for (int i = 0; i < _frames.Length; i++)
            {
                if (_length[i] != 0) continue;
                System.Array.Copy(frame, offset, _frames[i], 0, length);
                _length[i] = length;
                _port[i] = port;
                _nextHop[i] = nextHop;
                return true;
            }
            return false;
        }

        /// <summary>The index of the next held frame for this next hop at or after <paramref name="start"/>, or -1.</summary>
        public int Next(int port, uint nextHop, int start)
        {
            for (int i = start; i < _frames.Length; i++)
            {
                if (_length[i] != 0 && _port[i] == port && _nextHop[i] == nextHop) return i;
            }
            return -1;
        }

        /// <summary>The index of any held frame at or after <paramref name="start"/>, or -1.</summary>
        public int NextHeld(int start)
        {
            for (int i = start; i < _frames.Length; i++)
            {
                if (_length[i] != 0) return i;
            }
            return -1;
        }

        public byte[] Frame(int i) { return _frames[i]; }
        public int Length(int i) { return _length[i]; }
        public int Port(int i) { return _port[i]; }
        public uint NextHop(int i) { return _nextHop[i]; }
        public void Release(int i) { _length[i] = 0; }
    }
}
