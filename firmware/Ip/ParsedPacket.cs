using Router.Wire;

namespace Router.Ip
{
    /// <summary>
    /// The packet being processed, parsed once: IPv4 header fields and, when present, the transport tuple.
    /// One instance is reused for every packet, so parsing allocates nothing.
    /// For ICMP queries the identifier stands in for a port: the source port of a request, the destination port of a reply.
    /// </summary>
    public sealed class ParsedPacket
    {
        public const int NoTransport = -1;

        public byte[] Buffer;
        public int IpOffset;
        public int TotalLength;
        public int HeaderLength;
        public int Protocol;
        public uint Source;
        public uint Destination;
        public int Identification;
        public bool IsFragment;
        public bool IsFirstFragment;
        public bool MoreFragments;

        /// <summary>Offset of the transport header, or <see cref="NoTransport"/> for a non-first fragment.</summary>
        public int TransportOffset;
        public int TransportLength;
        public int SourcePort;
        public int DestinationPort;
        public int TcpFlags;
        public int IcmpType;

        public bool HasTransport { get { return TransportOffset != NoTransport; } }
        public bool IsIcmpError { get { return Protocol == IpProtocol.Icmp && HasTransport && IcmpMessage.IsError(IcmpMessage.Type(Buffer, TransportOffset)); } }

        /// <summary>
        /// Validates the IPv4 header of a packet of at most <paramref name="available"/> bytes (RFC 1812 section 5.2.2)
        /// and reads its fields. Returns <see cref="Verdict.Accept"/>, or the drop counter that names what is wrong.
        /// </summary>
        public int ParseIp(byte[] buffer, int ipOffset, int available)
        {
            Buffer = buffer;
            IpOffset = ipOffset;
            switch (Ipv4Packet.Check(buffer, ipOffset, available))
            {
                case HeaderCheck.Valid: break;
                case HeaderCheck.BadVersion: return Counters.DropIpVersion;
                case HeaderCheck.BadHeaderLength: return Counters.DropIpHeaderLength;
                case HeaderCheck.BadChecksum: return Counters.DropIpChecksum;
                default: return Counters.DropIpTotalLength;
            }
            // Fields are read straight from the buffer, each once: this runs for every packet.
            byte[] b = buffer;
            int o = ipOffset;
            HeaderLength = (b[o] & 0x0F) * 4;
            TotalLength = (b[o + 2] << 8) | b[o + 3];
            Protocol = b[o + 9];
            Source = NetworkOrder.ReadUInt32(b, o + 12);
            Destination = NetworkOrder.ReadUInt32(b, o + 16);
            Identification = (b[o + 4] << 8) | b[o + 5];
            int flags = (b[o + 6] << 8) | b[o + 7];
            int fragmentOffset = flags & Ipv4Packet.FragmentOffsetMask;
            IsFragment = (flags & (Ipv4Packet.FlagMoreFragments | Ipv4Packet.FragmentOffsetMask)) != 0;
            MoreFragments = (flags & Ipv4Packet.FlagMoreFragments) != 0;
            IsFirstFragment = IsFragment && fragmentOffset == 0;
            TransportOffset = fragmentOffset == 0 ? ipOffset + HeaderLength : NoTransport;
            TransportLength = TotalLength - HeaderLength;
            SourcePort = 0;
            DestinationPort = 0;
            TcpFlags = 0;
            IcmpType = -1;
            return Verdict.Accept;
        }

        /// <summary>Reads ports (or the ICMP identifier) of the first fragment. Returns <see cref="Verdict.Accept"/> or a drop counter.</summary>
        public int ParseTransport()
        {
            if (!HasTransport) return Verdict.Accept;
            byte[] b = Buffer;
            int t = TransportOffset;
            switch (Protocol)
            {
                case IpProtocol.Tcp:
                    if (TcpSegment.Check(b, t, TransportLength) != HeaderCheck.Valid) return Counters.DropTransportTruncated;
                    SourcePort = TcpSegment.SourcePort(b, t);
                    DestinationPort = TcpSegment.DestinationPort(b, t);
                    TcpFlags = TcpSegment.Flags(b, t);
                    return Verdict.Accept;
                case IpProtocol.Udp:
                    if (UdpDatagram.Check(b, t, TransportLength, !IsFragment) != HeaderCheck.Valid) return Counters.DropTransportTruncated;
                    SourcePort = UdpDatagram.SourcePort(b, t);
                    DestinationPort = UdpDatagram.DestinationPort(b, t);
                    return Verdict.Accept;
                case IpProtocol.Icmp:
                    if (IcmpMessage.Check(b, t, TransportLength) != HeaderCheck.Valid) return Counters.DropTransportTruncated;
                    IcmpType = IcmpMessage.Type(b, t);
                    if (IcmpType == IcmpMessage.TypeEchoRequest) SourcePort = IcmpMessage.Identifier(b, t);
                    else if (IcmpType == IcmpMessage.TypeEchoReply) DestinationPort = IcmpMessage.Identifier(b, t);
                    else if (!IcmpMessage.IsError(IcmpType)) return Counters.DropIcmpUnsupported;
                    return Verdict.Accept;
                default:
                    return Counters.DropNotRoutable;
            }
        }
    }
}
