using Router.Conntrack;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Routing;

public class NatPathTests
{
    [Fact]
    public void OutboundUdpIsMasqueradedWithPortPreservedAndSentToTheGateway()
    {
        var rig = new RouterRig();
        rig.FromLan(rig.LanUdp(40000, 53));
        byte[] f = rig.Wan.TakeOne();

        Assert.Equal(GatewayMac, f[0..6]);
        Assert.Equal(RouterWanMac, f[6..12]);
        Assert.Equal(RouterWan, Ipv4Packet.Source(f, 14));
        Assert.Equal(Remote, Ipv4Packet.Destination(f, 14));
        Assert.Equal(63, Ipv4Packet.Ttl(f, 14));
        Assert.Equal(40000, UdpDatagram.SourcePort(f, 34));
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
        Assert.Equal(1, rig.Counters[Counters.Forwarded]);
        rig.AssertAccounted();
    }

    [Fact]
    public void ReplyIsTranslatedBackToTheInsideHost()
    {
        var rig = new RouterRig();
        rig.FromLan(rig.LanUdp(40000, 53));
        rig.Wan.Sent.Clear();
        rig.FromWan(rig.WanUdp(53, 40000));
        byte[] f = rig.Lan.TakeOne();

        Assert.Equal(HostMac, f[0..6]);
        Assert.Equal(Remote, Ipv4Packet.Source(f, 14));
        Assert.Equal(Host, Ipv4Packet.Destination(f, 14));
        Assert.Equal(40000, UdpDatagram.DestinationPort(f, 34));
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
        rig.AssertAccounted();
    }

    [Fact]
    public void UnsolicitedInboundIsDroppedAndCounted()
    {
        var rig = new RouterRig();
        rig.FromWan(rig.WanUdp(1234, 5555));
        rig.FromWan(rig.WanTcp(1234, 22, TcpSegment.Syn));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(2, rig.Counters[Counters.DropUnsolicited]);
        rig.AssertAccounted();
    }

    [Fact]
    public void AddressDependentFilteringAdmitsOnlyHostsTheInsideEndpointContacted()
    {
        var rig = new RouterRig();
        rig.FromLan(rig.LanUdp(40000, 3478));
        rig.Wan.Sent.Clear();

        rig.FromWan(rig.WanUdp(9999, 40000)); // same remote host, another port: endpoint-independent mapping, address-dependent filter
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(Host, Ipv4Packet.Destination(f, 14));
        Assert.Equal(40000, UdpDatagram.DestinationPort(f, 34));

        rig.FromWan(rig.WanUdp(3478, 40000, src: Frames.Ip("198.51.100.99")));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(1, rig.Counters[Counters.DropUnsolicited]);
    }

    [Fact]
    public void EndpointIndependentMappingReusesTheOutsidePortForEveryDestination()
    {
        var rig = new RouterRig();
        rig.FromLan(rig.LanUdp(40000, 53));
        rig.FromLan(rig.LanUdp(40000, 53, dst: Frames.Ip("198.51.100.50")));
        Assert.Equal(2, rig.Wan.Sent.Count);
        Assert.Equal(UdpDatagram.SourcePort(rig.Wan.Sent[0], 34), UdpDatagram.SourcePort(rig.Wan.Sent[1], 34));
    }

    [Fact]
    public void ASecondHostWithTheSameSourcePortGetsAnotherOutsidePort()
    {
        var rig = new RouterRig();
        rig.FromLan(rig.LanUdp(40000, 53));
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, Remote, 40000, 53));
        int first = UdpDatagram.SourcePort(rig.Wan.Sent[0], 34);
        int second = UdpDatagram.SourcePort(rig.Wan.Sent[1], 34);
        Assert.Equal(40000, first);
        Assert.NotEqual(40000, second);
        Assert.InRange(second, 1024, 65535);

        rig.Wan.Sent.Clear();
        rig.FromWan(rig.WanUdp(53, second));
        byte[] back = rig.Lan.TakeOne();
        Assert.Equal(Host2, Ipv4Packet.Destination(back, 14));
        Assert.Equal(40000, UdpDatagram.DestinationPort(back, 34));
    }

    [Fact]
    public void TcpHandshakeReachesEstablishedAndOnlyASynOpensAFlow()
    {
        var rig = new RouterRig();
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Ack));
        Assert.Equal(1, rig.Counters[Counters.DropTcpInvalid]);

        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Syn));
        rig.FromWan(rig.WanTcp(80, 50000, TcpSegment.Syn | TcpSegment.Ack, 5000, 1001));
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Ack, 1001, 5001));
        var ct = rig.Router.Connections;
        int node = ct.Find(IpProtocol.Tcp, Host, Remote, 50000, 80);
        Assert.True(node >= 0);
        Assert.Equal(TcpState.Established, ct.State(node >> 1));
        Assert.True(ct.HasStatus(node >> 1, ConnectionTable.StatusAssured));
        Assert.Equal(2, rig.Wan.Sent.Count);
        Assert.Single(rig.Lan.Sent);
        foreach (var f in rig.Wan.Sent) Assert.Null(Frames.ChecksumProblem(f, f.Length));

        rig.FromWan(rig.WanTcp(80, 50000, TcpSegment.Rst | TcpSegment.Ack, 5001, 1001));
        Assert.Equal(TcpState.Close, ct.State(node >> 1));
        rig.AssertAccounted();
    }

    [Fact]
    public void PingThroughNatTranslatesTheIdentifier()
    {
        var rig = new RouterRig();
        rig.FromLan(Frames.Icmp(RouterLanMac, HostMac, Host, Remote, IcmpMessage.TypeEchoRequest, 0, 77, 1));
        rig.FromLan(Frames.Icmp(RouterLanMac, Host2Mac, Host2, Remote, IcmpMessage.TypeEchoRequest, 0, 77, 1));
        int id1 = IcmpMessage.Identifier(rig.Wan.Sent[0], 34);
        int id2 = IcmpMessage.Identifier(rig.Wan.Sent[1], 34);
        Assert.Equal(77, id1);
        Assert.NotEqual(77, id2);
        foreach (var f in rig.Wan.Sent) Assert.Null(Frames.ChecksumProblem(f, f.Length));

        rig.FromWan(Frames.Icmp(RouterWanMac, GatewayMac, Remote, RouterWan, IcmpMessage.TypeEchoReply, 0, id2, 1));
        byte[] back = rig.Lan.TakeOne();
        Assert.Equal(Host2, Ipv4Packet.Destination(back, 14));
        Assert.Equal(77, IcmpMessage.Identifier(back, 34));
        Assert.Null(Frames.ChecksumProblem(back, back.Length));
    }

    [Fact]
    public void IcmpErrorFromTheWanIsMatchedAndTranslatedInsideAndOut()
    {
        var rig = new RouterRig();
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, Remote, 40000, 53));
        rig.FromLan(rig.LanUdp(40000, 53)); // second host: gets a non-preserved port
        byte[] sent = rig.Wan.Sent[1];
        int mapped = UdpDatagram.SourcePort(sent, 34);
        Assert.NotEqual(40000, mapped);

        var router = Frames.Ip("198.51.100.1");
        rig.FromWan(Frames.IcmpError(RouterWanMac, GatewayMac, router, RouterWan, IcmpMessage.TypeDestinationUnreachable, 3, sent, 20 + 8 + 4));
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(router, Ipv4Packet.Source(f, 14));
        Assert.Equal(Host, Ipv4Packet.Destination(f, 14));
        Assert.Equal(Host, Ipv4Packet.Source(f, 42));
        Assert.Equal(Remote, Ipv4Packet.Destination(f, 42));
        Assert.True(Ipv4Packet.HeaderChecksumValid(f, 42));
        Assert.Equal(40000, NetworkOrder.ReadUInt16(f, 62));
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
        // The quoted UDP checksum is fixed too: it must verify against the original (untranslated) datagram.
        byte[] original = rig.LanUdp(40000, 53);
        Assert.Equal(NetworkOrder.ReadUInt16(original, 40), NetworkOrder.ReadUInt16(f, 68));
        Assert.Equal(1, rig.Counters[Counters.IcmpErrorsTranslated]);
    }

    [Fact]
    public void UnmatchedIcmpErrorIsDropped()
    {
        var rig = new RouterRig();
        byte[] bogus = Frames.Udp(RouterWanMac, GatewayMac, RouterWan, Remote, 1111, 2222);
        rig.FromWan(Frames.IcmpError(RouterWanMac, GatewayMac, Remote, RouterWan, 3, 3, bogus));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(1, rig.Counters[Counters.DropIcmpErrorUnmatched]);
    }

    [Fact]
    public void SynMssIsClampedToTheWanMtu()
    {
        var rig = new RouterRig(settings: new RouterSettings { WanMtu = 1492 });
        byte[] options = { 2, 4, 0x05, 0xB4, 1, 1, 4, 2 }; // MSS 1460, NOP, NOP, SACK permitted
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Syn, options: options));
        byte[] f = rig.Wan.TakeOne();
        Assert.Equal(1452, NetworkOrder.ReadUInt16(f, 56));
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
        Assert.Equal(1, rig.Counters[Counters.MssClamped]);
    }

    [Fact]
    public void MisalignedMssOptionIsClampedWithAValidChecksum()
    {
        var rig = new RouterRig(settings: new RouterSettings { WanMtu = 1400 });
        byte[] options = { 1, 2, 4, 0x05, 0xB4, 1, 1, 0 }; // NOP first: the MSS value sits at an odd offset
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Syn, options: options));
        byte[] f = rig.Wan.TakeOne();
        Assert.Equal(1360, NetworkOrder.ReadUInt16(f, 57));
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
    }
}
