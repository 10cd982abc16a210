namespace Router.Wire
{
    /// <summary>A view of a TCP header (RFC 9293) inside a buffer. The checksum is the caller's to keep valid.</summary>
    public struct TcpSegment
    {
        public const int MinHeaderLength = 20;
        public const int ChecksumField = 16;
        public const int Fin = 0x01;
        public const int Syn = 0x02;
        public const int Rst = 0x04;
        public const int Psh = 0x08;
        public const int Ack = 0x10;
        public const int OptionEnd = 0;
        public const int OptionNop = 1;
        public const int OptionMss = 2;
        public const int OptionSack = 5;

        public readonly byte[] Buffer;
        public readonly int Offset;

        public TcpSegment(byte[] buffer, int offset)
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

        public uint SequenceNumber
        {
            get { return NetworkOrder.ReadUInt32(Buffer, Offset + 4); }
            set { NetworkOrder.WriteUInt32(Buffer, Offset + 4, value); }
        }

        public uint AcknowledgmentNumber
        {
            get { return NetworkOrder.ReadUInt32(Buffer, Offset + 8); }
            set { NetworkOrder.WriteUInt32(Buffer, Offset + 8, value); }
        }

        public int HeaderLength { get { return (Buffer[Offset + 12] >> 4) * 4; } }
        public int Flags { get { return Buffer[Offset + 13] & 0x3F; } }
        public bool HasFlag(int flag) { return (Buffer[Offset + 13] & flag) != 0; }
        public int Window { get { return NetworkOrder.ReadUInt16(Buffer, Offset + 14); } }

        public int Checksum
        {
            get { return NetworkOrder.ReadUInt16(Buffer, Offset + 16); }
            set { NetworkOrder.WriteUInt16(Buffer, Offset + 16, value); }
        }

        public int ChecksumOffset { get { return Offset + ChecksumField; } }
        public int OptionsOffset { get { return Offset + MinHeaderLength; } }
        public int PayloadOffset { get { return Offset + HeaderLength; } }

        /// <summary>Computes and stores the checksum over pseudo-header, header and payload of <paramref name="segmentLength"/> bytes.</summary>
        public void FillChecksum(uint source, uint destination, int segmentLength)
        {
            Checksum = 0;
            uint sum = Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, segmentLength);
            Checksum = Wire.Checksum.Finish(Wire.Checksum.Add(sum, Buffer, Offset, segmentLength));
        }
    }
}
