using Router.Wire;

namespace Router.Ip
{
    /// <summary>
    /// Whether a packet's TCP/UDP checksum verifies: netfilter checks it in PREROUTING before tracking, so a forged RST or
    /// an opening packet with a bad checksum changes nothing. A fragment cannot be verified before reassembly and passes;
    /// ICMP has no pseudo-header and is checked by whoever answers it.
    /// </summary>
    public static class TransportChecksum
    {
        public static bool Verifies(ParsedPacket p)
        {
            if (p.IsFragment || (p.Protocol != IpProtocol.Tcp && p.Protocol != IpProtocol.Udp)) return true;
            int length = p.Protocol == IpProtocol.Udp ? NetworkOrder.ReadUInt16(p.Buffer, p.TransportOffset + 4) : p.TransportLength;
            return Checksum.TransportValid(p.Buffer, p.TransportOffset, length, p.Source, p.Destination, p.Protocol);
        }
    }
}
