namespace Router.Wire
{
    /// <summary>
    /// Field accessors for an IPv4 header (RFC 791) at <c>offset</c> in a buffer: static methods over (buffer, offset),
    /// allocation-free on nanoCLR. Setters keep the header checksum valid.
    /// </summary>
    public static class Ipv4Packet
    {
        public const int MinHeaderLength = 20;
        public const int FlagDontFragment = 0x4000;
        public const int FlagMoreFragments = 0x2000;
        public const int FragmentOffsetMask = 0x1FFF;
        public const int TtlField = 8;
        public const int ChecksumField = 10;

        /// <summary>
        /// Validates a packet of at most <paramref name="available"/> bytes (RFC 1812 section 5.2.2): the header fits,
        /// the total length covers the header and fits, and the header checksum verifies.
        /// </summary>
        public static HeaderCheck Check(byte[] b, int offset, int available)
        {
            HeaderCheck header = CheckHeader(b, offset, available);
            if (header != HeaderCheck.Valid) return header;
            int headerLength = HeaderLength(b, offset);
            int totalLength = TotalLength(b, offset);
            if (totalLength < headerLength || totalLength > available) return HeaderCheck.BadTotalLength;
            return Checksum.HeaderValid(b, offset, headerLength) ? HeaderCheck.Valid : HeaderCheck.BadChecksum;
        }

        /// <summary>
        /// Only the version and the header length against <paramref name="available"/>: for a header quoted inside an
        /// ICMP error, whose total length and checksum describe a packet that is not all there.
        /// </summary>
        public static HeaderCheck CheckHeader(byte[] b, int offset, int available)
        {
            if (available < MinHeaderLength) return HeaderCheck.Truncated;
            if (Version(b, offset) != 4) return HeaderCheck.BadVersion;
            int headerLength = HeaderLength(b, offset);
            return headerLength < MinHeaderLength || headerLength > available ? HeaderCheck.BadHeaderLength : HeaderCheck.Valid;
        }

        public static int Version(byte[] b, int offset) { return b[offset] >> 4; }
        public static int HeaderLength(byte[] b, int offset) { return (b[offset] & 0x0F) * 4; }
        public static int TotalLength(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + 2); }
        public static int Identification(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + 4); }
        public static int FlagsAndFragmentOffset(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + 6); }
        public static bool DontFragment(byte[] b, int offset) { return (FlagsAndFragmentOffset(b, offset) & FlagDontFragment) != 0; }
        public static bool MoreFragments(byte[] b, int offset) { return (FlagsAndFragmentOffset(b, offset) & FlagMoreFragments) != 0; }
        /// <summary>Fragment offset in bytes.</summary>
        public static int FragmentOffset(byte[] b, int offset) { return (FlagsAndFragmentOffset(b, offset) & FragmentOffsetMask) * 8; }
        public static bool IsFragment(byte[] b, int offset) { return (FlagsAndFragmentOffset(b, offset) & (FlagMoreFragments | FragmentOffsetMask)) != 0; }
        public static int Ttl(byte[] b, int offset) { return b[offset + TtlField]; }
        public static int Protocol(byte[] b, int offset) { return b[offset + 9]; }
        public static int HeaderChecksum(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + ChecksumField); }
        public static uint Source(byte[] b, int offset) { return NetworkOrder.ReadUInt32(b, offset + 12); }
        public static uint Destination(byte[] b, int offset) { return NetworkOrder.ReadUInt32(b, offset + 16); }
        public static int PayloadOffset(byte[] b, int offset) { return offset + HeaderLength(b, offset); }
        public static int PayloadLength(byte[] b, int offset) { return TotalLength(b, offset) - HeaderLength(b, offset); }

        public static bool HeaderChecksumValid(byte[] b, int offset)
        {
            return Checksum.Compute(b, offset, HeaderLength(b, offset)) == 0;
        }

        /// <summary>Writes a 20-byte header without options and its checksum.</summary>
        public static void WriteHeader(byte[] b, int offset, int totalLength, int identification, int ttl, int protocol, uint source, uint destination)
        {
            b[offset] = 0x45;
            b[offset + 1] = 0;
            NetworkOrder.WriteUInt16(b, offset + 2, totalLength);
            NetworkOrder.WriteUInt16(b, offset + 4, identification);
            NetworkOrder.WriteUInt16(b, offset + 6, 0);
            b[offset + TtlField] = (byte)ttl;
            b[offset + 9] = (byte)protocol;
            NetworkOrder.WriteUInt32(b, offset + 12, source);
            NetworkOrder.WriteUInt32(b, offset + 16, destination);
            FillChecksum(b, offset);
        }

        public static void FillChecksum(byte[] b, int offset)
        {
            NetworkOrder.WriteUInt16(b, offset + ChecksumField, 0);
            NetworkOrder.WriteUInt16(b, offset + ChecksumField, Checksum.Compute(b, offset, HeaderLength(b, offset)));
        }

        /// <summary>Decrements TTL, updating the checksum incrementally (RFC 1624).</summary>
        public static void DecrementTtl(byte[] b, int offset)
        {
            int oldWord = NetworkOrder.ReadUInt16(b, offset + TtlField);
            b[offset + TtlField]--;
            Checksum.Update16(b, offset + ChecksumField, oldWord, NetworkOrder.ReadUInt16(b, offset + TtlField));
        }

        public static void SetSource(byte[] b, int offset, uint value)
        {
            Checksum.Update32(b, offset + ChecksumField, Source(b, offset), value);
            NetworkOrder.WriteUInt32(b, offset + 12, value);
        }

        public static void SetDestination(byte[] b, int offset, uint value)
        {
            Checksum.Update32(b, offset + ChecksumField, Destination(b, offset), value);
            NetworkOrder.WriteUInt32(b, offset + 16, value);
        }

        public static void SetTotalLength(byte[] b, int offset, int value)
        {
            Checksum.Update16(b, offset + ChecksumField, TotalLength(b, offset), value);
            NetworkOrder.WriteUInt16(b, offset + 2, value);
        }
    }
}
