namespace Router.Wire
{
    /// <summary>
    /// Field accessors for a TCP header (RFC 9293) at <c>offset</c> in a buffer: static methods over (buffer, offset),
    /// allocation-free on nanoCLR. The checksum is the caller's to keep valid. Options: <see cref="TcpOptions"/>.
    /// </summary>
    public static class TcpSegment
    {
        public const int MinHeaderLength = 20;
        public const int ChecksumField = 16;
        public const int Fin = 0x01;
        public const int Syn = 0x02;
        public const int Rst = 0x04;
        public const int Psh = 0x08;
        public const int Ack = 0x10;

        /// <summary>
        /// <paramref name="available"/> bytes (the IP payload) hold the fixed header and the header length it states.
        /// </summary>
        public static HeaderCheck Check(byte[] b, int offset, int available)
        {
            if (available < MinHeaderLength) return HeaderCheck.Truncated;
            int headerLength = HeaderLength(b, offset);
            return headerLength < MinHeaderLength || headerLength > available ? HeaderCheck.BadHeaderLength : HeaderCheck.Valid;
        }

        public static int SourcePort(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset); }
        public static void SetSourcePort(byte[] b, int offset, int value) { NetworkOrder.WriteUInt16(b, offset, value); }
        public static int DestinationPort(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + 2); }
        public static void SetDestinationPort(byte[] b, int offset, int value) { NetworkOrder.WriteUInt16(b, offset + 2, value); }
        public static uint SequenceNumber(byte[] b, int offset) { return NetworkOrder.ReadUInt32(b, offset + 4); }
        public static void SetSequenceNumber(byte[] b, int offset, uint value) { NetworkOrder.WriteUInt32(b, offset + 4, value); }
        public static uint AcknowledgmentNumber(byte[] b, int offset) { return NetworkOrder.ReadUInt32(b, offset + 8); }
        public static void SetAcknowledgmentNumber(byte[] b, int offset, uint value) { NetworkOrder.WriteUInt32(b, offset + 8, value); }
        public static int HeaderLength(byte[] b, int offset) { return (b[offset + 12] >> 4) * 4; }
        public static int Flags(byte[] b, int offset) { return b[offset + 13] & 0x3F; }
        public static bool HasFlag(byte[] b, int offset, int flag) { return (b[offset + 13] & flag) != 0; }
        public static int Window(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + 14); }
        public static int Checksum(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + ChecksumField); }
        public static void SetChecksum(byte[] b, int offset, int value) { NetworkOrder.WriteUInt16(b, offset + ChecksumField, value); }
        public static int PayloadOffset(byte[] b, int offset) { return offset + HeaderLength(b, offset); }

        /// <summary>Computes and stores the checksum over pseudo-header, header and payload of <paramref name="segmentLength"/> bytes.</summary>
        public static void FillChecksum(byte[] b, int offset, uint source, uint destination, int segmentLength)
        {
            SetChecksum(b, offset, 0);
            uint sum = Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, segmentLength);
            SetChecksum(b, offset, Wire.Checksum.Finish(Wire.Checksum.Add(sum, b, offset, segmentLength)));
        }
    }
}
