namespace Router.Wire
{
    /// <summary>A view of an IPv4 header (RFC 791) and its payload inside a buffer. Setters keep the header checksum valid.</summary>
    public struct Ipv4Packet
    {
        public const int MinHeaderLength = 20;
        public const int FlagDontFragment = 0x4000;
        public const int FlagMoreFragments = 0x2000;
        public const int FragmentOffsetMask = 0x1FFF;

        public readonly byte[] Buffer;
        public readonly int Offset;

        public Ipv4Packet(byte[] buffer, int offset)
        {
            Buffer = buffer;
            Offset = offset;
        }

        public int Version { get { return Buffer[Offset] >> 4; } }
        public int HeaderLength { get { return (Buffer[Offset] & 0x0F) * 4; } }
        public int TotalLength { get { return NetworkOrder.ReadUInt16(Buffer, Offset + 2); } }
        public int Identification { get { return NetworkOrder.ReadUInt16(Buffer, Offset + 4); } }
        public int FlagsAndFragmentOffset { get { return NetworkOrder.ReadUInt16(Buffer, Offset + 6); } }
        public bool DontFragment { get { return (FlagsAndFragmentOffset & FlagDontFragment) != 0; } }
        public bool MoreFragments { get { return (FlagsAndFragmentOffset & FlagMoreFragments) != 0; } }
        /// <summary>Fragment offset in bytes.</summary>
        public int FragmentOffset { get { return (FlagsAndFragmentOffset & FragmentOffsetMask) * 8; } }
        public bool IsFragment { get { return (FlagsAndFragmentOffset & (FlagMoreFragments | FragmentOffsetMask)) != 0; } }
        public int Ttl { get { return Buffer[Offset + 8]; } }
        public int Protocol { get { return Buffer[Offset + 9]; } }
        public int HeaderChecksum { get { return NetworkOrder.ReadUInt16(Buffer, Offset + 10); } }
        public uint Source { get { return NetworkOrder.ReadUInt32(Buffer, Offset + 12); } }
        public uint Destination { get { return NetworkOrder.ReadUInt32(Buffer, Offset + 16); } }
        public int PayloadOffset { get { return Offset + HeaderLength; } }
        public int PayloadLength { get { return TotalLength - HeaderLength; } }
        public int ChecksumOffset { get { return Offset + 10; } }

        public bool HeaderChecksumValid
        {
            get { return Checksum.Compute(Buffer, Offset, HeaderLength) == 0; }
        }

        /// <summary>Writes a 20-byte header without options and its checksum.</summary>
        public void WriteHeader(int totalLength, int identification, int ttl, int protocol, uint source, uint destination)
        {
            Buffer[Offset] = 0x45;
            Buffer[Offset + 1] = 0;
            NetworkOrder.WriteUInt16(Buffer, Offset + 2, totalLength);
            NetworkOrder.WriteUInt16(Buffer, Offset + 4, identification);
            NetworkOrder.WriteUInt16(Buffer, Offset + 6, 0);
            Buffer[Offset + 8] = (byte)ttl;
            Buffer[Offset + 9] = (byte)protocol;
            NetworkOrder.WriteUInt32(Buffer, Offset + 12, source);
            NetworkOrder.WriteUInt32(Buffer, Offset + 16, destination);
            FillChecksum();
        }

        public void FillChecksum()
        {
            NetworkOrder.WriteUInt16(Buffer, Offset + 10, 0);
            NetworkOrder.WriteUInt16(Buffer, Offset + 10, Checksum.Compute(Buffer, Offset, HeaderLength));
        }

        /// <summary>Decrements TTL, updating the checksum incrementally (RFC 1624).</summary>
        public void DecrementTtl()
        {
            int oldWord = NetworkOrder.ReadUInt16(Buffer, Offset + 8);
            Buffer[Offset + 8]--;
            Checksum.Update16(Buffer, Offset + 10, oldWord, NetworkOrder.ReadUInt16(Buffer, Offset + 8));
        }

        public void SetSource(uint value)
        {
            Checksum.Update32(Buffer, Offset + 10, Source, value);
            NetworkOrder.WriteUInt32(Buffer, Offset + 12, value);
        }

        public void SetDestination(uint value)
        {
            Checksum.Update32(Buffer, Offset + 10, Destination, value);
            NetworkOrder.WriteUInt32(Buffer, Offset + 16, value);
        }

        public void SetTotalLength(int value)
        {
            Checksum.Update16(Buffer, Offset + 10, TotalLength, value);
            NetworkOrder.WriteUInt16(Buffer, Offset + 2, value);
        }
    }
}
