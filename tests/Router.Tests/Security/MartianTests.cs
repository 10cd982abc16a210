using Router.Tests.Dhcp;
using Router.Tests.Ip;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Security;

/// <summary>
/// Issue 14 part 4: martian addresses, source routes, tiny TCP fragments and echo to broadcast are dropped and
/// counted in both directions (only main's APIs are used, so this file also ran against main's code, where it failed).
/// </summary>
public class MartianTests
{
    private static void AssertOnlyDrop(RouterRig rig, string counter)
    {
        Assert.Equal(1, NamedCounters.Read(rig.Counters, counter));
        Assert.Equal(1, rig.Counters.DroppedTotal);
        Assert.Empty(rig.Lan.Sent);
        Assert.Empty(rig.Wan.Sent);
        rig.AssertAccounted();
    }

    [Theory]
    [InlineData("0.0.0.0")]        // not a DHCP client
    [InlineData("0.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("224.0.0.5")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    public void MartianSourcesFromTheWanAreDropped(string source)
    {
        var rig = new RouterRig();
        rig.FromWan(Frames.Udp(RouterWanMac, GatewayMac, Frames.Ip(source), RouterWan, 53, 40000));
        AssertOnlyDrop(rig, "drop_martian_source");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("224.0.0.251")]
    [InlineData("240.0.0.1")]
    [InlineData("0.0.0.0")]
    public void MartianSourcesFromTheLanAreDropped(string source)
    {
        var rig = new RouterRig();
        rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Frames.Ip(source), Remote, 40000, 53));
        AssertOnlyDrop(rig, "drop_martian_source");
    }

    [Fact]
    public void TheRoutersOwnWanAddressAsSourceFromTheWanIsDropped()
    {
        var rig = new RouterRig();
        rig.FromLan(rig.LanUdp(40000, 53)); // a flow the forged packet would otherwise hit
        rig.Wan.Sent.Clear();
        long before = rig.Counters.DroppedTotal;
        rig.FromWan(Frames.Udp(RouterWanMac, GatewayMac, RouterWan, RouterWan, 53, 40000));
        Assert.Equal(1, NamedCounters.Read(rig.Counters, "drop_martian_source"));
        Assert.Equal(before + 1, rig.Counters.DroppedTotal);
        Assert.Empty(rig.Lan.Sent);
    }

    [Theory]
    [InlineData("0.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("224.0.0.251")]
    public void MartianDestinationsFromTheLanAreNotForwarded(string destination)
    {
        var rig = new RouterRig();
        rig.FromLan(rig.LanUdp(40000, 5353, dst: Frames.Ip(destination)));
        AssertOnlyDrop(rig, "drop_martian_destination");
    }

    [Fact]
    public void TheLimitedBroadcastIsDroppedUnlessItIsDhcpToTheRouter()
    {
        var rig = new RouterRig();
        rig.FromLan(Frames.Udp(Frames.Broadcast, HostMac, Host, Ipv4Address.Broadcast, 17500, 17500)); // LAN sync chatter
        AssertOnlyDrop(rig, "drop_martian_destination");
        rig.FromWan(Frames.Udp(Frames.Broadcast, GatewayMac, Gateway, Ipv4Address.Broadcast, 137, 137));
        Assert.Equal(2, NamedCounters.Read(rig.Counters, "drop_martian_destination"));

        // DHCP to the router still works: a DISCOVER from 0.0.0.0 to 255.255.255.255 is answered.
        var dhcp = new DhcpRig();
        byte[] mac = Frames.Mac(0x55);
        Assert.NotEqual(0u, dhcp.Lease(mac, 7));
        Assert.Equal(0, NamedCounters.Read(dhcp.Router.Counters, "drop_martian_source"));
        Assert.Equal(0, NamedCounters.Read(dhcp.Router.Counters, "drop_martian_destination"));
    }

    [Theory]
    [InlineData(0x83)] // loose source and record route
    [InlineData(0x89)] // strict source and record route
    public void SourceRoutedPacketsAreDroppedBothWays(int option)
    {
        byte[] route = { (byte)option, 7, 4, 198, 51, 100, 9, 0 }; // one hop, then end of options
        var rig = new RouterRig();
        rig.FromLan(IpTestFrames.WithOptions(rig.LanUdp(40000, 53), route));
        AssertOnlyDrop(rig, "drop_source_routed");

        var inbound = new RouterRig();
        inbound.FromLan(inbound.LanUdp(40000, 53));
        inbound.Wan.Sent.Clear();
        inbound.FromWan(IpTestFrames.WithOptions(inbound.WanUdp(53, 40000), route));
        Assert.Equal(1, NamedCounters.Read(inbound.Counters, "drop_source_routed"));
        Assert.Empty(inbound.Lan.Sent);
    }

    [Fact]
    public void HarmlessOptionsStillPass()
    {
        var rig = new RouterRig();
        rig.FromLan(IpTestFrames.WithOptions(rig.LanUdp(40000, 53), new byte[] { 0x94, 4, 0, 0 })); // router alert
        Assert.Single(rig.Wan.Sent);
        Assert.Equal(0, rig.Counters.DroppedTotal);
    }

    [Fact]
    public void ATcpFragmentAtOffsetOneIsDropped()
    {
        // RFC 1858 3.4: a fragment at offset 8 bytes can rewrite the first fragment's TCP flags after a filter passed it.
        var rig = new RouterRig();
        rig.FromLan(rig.LanTcp(40000, 80, TcpSegment.Syn));
        int outside = TcpSegment.SourcePort(rig.Wan.TakeOne(), 34);
        rig.FromWan(rig.WanTcp(80, outside, TcpSegment.Syn | TcpSegment.Ack, 5000, 1001));
        rig.FromLan(IpTestFrames.Fragment(rig.LanTcp(40000, 80, TcpSegment.Ack, 1001, 5001, payload: new byte[32]), Ipv4Packet.FlagMoreFragments, 0));
        Assert.Single(rig.Wan.Sent); // the first fragment passes
        rig.Lan.Sent.Clear();
        rig.Wan.Sent.Clear();
        byte[] overlap = IpTestFrames.Fragment(rig.LanTcp(40000, 80, TcpSegment.Ack, 1001, 5001, payload: new byte[32]), 0, 8);
        long before = rig.Counters.DroppedTotal;
        rig.FromLan(overlap);
        Assert.Equal(1, NamedCounters.Read(rig.Counters, "drop_tiny_fragment"));
        Assert.Equal(before + 1, rig.Counters.DroppedTotal);
        Assert.Empty(rig.Wan.Sent);
    }

    [Theory]
    [InlineData("255.255.255.255")]
    [InlineData("192.168.1.255")]
    [InlineData("224.0.0.1")]
    public void EchoRequestsToBroadcastOrMulticastGetNoReply(string destination)
    {
        var rig = new RouterRig();
        uint to = Frames.Ip(destination);
        rig.FromLan(Frames.Icmp(to == RouterLan ? RouterLanMac : Frames.Broadcast, HostMac, Host, to, IcmpMessage.TypeEchoRequest, 0, 1, 1));
        Assert.Empty(rig.Lan.Sent);
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(0, rig.Counters[Counters.EchoReplies]);
        Assert.Equal(1, rig.Counters.DroppedTotal);
    }
}
