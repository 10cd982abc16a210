using Router.Ip;
using Router.Wire;

namespace Router.Nat
{
    /// <summary>
    /// Rewrites a packet's addresses and ports (or ICMP identifier) in place, keeping the IPv4 header checksum and the
    /// transport checksum valid by incremental update (RFC 1624) instead of summing the payload again.
    /// </summary>
    public static class PacketTranslator
    {
        public static void Rewrite(ParsedPacket p, uint source, uint destination, int sourcePort, int destinationPort)
        {
            byte[] b = p.Buffer;
            int checksumAt = TransportChecksumOffset(p);
            bool pseudoHeader = p.Protocol != IpProtocol.Icmp;

            if (source != p.Source)
            {
                Ipv4Packet.SetSource(b, p.IpOffset, source);
                if (checksumAt >= 0 && pseudoHeader) Checksum.Update32(b, checksumAt, p.Source, source);
                p.Source = source;
            }
            if (destination != p.Destination)
            {
                Ipv4Packet.SetDestination(b, p.IpOffset, destination);
                if (checksumAt >= 0 && pseudoHeader) Checksum.Update32(b, checksumAt, p.Destination, destination);
                p.Destination = destination;
            }
            if (!p.HasTransport) return;

            if (p.Protocol == IpProtocol.Icmp)
            {
                // The identifier is the request's source "port" and the reply's destination "port".
                int identifier = p.IcmpType == IcmpMessage.TypeEchoRequest ? sourcePort : destinationPort;
                int old = IcmpMessage.Identifier(b, p.TransportOffset);
                if (identifier != old)
                {
                    IcmpMessage.SetIdentifier(b, p.TransportOffset, identifier);
                    Checksum.Update16(b, checksumAt, old, identifier);
                }
            }
            else
            {
                if (sourcePort != p.SourcePort)
                {
                    NetworkOrder.WriteUInt16(b, p.TransportOffset, sourcePort);
                    if (checksumAt >= 0) Checksum.Update16(b, checksumAt, p.SourcePort, sourcePort);
                }
                if (destinationPort != p.DestinationPort)
                {
                    NetworkOrder.WriteUInt16(b, p.TransportOffset + 2, destinationPort);
                    if (checksumAt >= 0) Checksum.Update16(b, checksumAt, p.DestinationPort, destinationPort);
                }
                if (p.Protocol == IpProtocol.Udp && checksumAt >= 0 && NetworkOrder.ReadUInt16(b, checksumAt) == 0)
                {
                    NetworkOrder.WriteUInt16(b, checksumAt, 0xFFFF); // zero means "no checksum" in UDP
                }
            }
            p.SourcePort = sourcePort;
            p.DestinationPort = destinationPort;
        }

        /// <summary>Where the transport checksum lives, or -1 when there is none to maintain.</summary>
        private static int TransportChecksumOffset(ParsedPacket p)
        {
            if (!p.HasTransport) return -1;
            switch (p.Protocol)
            {
                case IpProtocol.Tcp: return p.TransportOffset + TcpSegment.ChecksumField;
                case IpProtocol.Udp:
                    return NetworkOrder.ReadUInt16(p.Buffer, p.TransportOffset + UdpDatagram.ChecksumField) == 0 ? -1 : p.TransportOffset + UdpDatagram.ChecksumField;
                default: return p.TransportOffset + IcmpMessage.ChecksumField;
            }
        }
    }
}
