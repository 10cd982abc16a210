namespace Router.Wire
{
    /// <summary>
    /// Field accessors for a UDP header (RFC 768) at <c>offset</c> in a buffer: static methods over (buffer, offset),
    /// allocation-free on nanoCLR. A zero checksum means none was sent.
    /// </summary>
    public static class UdpDatagram
    {
        public const int HeaderLength = 8;
        public const int LengthField = 4;
        public const int ChecksumField = 6;

        /// <summary>
        /// <paramref name="available"/> bytes (the IP payload) hold the header, and its length field covers the header and,
        /// when the IP packet is <paramref name="whole"/> (not a first fragment whose rest travels apart), fits in them.
        /// </summary>
        public static HeaderCheck Check(byte[] b, int offset, int available, bool whole)
        {
            if (available < HeaderLength) return HeaderCheck.Truncated;
            int length = Length(b, offset);
            return length < HeaderLength || (whole && length > available) ? HeaderCheck.BadTotalLength : HeaderCheck.Valid;
        }

        public static int SourcePort(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset); }
        public static void SetSourcePort(byte[] b, int offset, int value) { NetworkOrder.WriteUInt16(b, offset, value); }
        public static int DestinationPort(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + 2); }
        public static void SetDestinationPort(byte[] b, int offset, int value) { NetworkOrder.WriteUInt16(b, offset + 2, value); }
        public static int Length(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + LengthField); }
        public static void SetLength(byte[] b, int offset, int value) { NetworkOrder.WriteUInt16(b, offset + LengthField, value); }
        public static int Checksum(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + ChecksumField); }
        public static void SetChecksum(byte[] b, int offset, int value) { NetworkOrder.WriteUInt16(b, offset + ChecksumField, value); }

        /// <summary>Computes and stores the checksum; a computed zero is sent as 0xFFFF (RFC 768).</summary>
        public static void FillChecksum(byte[] b, int offset, uint source, uint destination)
        {
            int length = Length(b, offset);
            SetChecksum(b, offset, 0);
            uint sum = Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Udp, length);
            int value = Wire.Checksum.Finish(Wire.Checksum.Add(sum, b, offset, length));
            SetChecksum(b, offset, value == 0 ? 0xFFFF : value);
        }
    }
}
