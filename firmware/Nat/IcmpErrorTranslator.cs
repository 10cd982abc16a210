using Router.Conntrack;
using Router.Ip;
using Router.Wire;

namespace Router.Nat
{
    /// <summary>
    /// Matches an ICMP error (unreachable, fragmentation needed, time exceeded, parameter problem) to the connection of
    /// the packet it quotes, and translates it as RFC 5508 asks: the quoted header back to its form before NAT, the
    /// outer header like a packet of that connection, with every checksum fixed.
    /// </summary>
    public static class IcmpErrorTranslator
    {
        /// <summary>Returns <see cref="Verdict.Accept"/> when translated, or the drop counter.</summary>
        public static int Translate(ParsedPacket p, ConnectionTable connections)
        {
            if (p.IsFragment) return Counters.DropIcmpErrorUnmatched;
            byte[] b = p.Buffer;
            int icmpOffset = p.TransportOffset;
            int inner = icmpOffset + IcmpMessage.HeaderLength;
            int available = p.TransportLength - IcmpMessage.HeaderLength;
            // The quote holds the header and at least 8 bytes of its payload (RFC 792): the ports or the ICMP identifier.
            if (Ipv4Packet.CheckHeader(b, inner, available - 8) != HeaderCheck.Valid) return Counters.DropTransportTruncated;
            int headerLength = Ipv4Packet.HeaderLength(b, inner);

            int protocol = Ipv4Packet.Protocol(b, inner);
            int l4 = inner + headerLength;
            int sourcePort, destinationPort;
            if (protocol == IpProtocol.Tcp || protocol == IpProtocol.Udp)
            {
                sourcePort = NetworkOrder.ReadUInt16(b, l4);
                destinationPort = NetworkOrder.ReadUInt16(b, l4 + 2);
            }
            else if (protocol == IpProtocol.Icmp && b[l4] == IcmpMessage.TypeEchoRequest)
            {
                sourcePort = NetworkOrder.ReadUInt16(b, l4 + 4);
                destinationPort = 0;
            }
            else if (protocol == IpProtocol.Icmp && b[l4] == IcmpMessage.TypeEchoReply)
            {
                sourcePort = 0;
                destinationPort = NetworkOrder.ReadUInt16(b, l4 + 4);
            }
            else
            {
                return Counters.DropIcmpErrorUnmatched;
            }

            // The quoted packet left us translated; the error travels the opposite way, like the inverse tuple.
            uint quotedSource = Ipv4Packet.Source(b, inner), quotedDestination = Ipv4Packet.Destination(b, inner);
            int node = connections.Find(protocol, quotedDestination, quotedSource, destinationPort, sourcePort);
            if (node < 0) return Counters.DropIcmpErrorUnmatched;
            int before = node ^ 1; // the quoted packet's tuple as its sender sent it

            uint newSource = connections.SourceAddress(before), newDestination = connections.DestinationAddress(before);
            int newSourcePort = connections.SourcePort(before), newDestinationPort = connections.DestinationPort(before);

            int l4Checksum = QuotedChecksumOffset(b, protocol, l4, inner + available);
            bool pseudoHeader = protocol != IpProtocol.Icmp;
            if (newSource != quotedSource)
            {
                Ipv4Packet.SetSource(b, inner, newSource);
                if (l4Checksum >= 0 && pseudoHeader) Checksum.Update32(b, l4Checksum, quotedSource, newSource);
            }
            if (newDestination != quotedDestination)
            {
                Ipv4Packet.SetDestination(b, inner, newDestination);
                if (l4Checksum >= 0 && pseudoHeader) Checksum.Update32(b, l4Checksum, quotedDestination, newDestination);
            }
            if (protocol == IpProtocol.Icmp)
            {
                int id = b[l4] == IcmpMessage.TypeEchoRequest ? newSourcePort : newDestinationPort;
                RewriteWord(b, l4 + 4, id, l4Checksum);
            }
            else
            {
                RewriteWord(b, l4, newSourcePort, l4Checksum);
                RewriteWord(b, l4 + 2, newDestinationPort, l4Checksum);
            }

            // Outer header: the error is addressed to the translated sender; send it to the real one.
            int outer = p.IpOffset;
            if (p.Destination == connections.DestinationAddress(node)) Ipv4Packet.SetDestination(b, outer, newSource);
            if (p.Source == connections.SourceAddress(node)) Ipv4Packet.SetSource(b, outer, newDestination);
            p.Source = Ipv4Packet.Source(b, outer);
            p.Destination = Ipv4Packet.Destination(b, outer);
            IcmpMessage.FillChecksum(b, icmpOffset, p.TransportLength);
            return Verdict.Accept;
        }

        /// <summary>Where the quoted transport checksum is, if the quote is long enough to hold it and it is in use; else -1.</summary>
        private static int QuotedChecksumOffset(byte[] b, int protocol, int l4, int end)
        {
            int at;
            if (protocol == IpProtocol.Tcp) at = l4 + TcpSegment.ChecksumField;
            else if (protocol == IpProtocol.Udp) at = l4 + UdpDatagram.ChecksumField;
            else at = l4 + IcmpMessage.ChecksumField;
            if (at + 2 > end) return -1;
            if (protocol == IpProtocol.Udp && NetworkOrder.ReadUInt16(b, at) == 0) return -1;
            return at;
        }

        private static void RewriteWord(byte[] b, int at, int value, int checksumAt)
        {
            int old = NetworkOrder.ReadUInt16(b, at);
            if (old == value) return;
            NetworkOrder.WriteUInt16(b, at, value);
            if (checksumAt >= 0) Checksum.Update16(b, checksumAt, old, value);
        }
    }
}
