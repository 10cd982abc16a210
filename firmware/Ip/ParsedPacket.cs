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

        public Ipv4Packet Ip { get { return new Ipv4Packet(Buffer, IpOffset); } }
        public bool HasTransport { get { return TransportOffset != NoTransport; } }
        public bool IsIcmpError { get { return Protocol == IpProtocol.Icmp && HasTransport && new IcmpMessage(Buffer, TransportOffset).IsError; } }

        /// <summary>
        /// Validates the IPv4 header of a packet of at most <paramref name="available"/> bytes (RFC 1812 section 5.2.2)
        /// and reads its fields. Returns 0, or the drop counter that names what is wrong.
        /// </summary>
        public int ParseIp(byte[] buffer, int ipOffset, int available)
        {
            Buffer = buffer;
            IpOffset = ipOffset;
            if (available < Ipv4Packet.MinHeaderLength) return Counters.DropIpTotalLength;
            // Fields are read straight from the buffer, each once: this runs for every packet.
            byte[] b = buffer;
            int o = ipOffset;
            if ((b[o] >> 4) != 4) return Counters.DropIpVersion;
            HeaderLength = (b[o] & 0x0F) * 4;
            if (HeaderLength < Ipv4Packet.MinHeaderLength || HeaderLength > available) return Counters.DropIpHeaderLength;
            TotalLength = (b[o + 2] << 8) | b[o + 3];
            if (TotalLength < HeaderLength || TotalLength > available) return Counters.DropIpTotalLength;
            if (!Checksum.HeaderValid(b, o, HeaderLength)) return Counters.DropIpChecksum;

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
            return 0;
        }

        /// <summary>Reads ports (or the ICMP identifier) of the first fragment. Returns 0 or a drop counter.</summary>
        public int ParseTransport()
        {
            if (!HasTransport) return 0;
            switch (Protocol)
            {
                case IpProtocol.Tcp:
                {
                    if (TransportLength < TcpSegment.MinHeaderLength) return Counters.DropTransportTruncated;
                    TcpSegment tcp = new TcpSegment(Buffer, TransportOffset);
                    int headerLength = tcp.HeaderLength;
                    if (headerLength < TcpSegment.MinHeaderLength || headerLength > TransportLength) return Counters.DropTransportTruncated;
                    SourcePort = tcp.SourcePort;
                    DestinationPort = tcp.DestinationPort;
                    TcpFlags = tcp.Flags;
                    return 0;
                }
                case IpProtocol.Udp:
                {
                    if (TransportLength < UdpDatagram.HeaderLength) return Counters.DropTransportTruncated;
                    UdpDatagram udp = new UdpDatagram(Buffer, TransportOffset);
                    int length = udp.Length;
                    if (length < UdpDatagram.HeaderLength || (!IsFragment && length > TransportLength)) return Counters.DropTransportTruncated;
                    SourcePort = udp.SourcePort;
                    DestinationPort = udp.DestinationPort;
                    return 0;
                }
                case IpProtocol.Icmp:
                {
                    if (TransportLength < IcmpMessage.HeaderLength) return Counters.DropTransportTruncated;
                    IcmpMessage icmp = new IcmpMessage(Buffer, TransportOffset);
                    IcmpType = icmp.Type;
                    if (IcmpType == IcmpMessage.TypeEchoRequest) SourcePort = icmp.Identifier;
                    else if (IcmpType == IcmpMessage.TypeEchoReply) DestinationPort = icmp.Identifier;
                    else if (!icmp.IsError) return Counters.DropIcmpUnsupported;
                    return 0;
                }
                default:
                    return Counters.DropNotRoutable;
            }
        }
    }
}
