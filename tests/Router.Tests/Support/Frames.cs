using Router.Wire;

namespace Router.Tests.Support;

/// <summary>Builds Ethernet frames with valid checksums for tests, and checks the checksums of frames the router emits.</summary>
public static class Frames
{
    public static byte[] Mac(int n) => new byte[] { 0x02, 0x00, 0x00, 0x00, 0x00, (byte)n };

    public static uint Ip(string dotted) => Ipv4Address.TryParse(dotted, out var a) ? a : throw new System.ArgumentException(dotted);

    public static byte[] Udp(byte[] dstMac, byte[] srcMac, uint src, uint dst, int sport, int dport, byte[] payload = null, int ttl = 64, int id = 1)
    {
        payload ??= new byte[] { 1, 2, 3, 4 };
        byte[] f = Ipv4(dstMac, srcMac, src, dst, IpProtocol.Udp, UdpDatagram.HeaderLength + payload.Length, ttl, id);
        UdpDatagram.SetSourcePort(f, 34, sport);
        UdpDatagram.SetDestinationPort(f, 34, dport);
        UdpDatagram.SetLength(f, 34, UdpDatagram.HeaderLength + payload.Length);
        payload.CopyTo(f, 42);
        UdpDatagram.FillChecksum(f, 34, src, dst);
        return f;
    }

    public static byte[] Tcp(byte[] dstMac, byte[] srcMac, uint src, uint dst, int sport, int dport, int flags, uint seq = 1000, uint ack = 0,
        byte[] payload = null, byte[] options = null, int ttl = 64, int id = 1)
    {
        payload ??= System.Array.Empty<byte>();
        options ??= System.Array.Empty<byte>();
        int header = 20 + options.Length;
        byte[] f = Ipv4(dstMac, srcMac, src, dst, IpProtocol.Tcp, header + payload.Length, ttl, id);
        TcpSegment.SetSourcePort(f, 34, sport);
        TcpSegment.SetDestinationPort(f, 34, dport);
        TcpSegment.SetSequenceNumber(f, 34, seq);
        TcpSegment.SetAcknowledgmentNumber(f, 34, ack);
        f[34 + 12] = (byte)((header / 4) << 4);
        f[34 + 13] = (byte)flags;
        NetworkOrder.WriteUInt16(f, 34 + 14, 65535);
        options.CopyTo(f, 54);
        payload.CopyTo(f, 34 + header);
        TcpSegment.FillChecksum(f, 34, src, dst, header + payload.Length);
        return f;
    }

    public static byte[] Icmp(byte[] dstMac, byte[] srcMac, uint src, uint dst, int type, int code, int id, int seq, byte[] body = null, int ttl = 64)
    {
        body ??= new byte[] { 0xAB, 0xCD };
        byte[] f = Ipv4(dstMac, srcMac, src, dst, IpProtocol.Icmp, 8 + body.Length, ttl, 7);
        f[34] = (byte)type;
        f[35] = (byte)code;
        NetworkOrder.WriteUInt16(f, 38, id);
        NetworkOrder.WriteUInt16(f, 40, seq);
        body.CopyTo(f, 42);
        IcmpMessage.FillChecksum(f, 34, 8 + body.Length);
        return f;
    }

    /// <summary>An ICMP error from <paramref name="src"/> quoting the IP packet inside <paramref name="offending"/> (a frame).</summary>
    public static byte[] IcmpError(byte[] dstMac, byte[] srcMac, uint src, uint dst, int type, int code, byte[] offending, int quoteBytes = 28, int mtu = 0)
    {
        byte[] quote = new byte[quoteBytes];
        System.Array.Copy(offending, 14, quote, 0, quoteBytes);
        byte[] f = Icmp(dstMac, srcMac, src, dst, type, code, 0, mtu, quote);
        IcmpMessage.FillChecksum(f, 34, 8 + quoteBytes);
        return f;
    }

    public static byte[] Arp(byte[] dstMac, byte[] srcMac, int operation, byte[] senderMac, uint senderIp, byte[] targetMac, uint targetIp)
    {
        byte[] f = new byte[42];
        EthernetFrame.SetAddresses(f, 0, dstMac, 0, srcMac);
        EthernetFrame.SetEtherType(f, 0, EthernetFrame.EtherTypeArp);
        ArpPacket.Write(f, 14, operation, senderMac, senderIp, targetMac, 0, targetIp);
        return f;
    }

    public static byte[] Broadcast => new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

    private static byte[] Ipv4(byte[] dstMac, byte[] srcMac, uint src, uint dst, int protocol, int payloadLength, int ttl, int id)
    {
        byte[] f = new byte[14 + 20 + payloadLength];
        EthernetFrame.SetAddresses(f, 0, dstMac, 0, srcMac);
        EthernetFrame.SetEtherType(f, 0, EthernetFrame.EtherTypeIpv4);
        Ipv4Packet.WriteHeader(f, 14, 20 + payloadLength, id, ttl, protocol, src, dst);
        return f;
    }

    /// <summary>Checks the IPv4 header checksum and the TCP, UDP or ICMP checksum of an emitted frame. Returns null when all hold.</summary>
    public static string ChecksumProblem(byte[] f, int length)
    {
        if (length < 34 || NetworkOrder.ReadUInt16(f, 12) != EthernetFrame.EtherTypeIpv4) return null;
        if (!Ipv4Packet.HeaderChecksumValid(f, 14)) return "ip header checksum";
        if (Ipv4Packet.IsFragment(f, 14) && Ipv4Packet.FragmentOffset(f, 14) != 0) return null;
        if (Ipv4Packet.IsFragment(f, 14)) return null; // a first fragment's transport checksum covers data we do not have
        int l4 = Ipv4Packet.PayloadOffset(f, 14), len = Ipv4Packet.PayloadLength(f, 14);
        switch (Ipv4Packet.Protocol(f, 14))
        {
            case IpProtocol.Tcp:
                return Checksum.Finish(Checksum.Add(Checksum.PseudoHeader(Ipv4Packet.Source(f, 14), Ipv4Packet.Destination(f, 14), IpProtocol.Tcp, len), f, l4, len)) == 0 ? null : "tcp checksum";
            case IpProtocol.Udp:
                if (NetworkOrder.ReadUInt16(f, l4 + 6) == 0) return null;
                return Checksum.Finish(Checksum.Add(Checksum.PseudoHeader(Ipv4Packet.Source(f, 14), Ipv4Packet.Destination(f, 14), IpProtocol.Udp, len), f, l4, len)) == 0 ? null : "udp checksum";
            case IpProtocol.Icmp:
                return Checksum.Compute(f, l4, len) == 0 ? null : "icmp checksum";
        }
        return null;
    }
}
