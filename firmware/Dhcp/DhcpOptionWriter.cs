using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>
    /// Appends options to a message being built in place. A write that would not fit before <see cref="Limit"/>
    /// is refused and remembered in <see cref="Overflowed"/>, so the caller checks once at the end.
    /// A reusable class (its cursor is state; a struct would be a heap object on nanoCLR anyway): each service keeps one
    /// and calls <see cref="Start"/> for every message it builds.
    /// </summary>
    public sealed class DhcpOptionWriter
    {
        public byte[] Buffer;
        /// <summary>Offset of the DHCP message the options belong to.</summary>
        public int MessageOffset;
        public int Limit;
        public int Position;
        public bool Overflowed;

        /// <summary>Starts writing options after the cookie of the message at <paramref name="messageOffset"/>, using at most <paramref name="capacity"/> bytes for the message; returns this writer.</summary>
        public DhcpOptionWriter Start(byte[] buffer, int messageOffset, int capacity)
        {
            Buffer = buffer;
            MessageOffset = messageOffset;
            Limit = messageOffset + capacity;
            Position = messageOffset + DhcpMessage.OptionsField;
            Overflowed = false;
            return this;
        }

        public void WriteByte(int code, int value)
        {
            if (!Reserve(code, 1)) return;
            Buffer[Position++] = (byte)value;
        }

        public void WriteUInt32(int code, uint value)
        {
            if (!Reserve(code, 4)) return;
            NetworkOrder.WriteUInt32(Buffer, Position, value);
            Position += 4;
        }

        /// <summary>An address-list option from up to two addresses, skipping zeros; nothing when both are zero.</summary>
        public void WriteAddresses(int code, uint first, uint second)
        {
            int count = (first != 0 ? 1 : 0) + (second != 0 ? 1 : 0);
            if (count == 0 || !Reserve(code, count * 4)) return;
            if (first != 0)
            {
                NetworkOrder.WriteUInt32(Buffer, Position, first);
                Position += 4;
            }
            if (second != 0)
            {
                NetworkOrder.WriteUInt32(Buffer, Position, second);
                Position += 4;
            }
        }

        public void WriteBytes(int code, byte[] source, int offset, int length)
        {
            if (!Reserve(code, length)) return;
            System.Array.Copy(source, offset, Buffer, Position, length);
            Position += length;
        }

        /// <summary>Writes the end option and pads to <see cref="DhcpMessage.MinSendLength"/>. Returns the message length, or -1 on overflow.</summary>
        public int Finish()
        {
            if (Overflowed || Position >= Limit) return -1;
            Buffer[Position++] = DhcpOption.End;
            int minimumEnd = MessageOffset + DhcpMessage.MinSendLength;
            if (minimumEnd > Limit) minimumEnd = Limit;
            if (Position < minimumEnd)
            {
                System.Array.Clear(Buffer, Position, minimumEnd - Position);
                Position = minimumEnd;
            }
            return Position - MessageOffset;
        }

        private bool Reserve(int code, int length)
        {
            // Keep one byte for the end option.
            if (Overflowed || length > 255 || Position + 2 + length + 1 > Limit)
            {
                Overflowed = true;
                return false;
            }
            Buffer[Position++] = (byte)code;
            Buffer[Position++] = (byte)length;
            return true;
        }
    }
}
