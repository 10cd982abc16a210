using System;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Ip;

public class Ipv4ValidationTests
{
    private static void AssertDroppedAs(int counter, byte[] frame, bool fromWan = false)
    {
        var rig = new RouterRig();
        if (fromWan) rig.FromWan(frame); else rig.FromLan(frame);
        Assert.Equal(1, rig.Counters[counter]);
        Assert.Equal(1, rig.Counters.DroppedTotal);
        Assert.Empty(rig.Lan.Sent);
        Assert.Empty(rig.Wan.Sent);
        rig.AssertAccounted();
    }

    private static byte[] Good() => Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53);

    [Fact]
    public void WrongVersionIsDropped()
    {
        byte[] f = Good();
        f[14] = 0x65;
        Ipv4Packet.FillChecksum(f, 14);
        AssertDroppedAs(Counters.DropIpVersion, f);
    }

    [Theory]
    [InlineData(0x44)] // IHL 4: below the minimum
    [InlineData(0x40)] // IHL 0
    [InlineData(0x4F)] // IHL 15: 60 bytes, longer than this 32-byte packet's frame holds
    public void BadHeaderLengthIsDropped(int versionAndIhl)
    {
        byte[] f = Good()[..(14 + 32)];
        f[14] = (byte)versionAndIhl;
        AssertDroppedAs(Counters.DropIpHeaderLength, f);
    }

    [Fact]
    public void TotalLengthBeyondTheFrameIsDropped()
    {
        byte[] f = Good();
        NetworkOrder.WriteUInt16(f, 16, f.Length - 14 + 1);
        Ipv4Packet.FillChecksum(f, 14);
        AssertDroppedAs(Counters.DropIpTotalLength, f);
    }

    [Fact]
    public void TotalLengthBelowTheHeaderIsDropped()
    {
        byte[] f = Good();
        NetworkOrder.WriteUInt16(f, 16, 19);
        Ipv4Packet.FillChecksum(f, 14);
        AssertDroppedAs(Counters.DropIpTotalLength, f);
    }

    [Fact]
    public void AFrameTooShortForAnIpHeaderIsDropped()
    {
        AssertDroppedAs(Counters.DropIpTotalLength, Good()[..33]);
    }

    [Fact]
    public void BadHeaderChecksumIsDropped()
    {
        byte[] f = Good();
        f[24] ^= 0x01;
        AssertDroppedAs(Counters.DropIpChecksum, f);
        byte[] w = Frames.Udp(RouterWanMac, GatewayMac, Remote, RouterWan, 53, 40000);
        w[33] ^= 0x80; // last byte of the destination address
        AssertDroppedAs(Counters.DropIpChecksum, w, fromWan: true);
    }

    [Fact]
    public void EthernetPaddingBeyondTheTotalLengthIsAccepted()
    {
        var rig = new RouterRig();
        byte[] f = Good();
        byte[] padded = new byte[60];
        f.CopyTo(padded, 0);
        rig.FromLan(padded);
        byte[] sent = rig.Wan.TakeOne();
        Assert.Equal(f.Length, sent.Length); // the padding is not forwarded
        Assert.Null(Frames.ChecksumProblem(sent, sent.Length));
    }

    [Fact]
    public void LinkLayerProblemsAreDroppedByReason()
    {
        AssertDroppedAs(Counters.DropRunt, Good()[..13]);
        byte[] otherMac = Good();
        otherMac[5] = 0x99;
        AssertDroppedAs(Counters.DropNotForUs, otherMac);
        byte[] ipv6 = Good();
        NetworkOrder.WriteUInt16(ipv6, 12, 0x86DD);
        AssertDroppedAs(Counters.DropUnsupportedEtherType, ipv6);
    }

    [Fact]
    public void TruncatedTransportHeadersAreDropped()
    {
        AssertDroppedAs(Counters.DropTransportTruncated, IpTestFrames.Truncate(Frames.Tcp(RouterLanMac, HostMac, Host, Remote, 1, 2, TcpSegment.Syn), 20 + 19));
        AssertDroppedAs(Counters.DropTransportTruncated, IpTestFrames.Truncate(Good(), 20 + 7));
        AssertDroppedAs(Counters.DropTransportTruncated, IpTestFrames.Truncate(Frames.Icmp(RouterLanMac, HostMac, Host, Remote, 8, 0, 1, 1), 20 + 7));
        byte[] udpLengthTooBig = Good();
        NetworkOrder.WriteUInt16(udpLengthTooBig, 38, 13);
        AssertDroppedAs(Counters.DropTransportTruncated, udpLengthTooBig);
        byte[] tcpOffsetTooBig = Frames.Tcp(RouterLanMac, HostMac, Host, Remote, 1, 2, TcpSegment.Syn);
        tcpOffsetTooBig[46] = 0x60; // 24-byte header in a 20-byte segment
        AssertDroppedAs(Counters.DropTransportTruncated, tcpOffsetTooBig);
    }

    [Fact]
    public void UnknownProtocolsAndIcmpTypesAreDropped()
    {
        byte[] gre = Good();
        gre[23] = 47;
        Ipv4Packet.FillChecksum(gre, 14);
        AssertDroppedAs(Counters.DropNotRoutable, gre);
        AssertDroppedAs(Counters.DropIcmpUnsupported, Frames.Icmp(RouterLanMac, HostMac, Host, Remote, 13, 0, 1, 1)); // timestamp
    }

    [Theory]
    [InlineData("10.9.9.9")]       // off-link
    [InlineData("192.168.1.1")]    // the router's own address
    [InlineData("192.168.1.255")]  // the subnet broadcast (0.0.0.0 is a martian: Security/MartianTests)
    public void LanPacketsWithASpoofedSourceAreDropped(string source)
    {
        AssertDroppedAs(Counters.DropSpoofedSource, Frames.Udp(RouterLanMac, HostMac, Frames.Ip(source), Remote, 40000, 53));
    }

    [Fact]
    public void WanPacketsClaimingALanSourceAreDropped()
    {
        AssertDroppedAs(Counters.DropSpoofedSource, Frames.Udp(RouterWanMac, GatewayMac, Host, RouterWan, 53, 40000), fromWan: true);
    }

    [Fact]
    public void DestinationsThatCannotBeRoutedAreDropped()
    {
        AssertDroppedAs(Counters.DropNotRoutable, Frames.Udp(RouterLanMac, HostMac, Host, Host2, 1, 2));                 // on-link: not ours to route
        AssertDroppedAs(Counters.DropMartianDestination, Frames.Udp(RouterLanMac, HostMac, Host, Frames.Ip("239.1.1.1"), 1, 2)); // multicast
        AssertDroppedAs(Counters.DropNotRoutable, Frames.Udp(RouterWanMac, GatewayMac, Remote, Frames.Ip("203.0.113.9"), 1, 2), fromWan: true);
    }
}
