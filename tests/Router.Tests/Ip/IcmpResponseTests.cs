using System;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Ip;

public class IcmpResponseTests
{
    private static byte[] Echo(byte[] dstMac, byte[] srcMac, uint src, uint dst) =>
        Frames.Icmp(dstMac, srcMac, src, dst, IcmpMessage.TypeEchoRequest, 0, 0x1234, 1);

    [Fact]
    public void TtlExpiryAnswersTimeExceededQuotingTheOriginalHeader()
    {
        var rig = new RouterRig();
        rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53, ttl: 1));
        byte[] error = rig.Lan.TakeOne();
        // Computed by hand: IPv4 192.168.1.1 -> 192.168.1.2 (id 1, TTL 64, checksum f770), ICMP type 11 code 0 (checksum e508),
        // quoting the untranslated header (TTL 1, checksum cde7) and the first 8 bytes of the UDP datagram.
        Assert.Equal(Convert.FromHexString(
            "020000000002" + "020000000010" + "0800" +
            "45000038000100004001f770c0a80101c0a80102" +
            "0b00e50800000000" +
            "45000020000100000111cde7c0a80102c6336407" +
            "9c400035000c7375"), error);
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(1, rig.Counters[Counters.DropTtlExpired]);
        Assert.Equal(1, rig.Counters[Counters.TimeExceededSent]);
        rig.AssertAccounted();
    }

    [Fact]
    public void TtlTwoIsForwardedWithTtlOne()
    {
        var rig = new RouterRig();
        rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53, ttl: 2));
        byte[] f = rig.Wan.TakeOne();
        Assert.Equal(1, Ipv4Packet.Ttl(f, 14));
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
    }

    [Fact]
    public void IcmpErrorsAreRateLimited()
    {
        var rig = new RouterRig(settings: new RouterSettings { IcmpErrorsPerSecond = 10, IcmpErrorBurst = 10 });
        for (int i = 0; i < 15; i++) rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000 + i, 53, ttl: 1));
        Assert.Equal(10, rig.Lan.Sent.Count);
        Assert.Equal(5, rig.Counters[Counters.IcmpRateLimited]);
        Assert.Equal(15, rig.Counters[Counters.DropTtlExpired]);

        rig.Lan.Sent.Clear();
        rig.Clock.Advance(100); // one token per 100 ms
        for (int i = 0; i < 3; i++) rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53, ttl: 1));
        Assert.Single(rig.Lan.Sent);

        rig.Lan.Sent.Clear();
        rig.Clock.Advance(60_000); // refills to the burst, no further
        for (int i = 0; i < 12; i++) rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53, ttl: 1));
        Assert.Equal(10, rig.Lan.Sent.Count);
        rig.AssertAccounted();
    }

    [Fact]
    public void NoErrorIsSentAboutAnIcmpErrorOrABroadcast()
    {
        var rig = new RouterRig();
        byte[] offending = Frames.Udp(RouterLanMac, HostMac, Remote, Host, 53, 40000);
        rig.FromLan(Frames.Icmp(RouterLanMac, HostMac, Host, Remote, IcmpMessage.TypeDestinationUnreachable, 3, 0, 0, offending[14..42], ttl: 1));
        Assert.Empty(rig.Lan.Sent); // no ICMP error about an ICMP error
        byte[] toBroadcastMac = Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53, ttl: 1);
        Array.Fill(toBroadcastMac, (byte)0xFF, 0, 6);
        rig.FromLan(toBroadcastMac);
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(2, rig.Counters[Counters.DropTtlExpired]);
        Assert.Equal(0, rig.Counters[Counters.IcmpRateLimited]);
    }

    [Fact]
    public void EchoToTheRoutersLanAddressIsAnsweredWithTheseBytes()
    {
        var rig = new RouterRig(resolveNeighbours: false);
        rig.FromLan(Echo(RouterLanMac, HostMac, Host, RouterLan));
        byte[] reply = rig.Lan.TakeOne();
        Assert.Equal(Convert.FromHexString(
            "020000000002" + "020000000010" + "0800" +
            "4500001e000700004001f784c0a80101c0a80102" +
            "000041fd12340001abcd"), reply);
        Assert.Equal(1, rig.Counters[Counters.EchoReplies]);
        Assert.Equal(1, rig.Counters[Counters.Consumed]);
        rig.AssertAccounted();
    }

    [Fact]
    public void EchoToTheRoutersWanAddressFromTheLanIsAnsweredFromThatAddress()
    {
        var rig = new RouterRig();
        rig.FromLan(Echo(RouterLanMac, HostMac, Host, RouterWan));
        byte[] reply = rig.Lan.TakeOne();
        Assert.Equal(HostMac, reply[0..6]);
        Assert.Equal(RouterWan, Ipv4Packet.Source(reply, 14));
        Assert.Equal(Host, Ipv4Packet.Destination(reply, 14));
        Assert.Equal(IcmpMessage.TypeEchoReply, reply[34]);
        Assert.Equal(0x1234, IcmpMessage.Identifier(reply, 34));
        Assert.Null(Frames.ChecksumProblem(reply, reply.Length));
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(0, rig.Router.Connections.Count);
        rig.AssertAccounted();
    }

    [Fact]
    public void EchoToTheRoutersWanAddressFromOutsideIsAnswered()
    {
        var rig = new RouterRig();
        rig.FromWan(Echo(RouterWanMac, GatewayMac, Remote, RouterWan));
        byte[] reply = rig.Wan.TakeOne();
        Assert.Equal(GatewayMac, reply[0..6]);
        Assert.Equal(RouterWanMac, reply[6..12]);
        Assert.Equal(RouterWan, Ipv4Packet.Source(reply, 14));
        Assert.Equal(Remote, Ipv4Packet.Destination(reply, 14));
        Assert.Equal(64, Ipv4Packet.Ttl(reply, 14));
        Assert.Equal(IcmpMessage.TypeEchoReply, reply[34]);
        Assert.Null(Frames.ChecksumProblem(reply, reply.Length));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(1, rig.Counters[Counters.EchoReplies]);
        rig.AssertAccounted();
    }

    [Fact]
    public void DontFragmentAndTooBigAnswersFragmentationNeededWithTheMtu()
    {
        var rig = new RouterRig(settings: new RouterSettings { WanMtu = 1400 });
        byte[] big = Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53, new byte[1401 - 28]);
        IpTestFrames.Fragment(big, Ipv4Packet.FlagDontFragment, 0);
        rig.FromLan(big);
        byte[] error = rig.Lan.TakeOne();
        Assert.Equal(RouterLan, Ipv4Packet.Source(error, 14));
        Assert.Equal(Host, Ipv4Packet.Destination(error, 14));
        Assert.Equal(56, Ipv4Packet.TotalLength(error, 14));
        Assert.Equal(Convert.FromHexString("0304"), error[34..36]);       // destination unreachable, fragmentation needed
        Assert.Equal(Convert.FromHexString("00000578"), error[38..42]);   // next-hop MTU 1400
        Assert.Equal(big[14..(14 + 28)], error[42..70]);                  // the original header and 8 bytes
        Assert.Null(Frames.ChecksumProblem(error, error.Length));
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(1, rig.Counters[Counters.DropTooBig]);

        byte[] fits = Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53, new byte[1400 - 28]);
        IpTestFrames.Fragment(fits, Ipv4Packet.FlagDontFragment, 0);
        rig.FromLan(fits);
        Assert.Equal(1414, rig.Wan.TakeOne().Length);
        rig.AssertAccounted();
    }

    [Fact]
    public void TooBigWithoutDontFragmentIsDroppedSilently()
    {
        // The router does not fragment: such packets are counted as too big, with no ICMP.
        var rig = new RouterRig(settings: new RouterSettings { WanMtu = 1400 });
        rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53, new byte[1401 - 28]));
        Assert.Empty(rig.Lan.Sent);
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(1, rig.Counters[Counters.DropTooBig]);
    }

    [Fact]
    public void IpOptionsAreForwardedIntactAndTheTransportFoundAfterThem()
    {
        var rig = new RouterRig();
        byte[] routerAlert = { 0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00 }; // router alert, NOP, NOP, NOP, EOL: IHL 7
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, Remote, 40000, 53)); // takes port 40000 so Host's is rewritten
        rig.Wan.Sent.Clear();
        byte[] withOptions = IpTestFrames.WithOptions(rig.LanUdp(40000, 53, payload: new byte[] { 9, 8, 7 }), routerAlert);
        rig.FromLan(withOptions);
        byte[] f = rig.Wan.TakeOne();
        Assert.Equal(28, Ipv4Packet.HeaderLength(f, 14));
        Assert.Equal(routerAlert, f[34..42]);
        Assert.Equal(RouterWan, Ipv4Packet.Source(f, 14));
        int mapped = UdpDatagram.SourcePort(f, 42);
        Assert.NotEqual(40000, mapped);
        Assert.Equal(53, UdpDatagram.DestinationPort(f, 42));
        Assert.Equal(new byte[] { 9, 8, 7 }, f[50..53]);
        Assert.Null(Frames.ChecksumProblem(f, f.Length));

        byte[] reply = IpTestFrames.WithOptions(rig.WanUdp(53, mapped), routerAlert);
        rig.FromWan(reply);
        byte[] back = rig.Lan.TakeOne();
        Assert.Equal(Host, Ipv4Packet.Destination(back, 14));
        Assert.Equal(40000, UdpDatagram.DestinationPort(back, 42));
        Assert.Null(Frames.ChecksumProblem(back, back.Length));
        rig.AssertAccounted();
    }
}
