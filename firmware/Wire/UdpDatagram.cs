namespace Router.Wire
{
    /// <summary>A view of a UDP header (RFC 768) inside a buffer. A zero checksum means none was sent.</summary>
    public struct UdpDatagram
    {
        public const int HeaderLength = 8;
        public const int ChecksumField = 6;

        public readonly byte[] Buffer;
        public readonly int Offset;

        public UdpDatagram(byte[] buffer, int offset)
        {
            Buffer = buffer;
            Offset = offset;
        }

        public int SourcePort
        {
            get { return NetworkOrder.ReadUInt16(Buffer, Offset); }
            set { NetworkOrder.WriteUInt16(Buffer, Offset, value); }
        }

        public int DestinationPort
        {
            get { return NetworkOrder.ReadUInt16(Buffer, Offset + 2); }
            set { NetworkOrder.WriteUInt16(Buffer, Offset + 2, value); }
        }

        public int Length
        {
            get { return NetworkOrder.ReadUInt16(Buffer, Offset + 4); }
            set { NetworkOrder.WriteUInt16(Buffer, Offset + 4, value); }
        }

        public int Checksum
        {
            get { return NetworkOrder.ReadUInt16(Buffer, Offset + 6); }
            set { NetworkOrder.WriteUInt16(Buffer, Offset + 6, value); }
        }

        public int ChecksumOffset { get { return Offset + ChecksumField; } }
        public int PayloadOffset { get { return Offset + HeaderLength; } }

        /// <summary>Computes and stores the checksum; a computed zero is sent as 0xFFFF (RFC 768).</summary>
        public void FillChecksum(uint source, uint destination)
        {
            int length = Length;
            Checksum = 0;
            uint sum = Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Udp, length);
            int value = Wire.Checksum.Finish(Wire.Checksum.Add(sum, Buffer, Offset, length));
            Checksum = value == 0 ? 0xFFFF : value;
        }
    }
}
