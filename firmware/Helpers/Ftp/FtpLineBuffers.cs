namespace Router.Helpers.Ftp
{
    /// <summary>
    /// The bytes of an unfinished control line held back from a segment, per helper slot and direction, so a command
    /// split across two segments is joined and handled whole. A fixed pool: one short line per direction per slot.
    /// </summary>
    public sealed class FtpLineBuffers
    {
        /// <summary>Longest unfinished line held back; "227 Entering Passive Mode (255,255,255,255,255,255)." fits.</summary>
        public const int LineCapacity = 64;

        /// <summary>How many times one line may be held back (once per segment it arrives in) before it passes uninspected.</summary>
        public const int MaxHolds = 8;

        private readonly byte[] _bytes;
        private readonly byte[] _length;
        private readonly uint[] _sequence;
        private readonly byte[] _holds;

        public FtpLineBuffers(int slots)
        {
            _bytes = new byte[slots * 2 * LineCapacity];
            _length = new byte[slots * 2];
            _sequence = new uint[slots * 2];
            _holds = new byte[slots * 2];
        }

        /// <summary>How many times in a row the line starting at <paramref name="sequence"/> has been held.</summary>
        public int Holds(int stream, uint sequence) { return _sequence[stream] == sequence ? _holds[stream] : 0; }

        /// <summary>Bytes held for the stream (slot * 2 + direction); 0 when none.</summary>
        public int Length(int stream) { return _length[stream]; }

        /// <summary>The sequence number of the first held byte.</summary>
        public uint Sequence(int stream) { return _sequence[stream]; }

        /// <summary>Holds <paramref name="length"/> bytes that start at <paramref name="sequence"/>. False when they do not fit.</summary>
        public bool Hold(int stream, uint sequence, byte[] source, int offset, int length)
        {
            if (length > LineCapacity) return false;
            _holds[stream] = _holds[stream] != 0 && _sequence[stream] == sequence ? (byte)(_holds[stream] + 1) : (byte)1;
            System.Array.Copy(source, offset, _bytes, stream * LineCapacity, length);
            _length[stream] = (byte)length;
            _sequence[stream] = sequence;
            return true;
        }

        /// <summary>The pool array and offset of the held bytes, to copy them back into a segment.</summary>
        public byte[] Bytes { get { return _bytes; } }
        public int Offset(int stream) { return stream * LineCapacity; }

        /// <summary>Forgets the held bytes (they went back into a segment); the hold count stays with the line.</summary>
        public void Clear(int stream) { _length[stream] = 0; }

        /// <summary>Forgets everything of the stream (a slot taken by a new connection).</summary>
        public void Reset(int stream)
        {
            _length[stream] = 0;
            _holds[stream] = 0;
        }
    }
}
