using Router.Wire;

namespace Router.Ip
{
    /// <summary>Lowers the MSS option of a SYN so segments fit the WAN MTU (the classic PPPoE/tunnel fix).</summary>
    public static class MssClamp
    {
        /// <summary>Returns true when the MSS option was lowered to <paramref name="maxMss"/>; the TCP checksum is kept valid.</summary>
        public static bool Apply(byte[] b, int tcpOffset, int maxMss)
        {
            TcpSegment tcp = new TcpSegment(b, tcpOffset);
            int end = tcpOffset + tcp.HeaderLength;
            int i = tcp.OptionsOffset;
            while (i < end)
            {
                int kind = b[i];
                if (kind == TcpSegment.OptionEnd) return false;
                if (kind == TcpSegment.OptionNop)
                {
                    i++;
                    continue;
                }
                if (i + 1 >= end) return false;
                int length = b[i + 1];
                if (length < 2 || i + length > end) return false;
                if (kind == TcpSegment.OptionMss && length == 4)
                {
                    int mss = NetworkOrder.ReadUInt16(b, i + 2);
                    if (mss <= maxMss) return false;
                    NetworkOrder.WriteUInt16(b, i + 2, maxMss);
                    // The option sits at an even or odd offset; update the checksum word(s) that cover it.
                    UpdateChecksumForBytes(b, tcpOffset, i + 2, mss, maxMss);
                    return true;
                }
                i += length;
            }
            return false;
        }

        private static void UpdateChecksumForBytes(byte[] b, int tcpOffset, int at, int oldValue, int newValue)
        {
            int checksumAt = tcpOffset + TcpSegment.ChecksumField;
            if (((at - tcpOffset) & 1) == 0)
            {
                Checksum.Update16(b, checksumAt, oldValue, newValue);
                return;
            }
            // Misaligned: the value straddles two checksum words; shift each byte into its word position.
            Checksum.Update16(b, checksumAt, (b[at - 1] << 8) | (oldValue >> 8), (b[at - 1] << 8) | (newValue >> 8));
            Checksum.Update16(b, checksumAt, ((oldValue & 0xFF) << 8) | b[at + 2], ((newValue & 0xFF) << 8) | b[at + 2]);
        }
    }
}
