using Router.Link;
using Router.Wire;

namespace Router.Ip
{
    /// <summary>
    /// Drops what no port may accept, in either direction, before routing or connection tracking sees it: martian
    /// sources and destinations (RFC 1812 5.3.7, 4.2.2.11; Linux's <c>ip_route_input_slow</c> martian checks), the
    /// limited broadcast except DHCP to the router, IPv4 loose and strict source routes unless allowed (RFC 7126 4.3,
    /// 4.4), and TCP fragments at offset 1 (RFC 1858 3.4). Static: it keeps no state and allocates nothing.
    /// </summary>
    public static class IngressScreen
    {
        public const int OptionEnd = 0;
        public const int OptionNop = 1;
        public const int OptionLooseSourceRoute = 131;
        public const int OptionStrictSourceRoute = 137;

        private const int DhcpServerPort = 67;
        private const int DhcpClientPort = 68;

        /// <summary>
        /// Returns <see cref="Verdict.Accept"/>, or the drop counter naming why a parsed packet that arrived on
        /// <paramref name="ingress"/> may not go further. <paramref name="wanAddress"/> is the router's WAN address (0: none yet).
        /// </summary>
        public static int Check(ParsedPacket p, NetworkPort ingress, uint wanAddress, bool allowSourceRouted)
        {
            if (p.Protocol == IpProtocol.Tcp && Ipv4Packet.FragmentOffset(p.Buffer, p.IpOffset) == 8) return Counters.DropTinyFragment;
            if (p.HeaderLength > Ipv4Packet.MinHeaderLength)
            {
                int options = CheckOptions(p.Buffer, p.IpOffset + Ipv4Packet.MinHeaderLength, p.IpOffset + p.HeaderLength, allowSourceRouted);
                if (options != Verdict.Accept) return options;
            }
            bool fromLan = ingress.Index == NetworkPort.Lan;
            bool dhcpToRouter = p.Protocol == IpProtocol.Udp && p.HasTransport && !p.IsFragment
                && p.DestinationPort == (fromLan ? DhcpServerPort : DhcpClientPort)
                && p.SourcePort == (fromLan ? DhcpClientPort : DhcpServerPort);

            uint source = p.Source;
            if (source == 0 ? !(fromLan && dhcpToRouter) : IsMartian(source)) return Counters.DropMartianSource;
            // From the WAN nobody else may use the router's WAN address (any LAN address from there is a spoofed source).
            if (!fromLan && source == wanAddress) return Counters.DropMartianSource;

            uint destination = p.Destination;
            if (destination == Ipv4Address.Broadcast) return dhcpToRouter ? Verdict.Accept : Counters.DropMartianDestination;
            if (destination == 0 || IsMartian(destination)) return Counters.DropMartianDestination;
            return Verdict.Accept;
        }

        /// <summary>0/8, 127/8, multicast 224/4 and 240/4 (which holds the limited broadcast): never a unicast host's address.</summary>
        public static bool IsMartian(uint address)
        {
            uint first = address >> 24;
            return first == 0 || first == 127 || first >= 224;
        }

        /// <summary>Walks the option list (RFC 791 3.1): a source route is refused unless allowed, a malformed list is a broken header.</summary>
        private static int CheckOptions(byte[] b, int at, int end, bool allowSourceRouted)
        {
            while (at < end)
            {
                int type = b[at];
                if (type == OptionEnd) return Verdict.Accept;
                if (type == OptionNop) { at++; continue; }
                if (at + 1 >= end) return Counters.DropIpHeaderLength;
                int length = b[at + 1];
                if (length < 2 || at + length > end) return Counters.DropIpHeaderLength;
                if ((type == OptionLooseSourceRoute || type == OptionStrictSourceRoute) && !allowSourceRouted) return Counters.DropSourceRouted;
                at += length;
            }
            return Verdict.Accept;
        }
    }
}
