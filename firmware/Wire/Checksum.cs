namespace Router.Wire
{
    /// <summary>
    /// The Internet checksum (RFC 1071) and its incremental update (RFC 1624, equation 3),
    /// which lets NAT rewrite a field without summing the whole packet again.
    /// </summary>
    public static class Checksum
    {
        /// <summary>Adds the 16-bit big-endian words of a byte range to a running 32-bit sum (an odd last byte is padded with zero).</summary>
        public static uint Add(uint sum, byte[] b, int offset, int length)
        {
            int end = offset + length - 1;
            int i = offset;
            // Two words per step; the sum cannot overflow before a frame's worth of bytes has been added.
            for (; i + 2 < end; i += 4)
            {
                sum += (uint)((b[i] << 8) | b[i + 1]) + (uint)((b[i + 2] << 8) | b[i + 3]);
            }
            for (; i < end; i += 2)
            {
                sum += (uint)((b[i] << 8) | b[i + 1]);
            }
            if (i == end)
            {
                sum += (uint)(b[i] << 8);
            }
            return Reduce(sum);
        }

        /// <summary>
        /// True when an IPv4 header's checksum verifies. The common 20-byte header is summed unrolled (it is checked for
        /// every packet); a header with options takes the general loop.
        /// </summary>
        public static bool HeaderValid(byte[] b, int offset, int headerLength)
        {
            if (headerLength != 20) return Compute(b, offset, headerLength) == 0;
            uint sum = (uint)(((b[offset] << 8) | b[offset + 1]) + ((b[offset + 2] << 8) | b[offset + 3])
                + ((b[offset + 4] << 8) | b[offset + 5]) + ((b[offset + 6] << 8) | b[offset + 7])
                + ((b[offset + 8] << 8) | b[offset + 9]) + ((b[offset + 10] << 8) | b[offset + 11])
                + ((b[offset + 12] << 8) | b[offset + 13]) + ((b[offset + 14] << 8) | b[offset + 15])
                + ((b[offset + 16] << 8) | b[offset + 17]) + ((b[offset + 18] << 8) | b[offset + 19]));
            return Fold(sum) == 0xFFFF;
        }

        /// <summary>Folds a running sum to 16 bits and complements it: the value to store in a checksum field.</summary>
        public static ushort Finish(uint sum)
        {
            return (ushort)~Fold(sum);
        }

        public static ushort Compute(byte[] b, int offset, int length)
        {
            return Finish(Add(0, b, offset, length));
        }

        /// <summary>Sum of the IPv4 pseudo-header used by TCP and UDP.</summary>
        public static uint PseudoHeader(uint source, uint destination, int protocol, int length)
        {
            uint sum = (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF);
            sum += (uint)protocol + (uint)length;
            return Reduce(sum);
        }

        /// <summary>
        /// True when the TCP or UDP checksum of the whole segment at <paramref name="offset"/> verifies against the IPv4
        /// pseudo-header (a UDP checksum of zero means none was sent, RFC 768).
        /// </summary>
        public static bool TransportValid(byte[] b, int offset, int length, uint source, uint destination, int protocol)
        {
            if (protocol == IpProtocol.Udp && b[offset + 6] == 0 && b[offset + 7] == 0) return true;
            return Fold(Add(PseudoHeader(source, destination, protocol, length), b, offset, length)) == 0xFFFF;
        }

        /// <summary>Rewrites the checksum at <paramref name="at"/> for one 16-bit field changing from <paramref name="oldValue"/> to <paramref name="newValue"/>.</summary>
        public static void Update16(byte[] b, int at, int oldValue, int newValue)
        {
            uint sum = (uint)(~NetworkOrder.ReadUInt16(b, at) & 0xFFFF);
            sum += (uint)(~oldValue & 0xFFFF);
            sum += (uint)(newValue & 0xFFFF);
            NetworkOrder.WriteUInt16(b, at, (ushort)~Fold(sum));
        }

        /// <summary>Rewrites the checksum at <paramref name="at"/> for one 32-bit field (an address) changing value.</summary>
        public static void Update32(byte[] b, int at, uint oldValue, uint newValue)
        {
            uint sum = (uint)(~NetworkOrder.ReadUInt16(b, at) & 0xFFFF);
            sum += (~oldValue >> 16) + (~oldValue & 0xFFFF);
            sum += (newValue >> 16) + (newValue & 0xFFFF);
            NetworkOrder.WriteUInt16(b, at, (ushort)~Fold(sum));
        }

        /// <summary>Adds a signed difference of one's-complement sums (a precomputed delta) to the checksum at <paramref name="at"/>.</summary>
        public static void UpdateBySum(byte[] b, int at, uint removedSum, uint addedSum)
        {
            uint sum = (uint)(~NetworkOrder.ReadUInt16(b, at) & 0xFFFF);
            sum += (~Fold(removedSum)) & 0xFFFF;
            sum += Fold(addedSum);
            NetworkOrder.WriteUInt16(b, at, (ushort)~Fold(sum));
        }

        /// <summary>
        /// Stores <paramref name="value"/> as a big-endian field of <paramref name="size"/> bytes (2 or 4) at
        /// <paramref name="at"/> and updates the checksum at <paramref name="checksumAt"/>, which covers the region starting
        /// at <paramref name="regionStart"/>. The field may sit at an odd offset in the region (a TCP option): the 16-bit
        /// words it touches are summed before and after (RFC 1624) instead of the field alone.
        /// </summary>
        public static void WriteField(byte[] b, int regionStart, int checksumAt, int at, int size, uint value)
        {
            int start = at - ((at - regionStart) & 1);
            int length = start == at ? size : size + 2;
            uint removed = Add(0, b, start, length);
            if (size == 2) NetworkOrder.WriteUInt16(b, at, (int)value);
            else NetworkOrder.WriteUInt32(b, at, value);
            UpdateBySum(b, checksumAt, removed, Add(0, b, start, length));
        }

        private static uint Reduce(uint sum)
        {
            // Keep the running sum far from overflow without changing its value mod 0xFFFF.
            return (sum & 0xFFFF) + (sum >> 16);
        }

        private static uint Fold(uint sum)
        {
            // Two folds always suffice for a 32-bit sum: the first leaves at most 0x1FFFE, the second at most 0xFFFF.
            sum = (sum & 0xFFFF) + (sum >> 16);
            return (sum & 0xFFFF) + (sum >> 16);
        }
    }
}
