using Router.Wire;

namespace Router.Config
{
    /// <summary>
    /// Reads big-endian fields from a buffer without ever reading past its end: a short or malformed image sets
    /// <see cref="Failed"/> and yields zeros, so decoding corrupt data needs no exceptions.
    /// </summary>
    public sealed class ConfigReader
    {
        private byte[] _buffer;
        private int _position;
        private int _limit;

        public bool Failed;

        public bool AtEnd { get { return _position == _limit; } }

        public void Reset(byte[] buffer, int offset, int limit)
        {
            _buffer = buffer;
            _position = offset;
            _limit = limit;
            Failed = false;
        }

        public int Byte()
        {
            return Take(1) ? _buffer[_position - 1] : 0;
        }

        public int UInt16()
        {
            return Take(2) ? NetworkOrder.ReadUInt16(_buffer, _position - 2) : 0;
        }

        public uint UInt32()
        {
            return Take(4) ? NetworkOrder.ReadUInt32(_buffer, _position - 4) : 0;
        }

        /// <summary>Exactly <paramref name="count"/> bytes into <paramref name="target"/> (zeros when the image is short).</summary>
        public void Fixed(byte[] target, int offset, int count)
        {
            if (Take(count)) System.Array.Copy(_buffer, _position - count, target, offset, count);
            else System.Array.Clear(target, offset, count);
        }

        /// <summary>A length-prefixed byte string of at most <paramref name="maxLength"/> bytes (longer fails the read).</summary>
        public byte[] Bytes(int maxLength)
        {
            int length = Byte();
            if (length > maxLength) Failed = true;
            if (Failed || !Take(length)) return new byte[0];
            byte[] value = new byte[length];
            System.Array.Copy(_buffer, _position - length, value, 0, length);
            return value;
        }

        public string Text(int maxBytes)
        {
            int length = Byte();
            if (length > maxBytes) Failed = true;
            if (Failed || !Take(length)) return "";
            return System.Text.Encoding.UTF8.GetString(_buffer, _position - length, length);
        }

        private bool Take(int count)
        {
            if (Failed || _position + count > _limit)
            {
                Failed = true;
                return false;
            }
            _position += count;
            return true;
        }
    }
}
