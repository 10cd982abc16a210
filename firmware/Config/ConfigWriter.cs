using Router.Wire;

namespace Router.Config
{
    /// <summary>Appends big-endian fields to a buffer; past the end it stops writing and sets <see cref="Overflow"/>.</summary>
    public sealed class ConfigWriter
    {
        private byte[] _buffer;
        private int _position;
        private int _limit;

        public bool Overflow;

        public int Position { get { return _position; } }

        public void Reset(byte[] buffer, int offset, int limit)
        {
            _buffer = buffer;
            _position = offset;
            _limit = limit;
            Overflow = false;
        }

        public void Byte(int value)
        {
            if (Reserve(1)) _buffer[_position++] = (byte)value;
        }

        public void UInt16(int value)
        {
            if (!Reserve(2)) return;
            NetworkOrder.WriteUInt16(_buffer, _position, value);
            _position += 2;
        }

        public void UInt32(uint value)
        {
            if (!Reserve(4)) return;
            NetworkOrder.WriteUInt32(_buffer, _position, value);
            _position += 4;
        }

        /// <summary>Exactly <paramref name="count"/> bytes, no length (fixed-size fields such as a MAC).</summary>
        public void Fixed(byte[] source, int offset, int count)
        {
            if (!Reserve(count)) return;
            System.Array.Copy(source, offset, _buffer, _position, count);
            _position += count;
        }

        /// <summary>A length byte, then the bytes (at most 255).</summary>
        public void Bytes(byte[] value)
        {
            int length = value == null ? 0 : value.Length;
            if (length > 255 || !Reserve(1 + length))
            {
                Overflow = true;
                return;
            }
            _buffer[_position++] = (byte)length;
            if (length > 0) System.Array.Copy(value, 0, _buffer, _position, length);
            _position += length;
        }

        /// <summary>A string as UTF-8 with a length byte.</summary>
        public void Text(string value)
        {
            Bytes(value == null ? null : System.Text.Encoding.UTF8.GetBytes(value));
        }

        private bool Reserve(int count)
        {
            if (Overflow || _position + count > _limit)
            {
                Overflow = true;
                return false;
            }
            return true;
        }
    }
}
