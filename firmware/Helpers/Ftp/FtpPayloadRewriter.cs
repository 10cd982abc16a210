using Router.Ip;
using Router.Wire;

namespace Router.Helpers.Ftp
{
    /// <summary>
    /// Changes a TCP payload in place: replaces a range with new text (longer, shorter, or empty to cut, empty range to
    /// insert), moving the rest of the packet, and keeps the IP total length and header checksum right. The TCP checksum
    /// is refreshed once per packet by <see cref="FinishChecksum"/> after all changes.
    /// </summary>
    public static class FtpPayloadRewriter
    {
        /// <summary>
        /// Replaces <paramref name="oldLength"/> bytes at <paramref name="at"/> with <paramref name="textLength"/> bytes of
        /// <paramref name="text"/>. Refuses (returns false, packet untouched) when the IP packet would exceed
        /// <paramref name="maxTotalLength"/> or the buffer.
        /// </summary>
        public static bool Replace(ParsedPacket p, int at, int oldLength, byte[] text, int textOffset, int textLength, int maxTotalLength)
        {
            int delta = textLength - oldLength;
            int newTotal = p.TotalLength + delta;
            if (newTotal > maxTotalLength || p.IpOffset + newTotal > p.Buffer.Length) return false;
            byte[] b = p.Buffer;
            int packetEnd = p.IpOffset + p.TotalLength;
            if (delta != 0) System.Array.Copy(b, at + oldLength, b, at + textLength, packetEnd - at - oldLength);
            if (textLength > 0) System.Array.Copy(text, textOffset, b, at, textLength);
            if (delta != 0)
            {
                Ipv4Packet.SetTotalLength(b, p.IpOffset, newTotal);
                p.TotalLength = newTotal;
                p.TransportLength += delta;
            }
            return true;
        }

        /// <summary>Recomputes the TCP checksum over the changed segment.</summary>
        public static void FinishChecksum(ParsedPacket p)
        {
            TcpSegment.FillChecksum(p.Buffer, p.TransportOffset, p.Source, p.Destination, p.TransportLength);
        }

        /// <summary>Writes <c>h1,h2,h3,h4,p1,p2</c> (PORT and 227). Returns the number of bytes written.</summary>
        public static int WriteHostPort(byte[] b, int at, uint address, int port)
        {
            int i = at;
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                i = WriteDecimal(b, i, (int)((address >> shift) & 0xFF));
                b[i++] = (byte)',';
            }
            i = WriteDecimal(b, i, port >> 8);
            b[i++] = (byte)',';
            i = WriteDecimal(b, i, port & 0xFF);
            return i - at;
        }

        /// <summary>Writes <c>a.b.c.d|port</c> with the EPRT line's own delimiter. Returns the number of bytes written.</summary>
        public static int WriteEprtHostPort(byte[] b, int at, uint address, byte delimiter, int port)
        {
            int i = at;
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                i = WriteDecimal(b, i, (int)((address >> shift) & 0xFF));
                b[i++] = shift > 0 ? (byte)'.' : delimiter;
            }
            i = WriteDecimal(b, i, port);
            return i - at;
        }

        private static int WriteDecimal(byte[] b, int i, int value)
        {
            int divisor = 1;
            while (divisor * 10 <= value) divisor *= 10;
            for (; divisor > 0; divisor /= 10) b[i++] = (byte)('0' + value / divisor % 10);
            return i;
        }
    }
}
