namespace Router.Wire
{
    /// <summary>
    /// Field accessors for an ICMPv4 message (RFC 792) at <c>offset</c> in a buffer: static methods over (buffer, offset),
    /// allocation-free on nanoCLR. Queries carry an identifier; errors embed the offending IP header at byte 8.
    /// </summary>
    public static class IcmpMessage
    {
        public const int HeaderLength = 8;
        public const int ChecksumField = 2;
        public const int IdentifierField = 4;
        public const int TypeEchoReply = 0;
        public const int TypeDestinationUnreachable = 3;
        public const int TypeEchoRequest = 8;
        public const int TypeTimeExceeded = 11;
        public const int TypeParameterProblem = 12;
        public const int CodeFragmentationNeeded = 4;

        /// <summary><paramref name="available"/> bytes hold the 8-byte header.</summary>
        public static HeaderCheck Check(byte[] b, int offset, int available)
        {
            return available < HeaderLength ? HeaderCheck.Truncated : HeaderCheck.Valid;
        }

        public static int Type(byte[] b, int offset) { return b[offset]; }
        public static void SetType(byte[] b, int offset, int value) { b[offset] = (byte)value; }
        public static int Code(byte[] b, int offset) { return b[offset + 1]; }
        public static void SetCode(byte[] b, int offset, int value) { b[offset + 1] = (byte)value; }
        public static int Checksum(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + ChecksumField); }
        public static void SetChecksum(byte[] b, int offset, int value) { NetworkOrder.WriteUInt16(b, offset + ChecksumField, value); }
        public static int Identifier(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + IdentifierField); }
        public static void SetIdentifier(byte[] b, int offset, int value) { NetworkOrder.WriteUInt16(b, offset + IdentifierField, value); }

        public static bool IsQuery(int type) { return type == TypeEchoRequest || type == TypeEchoReply; }

        public static bool IsError(int type)
        {
            return type == TypeDestinationUnreachable || type == TypeTimeExceeded || type == TypeParameterProblem;
        }

        public static void FillChecksum(byte[] b, int offset, int length)
        {
            SetChecksum(b, offset, 0);
            SetChecksum(b, offset, Wire.Checksum.Compute(b, offset, length));
        }
    }
}
