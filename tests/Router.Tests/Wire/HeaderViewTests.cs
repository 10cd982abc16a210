using System;
using Router.Wire;
using Xunit;

namespace Router.Tests.Wire;

public class HeaderViewTests
{
    // The classic example header: 192.168.0.1 -> 192.168.0.199, UDP, TTL 64, DF, total length 115, checksum b861.
    private static byte[] ExampleHeader(int at = 0)
    {
        byte[] b = new byte[at + 20];
        Convert.FromHexString("45000073000040004011b861c0a80001c0a800c7").CopyTo(b, at);
        return b;
    }

    [Fact]
    public void Ipv4PacketReadsEveryField()
    {
        var ip = new Ipv4Packet(ExampleHeader(3), 3);
        Assert.Equal(4, ip.Version);
        Assert.Equal(20, ip.HeaderLength);
        Assert.Equal(115, ip.TotalLength);
        Assert.Equal(0, ip.Identification);
        Assert.True(ip.DontFragment);
        Assert.False(ip.MoreFragments);
        Assert.False(ip.IsFragment);
        Assert.Equal(0, ip.FragmentOffset);
        Assert.Equal(64, ip.Ttl);
        Assert.Equal(IpProtocol.Udp, ip.Protocol);
        Assert.Equal(0xB861, ip.HeaderChecksum);
        Assert.Equal(0xC0A80001u, ip.Source);
        Assert.Equal(0xC0A800C7u, ip.Destination);
        Assert.Equal(23, ip.PayloadOffset);
        Assert.Equal(95, ip.PayloadLength);
        Assert.Equal(13, ip.ChecksumOffset);
        Assert.True(ip.HeaderChecksumValid);
    }

    [Fact]
    public void FragmentFieldsAreDecoded()
    {
        byte[] b = ExampleHeader();
        b[6] = 0x20; b[7] = 0x03; // MF, offset 3 * 8 bytes
        var ip = new Ipv4Packet(b, 0);
        Assert.True(ip.MoreFragments);
        Assert.False(ip.DontFragment);
        Assert.True(ip.IsFragment);
        Assert.Equal(24, ip.FragmentOffset);
        Assert.False(ip.HeaderChecksumValid);
        b[6] = 0x00; b[7] = 0x01; // last fragment at offset 8
        Assert.True(ip.IsFragment);
        Assert.False(ip.MoreFragments);
    }

    [Fact]
    public void DecrementTtlUpdatesTheChecksumToB961()
    {
        byte[] b = ExampleHeader();
        var ip = new Ipv4Packet(b, 0);
        ip.DecrementTtl();
        Assert.Equal(63, ip.Ttl);
        Assert.Equal(0xB961, ip.HeaderChecksum); // TTL/protocol word 4011 -> 3f11: the complement grows by 0x100
        Assert.True(ip.HeaderChecksumValid);
    }

    [Fact]
    public void AddressAndLengthSettersKeepTheChecksumValid()
    {
        byte[] b = ExampleHeader();
        var ip = new Ipv4Packet(b, 0);
        ip.SetSource(0xCB007102);
        ip.SetDestination(0xC6336407);
        ip.SetTotalLength(40);
        Assert.Equal(Convert.FromHexString("450000280000400040110000cb007102c6336407").AsSpan(12).ToArray(), b.AsSpan(12).ToArray());
        Assert.Equal(40, ip.TotalLength);
        Assert.True(ip.HeaderChecksumValid);
    }

    [Fact]
    public void WriteHeaderProducesTheExampleBytes()
    {
        byte[] b = new byte[20];
        new Ipv4Packet(b, 0).WriteHeader(115, 0, 64, IpProtocol.Udp, 0xC0A80001, 0xC0A800C7);
        // No DF from WriteHeader: flags word 0000, so the checksum is b861 + 0x4000 = f861.
        Assert.Equal(Convert.FromHexString("4500007300000000401 1f861c0a80001c0a800c7".Replace(" ", "")), b);
    }

    [Fact]
    public void TcpSegmentReadsAndFillsTheChecksum()
    {
        // 192.168.1.2:50000 -> 198.51.100.7:80, SYN, seq 1000, window 65535; checksum fc74 computed by hand.
        byte[] b = Convert.FromHexString("c3500050000003e8000000005002ffff00000000");
        var tcp = new TcpSegment(b, 0);
        Assert.Equal(50000, tcp.SourcePort);
        Assert.Equal(80, tcp.DestinationPort);
        Assert.Equal(1000u, tcp.SequenceNumber);
        Assert.Equal(0u, tcp.AcknowledgmentNumber);
        Assert.Equal(20, tcp.HeaderLength);
        Assert.Equal(TcpSegment.Syn, tcp.Flags);
        Assert.True(tcp.HasFlag(TcpSegment.Syn));
        Assert.False(tcp.HasFlag(TcpSegment.Ack));
        Assert.Equal(65535, tcp.Window);
        Assert.Equal(16, tcp.ChecksumOffset);
        Assert.Equal(20, tcp.OptionsOffset);
        Assert.Equal(20, tcp.PayloadOffset);
        tcp.FillChecksum(0xC0A80102, 0xC6336407, 20);
        Assert.Equal(0xFC74, tcp.Checksum);

        tcp.SourcePort = 1;
        tcp.AcknowledgmentNumber = 0xDEADBEEF;
        Assert.Equal(new byte[] { 0x00, 0x01 }, b[0..2]);
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, b[8..12]);
    }

    [Fact]
    public void TcpFlagsIgnoreTheReservedAndEcnBits()
    {
        byte[] b = new byte[20];
        b[12] = 0x8F; // data offset 8 words, reserved bits set
        b[13] = 0xD2; // CWR ECE + ACK SYN
        var tcp = new TcpSegment(b, 0);
        Assert.Equal(32, tcp.HeaderLength);
        Assert.Equal(TcpSegment.Ack | TcpSegment.Syn, tcp.Flags);
    }

    [Fact]
    public void UdpChecksumThatComputesToZeroIsSentAsFfff()
    {
        // 10.0.0.1:1000 -> 10.0.0.2:2000, payload e0 1f: pseudo-header 0x141e + length 0x000a + ports 0x03e8 + 0x07d0
        // + payload 0xe01f = 0xffff, whose complement is 0, which UDP reserves for "no checksum".
        byte[] b = Convert.FromHexString("03e807d0000a0000e01f");
        var udp = new UdpDatagram(b, 0);
        Assert.Equal(1000, udp.SourcePort);
        Assert.Equal(2000, udp.DestinationPort);
        Assert.Equal(10, udp.Length);
        Assert.Equal(8, udp.PayloadOffset);
        Assert.Equal(6, udp.ChecksumOffset);
        udp.FillChecksum(0x0A000001, 0x0A000002);
        Assert.Equal(0xFFFF, udp.Checksum);
    }

    [Fact]
    public void UdpChecksumOfAnOrdinaryDatagram()
    {
        // Same datagram with payload e0 20: the sum is 0x10000 -> folds to 0x0001, complement fffe.
        byte[] b = Convert.FromHexString("03e807d0000a0000e020");
        var udp = new UdpDatagram(b, 0);
        udp.FillChecksum(0x0A000001, 0x0A000002);
        Assert.Equal(0xFFFE, udp.Checksum);
    }

    [Fact]
    public void IcmpEchoRequestFieldsAndChecksum()
    {
        byte[] b = Convert.FromHexString("080000001234000161626364");
        var icmp = new IcmpMessage(b, 0);
        Assert.Equal(IcmpMessage.TypeEchoRequest, icmp.Type);
        Assert.Equal(0, icmp.Code);
        Assert.Equal(0x1234, icmp.Identifier);
        Assert.True(icmp.IsQuery);
        Assert.False(icmp.IsError);
        icmp.FillChecksum(b.Length);
        Assert.Equal(0x2104, icmp.Checksum);
        Assert.Equal(8, icmp.EmbeddedOffset);
        Assert.Equal(4, icmp.IdentifierOffset);
        icmp.Type = IcmpMessage.TypeTimeExceeded;
        Assert.True(icmp.IsError);
        Assert.False(icmp.IsQuery);
        icmp.Type = 13; // timestamp: neither
        Assert.False(icmp.IsError);
        Assert.False(icmp.IsQuery);
        icmp.Type = IcmpMessage.TypeParameterProblem;
        Assert.True(icmp.IsError);
    }

    [Fact]
    public void ArpPacketWritesRfc826Bytes()
    {
        byte[] b = new byte[30];
        var arp = new ArpPacket(b, 2);
        byte[] sender = { 0x02, 0, 0, 0, 0, 0x10 };
        byte[] target = { 0xAA, 0xBB, 0x02, 0, 0, 0, 0, 0x02, 0xCC };
        arp.Write(ArpPacket.OperationReply, sender, 0xC0A80101, target, 2, 0xC0A80102);
        Assert.Equal(Convert.FromHexString("0000" + "0001" + "0800" + "06" + "04" + "0002" + "020000000010" + "c0a80101" + "020000000002" + "c0a80102"), b);
        Assert.True(arp.IsEthernetIpv4);
        Assert.Equal(ArpPacket.OperationReply, arp.Operation);
        Assert.Equal(0xC0A80101u, arp.SenderProtocolAddress);
        Assert.Equal(0xC0A80102u, arp.TargetProtocolAddress);
        Assert.Equal(10, arp.SenderHardwareOffset);
        Assert.Equal(20, arp.TargetHardwareOffset);
        b[7] = 16; // hardware length 16: not Ethernet
        Assert.False(arp.IsEthernetIpv4);
    }

    [Fact]
    public void EthernetFrameAddressesAndType()
    {
        byte[] b = new byte[14];
        var eth = new EthernetFrame(b, 0);
        eth.SetAddresses(new byte[] { 9, 1, 2, 3, 4, 5, 6, 7 }, 2, new byte[] { 0xA, 0xB, 0xC, 0xD, 0xE, 0xF });
        eth.EtherType = EthernetFrame.EtherTypeArp;
        Assert.Equal(Convert.FromHexString("0203040506070a0b0c0d0e0f0806"), b);
        Assert.True(eth.DestinationIs(new byte[] { 2, 3, 4, 5, 6, 7 }));
        Assert.False(eth.IsBroadcast);
        for (int i = 0; i < 6; i++) b[i] = 0xFF;
        Assert.True(eth.IsBroadcast);
        Assert.Equal("ff:ff:ff:ff:ff:ff", MacAddress.Format(b, 0));
        Assert.Equal("0a:0b:0c:0d:0e:0f", MacAddress.Format(b, 6));
    }

    [Theory]
    [InlineData("aa:bb:cc:dd:ee:ff", "aabbccddeeff")]
    [InlineData("02:00:5E:10:00:01", "02005e100001")]
    [InlineData("00-1a-2B-3c-4D-5e", "001a2b3c4d5e")]
    public void MacAddressParsesColonOrDashSeparatedHexInEitherCase(string text, string hex)
    {
        byte[] b = new byte[8];
        Assert.True(MacAddress.TryParse(text, b, 2));
        Assert.Equal(Convert.FromHexString("0000" + hex), b);
        Assert.Equal(text.ToLowerInvariant().Replace('-', ':'), MacAddress.Format(b, 2));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("aa:bb:cc:dd:ee")]
    [InlineData("aa:bb:cc:dd:ee:ff:00")]
    [InlineData("aa:bb:cc:dd:ee:fg")]
    [InlineData("aa-bb:cc:dd:ee:ff")]
    [InlineData("aabb.ccdd.eeff.00")]
    [InlineData("aa:bb:cc:dd:ee: f")]
    public void MacAddressRefusesAnythingElseAndLeavesTheDestinationAlone(string text)
    {
        byte[] b = { 9, 9, 9, 9, 9, 9 };
        Assert.False(MacAddress.TryParse(text, b, 0));
        Assert.Equal(new byte[] { 9, 9, 9, 9, 9, 9 }, b);
    }

    [Theory]
    [InlineData("0.0.0.0", 0x00000000u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData("192.168.1.1", 0xC0A80101u)]
    [InlineData("10.0.0.255", 0x0A0000FFu)]
    [InlineData("128.0.0.1", 0x80000001u)]
    public void Ipv4AddressParsesAndFormatsRoundTrip(string text, uint value)
    {
        Assert.True(Ipv4Address.TryParse(text, out uint parsed));
        Assert.Equal(value, parsed);
        Assert.Equal(text, Ipv4Address.Format(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.256")]
    [InlineData("1..2.3")]
    [InlineData(".1.2.3")]
    [InlineData("1.2.3.4.")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.-4")]
    [InlineData("1.2.3.x")]
    [InlineData("99999999999.1.1.1")]
    public void Ipv4AddressRejectsMalformedText(string text)
    {
        Assert.False(Ipv4Address.TryParse(text, out uint parsed));
        Assert.Equal(0u, parsed);
    }

    [Fact]
    public void Ipv4AddressPrefixHelpers()
    {
        Assert.Equal(0u, Ipv4Address.Mask(0));
        Assert.Equal(0xFFFFFF00u, Ipv4Address.Mask(24));
        Assert.Equal(0xFFFFFFFFu, Ipv4Address.Mask(32));
        Assert.True(Ipv4Address.InPrefix(0xC0A801FE, 0xC0A80101, 24));
        Assert.False(Ipv4Address.InPrefix(0xC0A80201, 0xC0A80101, 24));
        Assert.True(Ipv4Address.InPrefix(0x08080808, 0xC0A80101, 0));
        Assert.Equal(0xC0A80101u, Ipv4Address.Make(192, 168, 1, 1));
    }
}
