using Router.Link;
using Router.Wire;

namespace Router.Ip
{
    /// <summary>ICMP the router originates: echo replies (in place) and rate-limited errors quoting the offending packet.</summary>
    public sealed class IcmpResponder
    {
        private const int DefaultTtl = 64;
        /// <summary>Quote the offending IP header and 8 bytes of its payload (RFC 792).</summary>
        private const int QuotedPayload = 8;

        private readonly Counters _counters;
        private readonly TokenBucket _errorBudget;
        private readonly byte[] _error;
        private int _identification;

        public IcmpResponder(Counters counters, int errorsPerSecond, int errorBurst)
        {
            _counters = counters;
            _errorBudget = new TokenBucket(errorsPerSecond, errorBurst);
            _error = new byte[EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + IcmpMessage.HeaderLength + 60 + QuotedPayload];
        }

        /// <summary>Turns an echo request into its reply in the same buffer and sends it back where it came from.</summary>
        public void Echo(NetworkPort port, ParsedPacket p)
        {
            byte[] b = p.Buffer;
            System.Array.Copy(b, 6, b, 0, 6);
            System.Array.Copy(port.Mac, 0, b, 6, 6);
            int ip = p.IpOffset;
            uint requester = p.Source;
            NetworkOrder.WriteUInt32(b, ip + 12, p.Destination);
            NetworkOrder.WriteUInt32(b, ip + 16, requester);
            b[ip + Ipv4Packet.TtlField] = DefaultTtl;
            Ipv4Packet.FillChecksum(b, ip);
            int icmp = p.TransportOffset;
            IcmpMessage.SetType(b, icmp, IcmpMessage.TypeEchoReply);
            Checksum.Update16(b, icmp + IcmpMessage.ChecksumField, IcmpMessage.TypeEchoRequest << 8, IcmpMessage.TypeEchoReply << 8);
            if (port.Send(b, 0, EthernetFrame.HeaderLength + p.TotalLength)) _counters.Increment(Counters.EchoReplies);
        }

        /// <summary>
        /// Sends an ICMP error about the packet in <paramref name="p"/> back to the neighbour it came from, unless
        /// RFC 1812 section 4.3.2.7 forbids it or the rate limit is spent. <paramref name="mtu"/> fills the
        /// next-hop MTU of "fragmentation needed".
        /// </summary>
        public void SendError(NetworkPort port, ParsedPacket p, int type, int code, int mtu, long now)
        {
            if (!MayReport(p, port)) return;
            if (!_errorBudget.TryTake(now))
            {
                _counters.Increment(Counters.IcmpRateLimited);
                return;
            }
            byte[] e = _error;
            EthernetFrame.SetAddresses(e, 0, p.Buffer, EthernetFrame.SourceField, port.Mac);
            EthernetFrame.SetEtherType(e, 0, EthernetFrame.EtherTypeIpv4);
            int quoted = p.HeaderLength + QuotedPayload;
            if (quoted > p.TotalLength) quoted = p.TotalLength;
            int icmpOffset = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength;
            int icmpLength = IcmpMessage.HeaderLength + quoted;
            Ipv4Packet.WriteHeader(e, EthernetFrame.HeaderLength, Ipv4Packet.MinHeaderLength + icmpLength, ++_identification & 0xFFFF,
                DefaultTtl, IpProtocol.Icmp, port.Address, p.Source);
            IcmpMessage.SetType(e, icmpOffset, type);
            IcmpMessage.SetCode(e, icmpOffset, code);
            NetworkOrder.WriteUInt32(e, icmpOffset + 4, (uint)(mtu & 0xFFFF));
            System.Array.Copy(p.Buffer, p.IpOffset, e, icmpOffset + IcmpMessage.HeaderLength, quoted);
            IcmpMessage.FillChecksum(e, icmpOffset, icmpLength);
            if (port.Send(e, 0, icmpOffset + icmpLength) && type == IcmpMessage.TypeTimeExceeded) _counters.Increment(Counters.TimeExceededSent);
        }

        private static bool MayReport(ParsedPacket p, NetworkPort port)
        {
            if (p.IsIcmpError) return false;
            if (p.IsFragment && !p.IsFirstFragment) return false;
            if (p.Source == 0 || p.Source == Ipv4Address.Broadcast || (p.Source >> 28) == 0xE) return false;
            if ((p.Destination >> 28) == 0xE || p.Destination == Ipv4Address.Broadcast || p.Destination == port.BroadcastAddress) return false;
            return (p.Buffer[0] & 1) == 0; // not sent to a link-layer multicast or broadcast
        }
    }
}
