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
        byte[] b = ExampleHeader(3);
        Assert.Equal(4, Ipv4Packet.Version(b, 3));
        Assert.Equal(20, Ipv4Packet.HeaderLength(b, 3));
        Assert.Equal(115, Ipv4Packet.TotalLength(b, 3));
        Assert.Equal(0, Ipv4Packet.Identification(b, 3));
        Assert.True(Ipv4Packet.DontFragment(b, 3));
        Assert.False(Ipv4Packet.MoreFragments(b, 3));
        Assert.False(Ipv4Packet.IsFragment(b, 3));
        Assert.Equal(0, Ipv4Packet.FragmentOffset(b, 3));
        Assert.Equal(64, Ipv4Packet.Ttl(b, 3));
        Assert.Equal(IpProtocol.Udp, Ipv4Packet.Protocol(b, 3));
        Assert.Equal(0xB861, Ipv4Packet.HeaderChecksum(b, 3));
        Assert.Equal(0xC0A80001u, Ipv4Packet.Source(b, 3));
        Assert.Equal(0xC0A800C7u, Ipv4Packet.Destination(b, 3));
        Assert.Equal(23, Ipv4Packet.PayloadOffset(b, 3));
        Assert.Equal(95, Ipv4Packet.PayloadLength(b, 3));
        Assert.Equal(13, (3 + Ipv4Packet.ChecksumField));
        Assert.True(Ipv4Packet.HeaderChecksumValid(b, 3));
    }

    [Fact]
    public void FragmentFieldsAreDecoded()
    {
        byte[] b = ExampleHeader();
        b[6] = 0x20; b[7] = 0x03; // MF, offset 3 * 8 bytes
        Assert.True(Ipv4Packet.MoreFragments(b, 0));
        Assert.False(Ipv4Packet.DontFragment(b, 0));
        Assert.True(Ipv4Packet.IsFragment(b, 0));
        Assert.Equal(24, Ipv4Packet.FragmentOffset(b, 0));
        Assert.False(Ipv4Packet.HeaderChecksumValid(b, 0));
        b[6] = 0x00; b[7] = 0x01; // last fragment at offset 8
        Assert.True(Ipv4Packet.IsFragment(b, 0));
        Assert.False(Ipv4Packet.MoreFragments(b, 0));
    }

    [Fact]
    public void DecrementTtlUpdatesTheChecksumToB961()
    {
        byte[] b = ExampleHeader();
        Ipv4Packet.DecrementTtl(b, 0);
        Assert.Equal(63, Ipv4Packet.Ttl(b, 0));
        Assert.Equal(0xB961, Ipv4Packet.HeaderChecksum(b, 0)); // TTL/protocol word 4011 -> 3f11: the complement grows by 0x100
        Assert.True(Ipv4Packet.HeaderChecksumValid(b, 0));
    }

    [Fact]
    public void AddressAndLengthSettersKeepTheChecksumValid()
    {
        byte[] b = ExampleHeader();
        Ipv4Packet.SetSource(b, 0, 0xCB007102);
        Ipv4Packet.SetDestination(b, 0, 0xC6336407);
        Ipv4Packet.SetTotalLength(b, 0, 40);
        Assert.Equal(Convert.FromHexString("450000280000400040110000cb007102c6336407").AsSpan(12).ToArray(), b.AsSpan(12).ToArray());
        Assert.Equal(40, Ipv4Packet.TotalLength(b, 0));
        Assert.True(Ipv4Packet.HeaderChecksumValid(b, 0));
    }

    [Fact]
    public void WriteHeaderProducesTheExampleBytes()
    {
        byte[] b = new byte[20];
        Ipv4Packet.WriteHeader(b, 0, 115, 0, 64, IpProtocol.Udp, 0xC0A80001, 0xC0A800C7);
        // No DF from WriteHeader: flags word 0000, so the checksum is b861 + 0x4000 = f861.
        Assert.Equal(Convert.FromHexString("4500007300000000401 1f861c0a80001c0a800c7".Replace(" ", "")), b);
    }

    [Fact]
    public void TcpSegmentReadsAndFillsTheChecksum()
    {
        // 192.168.1.2:50000 -> 198.51.100.7:80, SYN, seq 1000, window 65535; checksum fc74 computed by hand.
        byte[] b = Convert.FromHexString("c3500050000003e8000000005002ffff00000000");
        Assert.Equal(50000, TcpSegment.SourcePort(b, 0));
        Assert.Equal(80, TcpSegment.DestinationPort(b, 0));
        Assert.Equal(1000u, TcpSegment.SequenceNumber(b, 0));
        Assert.Equal(0u, TcpSegment.AcknowledgmentNumber(b, 0));
        Assert.Equal(20, TcpSegment.HeaderLength(b, 0));
        Assert.Equal(TcpSegment.Syn, TcpSegment.Flags(b, 0));
        Assert.True(TcpSegment.HasFlag(b, 0, TcpSegment.Syn));
        Assert.False(TcpSegment.HasFlag(b, 0, TcpSegment.Ack));
        Assert.Equal(65535, TcpSegment.Window(b, 0));
        Assert.Equal(16, TcpSegment.ChecksumField);
        Assert.Equal(20, TcpSegment.MinHeaderLength);
        Assert.Equal(20, TcpSegment.PayloadOffset(b, 0));
        TcpSegment.FillChecksum(b, 0, 0xC0A80102, 0xC6336407, 20);
        Assert.Equal(0xFC74, TcpSegment.Checksum(b, 0));

        TcpSegment.SetSourcePort(b, 0, 1);
        TcpSegment.SetAcknowledgmentNumber(b, 0, 0xDEADBEEF);
        Assert.Equal(new byte[] { 0x00, 0x01 }, b[0..2]);
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, b[8..12]);
    }

    [Fact]
    public void TcpFlagsIgnoreTheReservedAndEcnBits()
    {
        byte[] b = new byte[20];
        b[12] = 0x8F; // data offset 8 words, reserved bits set
        b[13] = 0xD2; // CWR ECE + ACK SYN
        Assert.Equal(32, TcpSegment.HeaderLength(b, 0));
        Assert.Equal(TcpSegment.Ack | TcpSegment.Syn, TcpSegment.Flags(b, 0));
    }

    [Fact]
    public void UdpChecksumThatComputesToZeroIsSentAsFfff()
    {
        // 10.0.0.1:1000 -> 10.0.0.2:2000, payload e0 1f: pseudo-header 0x141e + length 0x000a + ports 0x03e8 + 0x07d0
        // + payload 0xe01f = 0xffff, whose complement is 0, which UDP reserves for "no checksum".
        byte[] b = Convert.FromHexString("03e807d0000a0000e01f");
        Assert.Equal(1000, UdpDatagram.SourcePort(b, 0));
        Assert.Equal(2000, UdpDatagram.DestinationPort(b, 0));
        Assert.Equal(10, UdpDatagram.Length(b, 0));
        Assert.Equal(8, UdpDatagram.HeaderLength);
        Assert.Equal(6, UdpDatagram.ChecksumField);
        UdpDatagram.FillChecksum(b, 0, 0x0A000001, 0x0A000002);
        Assert.Equal(0xFFFF, UdpDatagram.Checksum(b, 0));
    }

    [Fact]
    public void UdpChecksumOfAnOrdinaryDatagram()
    {
        // Same datagram with payload e0 20: the sum is 0x10000 -> folds to 0x0001, complement fffe.
        byte[] b = Convert.FromHexString("03e807d0000a0000e020");
        UdpDatagram.FillChecksum(b, 0, 0x0A000001, 0x0A000002);
        Assert.Equal(0xFFFE, UdpDatagram.Checksum(b, 0));
    }

    [Fact]
    public void IcmpEchoRequestFieldsAndChecksum()
    {
        byte[] b = Convert.FromHexString("080000001234000161626364");
        Assert.Equal(IcmpMessage.TypeEchoRequest, IcmpMessage.Type(b, 0));
        Assert.Equal(0, IcmpMessage.Code(b, 0));
        Assert.Equal(0x1234, IcmpMessage.Identifier(b, 0));
        Assert.True(IcmpMessage.IsQuery(IcmpMessage.Type(b, 0)));
        Assert.False(IcmpMessage.IsError(IcmpMessage.Type(b, 0)));
        IcmpMessage.FillChecksum(b, 0, b.Length);
        Assert.Equal(0x2104, IcmpMessage.Checksum(b, 0));
        Assert.Equal(8, IcmpMessage.HeaderLength);
        Assert.Equal(4, IcmpMessage.IdentifierField);
        IcmpMessage.SetType(b, 0, IcmpMessage.TypeTimeExceeded);
        Assert.True(IcmpMessage.IsError(IcmpMessage.Type(b, 0)));
        Assert.False(IcmpMessage.IsQuery(IcmpMessage.Type(b, 0)));
        IcmpMessage.SetType(b, 0, 13); // timestamp: neither
        Assert.False(IcmpMessage.IsError(IcmpMessage.Type(b, 0)));
        Assert.False(IcmpMessage.IsQuery(IcmpMessage.Type(b, 0)));
        IcmpMessage.SetType(b, 0, IcmpMessage.TypeParameterProblem);
        Assert.True(IcmpMessage.IsError(IcmpMessage.Type(b, 0)));
    }

    [Fact]
    public void ArpPacketWritesRfc826Bytes()
    {
        byte[] b = new byte[30];
        byte[] sender = { 0x02, 0, 0, 0, 0, 0x10 };
        byte[] target = { 0xAA, 0xBB, 0x02, 0, 0, 0, 0, 0x02, 0xCC };
        ArpPacket.Write(b, 2, ArpPacket.OperationReply, sender, 0xC0A80101, target, 2, 0xC0A80102);
        Assert.Equal(Convert.FromHexString("0000" + "0001" + "0800" + "06" + "04" + "0002" + "020000000010" + "c0a80101" + "020000000002" + "c0a80102"), b);
        Assert.Equal(HeaderCheck.Valid, ArpPacket.Check(b, 2, ArpPacket.Length));
        Assert.Equal(ArpPacket.OperationReply, ArpPacket.Operation(b, 2));
        Assert.Equal(0xC0A80101u, ArpPacket.SenderProtocolAddress(b, 2));
        Assert.Equal(0xC0A80102u, ArpPacket.TargetProtocolAddress(b, 2));
        Assert.Equal(10, 2 + ArpPacket.SenderHardwareField);
        Assert.Equal(20, 2 + ArpPacket.TargetHardwareField);
        b[7] = 16; // hardware length 16: not Ethernet
        Assert.Equal(HeaderCheck.Unsupported, ArpPacket.Check(b, 2, ArpPacket.Length));
    }

    [Fact]
    public void EthernetFrameAddressesAndType()
    {
        byte[] b = new byte[14];
        EthernetFrame.SetAddresses(b, 0, new byte[] { 9, 1, 2, 3, 4, 5, 6, 7 }, 2, new byte[] { 0xA, 0xB, 0xC, 0xD, 0xE, 0xF });
        EthernetFrame.SetEtherType(b, 0, EthernetFrame.EtherTypeArp);
        Assert.Equal(Convert.FromHexString("0203040506070a0b0c0d0e0f0806"), b);
        Assert.True(EthernetFrame.DestinationIs(b, 0, new byte[] { 2, 3, 4, 5, 6, 7 }));
        Assert.False(EthernetFrame.IsBroadcast(b, 0));
        for (int i = 0; i < 6; i++) b[i] = 0xFF;
        Assert.True(EthernetFrame.IsBroadcast(b, 0));
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
