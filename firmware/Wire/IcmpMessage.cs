namespace Router.Wire
{
    /// <summary>A view of an ICMPv4 message (RFC 792). Queries carry an identifier; errors embed the offending IP header at byte 8.</summary>
    public struct IcmpMessage
    {
        public const int HeaderLength = 8;
        public const int TypeEchoReply = 0;
        public const int TypeDestinationUnreachable = 3;
        public const int TypeEchoRequest = 8;
        public const int TypeTimeExceeded = 11;
        public const int TypeParameterProblem = 12;
        public const int CodeFragmentationNeeded = 4;

        public readonly byte[] Buffer;
        public readonly int Offset;

        public IcmpMessage(byte[] buffer, int offset)
        {
            Buffer = buffer;
            Offset = offset;
        }

        public int Type
        {
            get { return Buffer[Offset]; }
            set { Buffer[Offset] = (byte)value; }
        }

        public int Code
        {
            get { return Buffer[Offset + 1]; }
            set { Buffer[Offset + 1] = (byte)value; }
        }

        public int Checksum
        {
            get { return NetworkOrder.ReadUInt16(Buffer, Offset + 2); }
            set { NetworkOrder.WriteUInt16(Buffer, Offset + 2, value); }
        }

        public int Identifier
        {
            get { return NetworkOrder.ReadUInt16(Buffer, Offset + 4); }
            set { NetworkOrder.WriteUInt16(Buffer, Offset + 4, value); }
        }

        public int ChecksumOffset { get { return Offset + 2; } }
        public int IdentifierOffset { get { return Offset + 4; } }
        public int EmbeddedOffset { get { return Offset + HeaderLength; } }

        public bool IsQuery { get { return Type == TypeEchoRequest || Type == TypeEchoReply; } }

        public bool IsError
        {
            get { return Type == TypeDestinationUnreachable || Type == TypeTimeExceeded || Type == TypeParameterProblem; }
        }

        public void FillChecksum(int length)
        {
            Checksum = 0;
            Checksum = Wire.Checksum.Compute(Buffer, Offset, length);
        }
    }
}
