using Router.Link;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Security;

/// <summary>
/// Issue 14 part 5: ARP never learns a broadcast, multicast or zero MAC, nor a binding for one of the router's own
/// addresses; such packets are dropped, counted and not answered. Uses only main's APIs (it failed against main's code).
/// </summary>
public class ArpLearningRulesTests
{
    private static readonly byte[] Zero = new byte[6];
    private static readonly uint Newcomer = Frames.Ip("192.168.1.50");

    [Theory]
    [InlineData("ffffffffffff")]
    [InlineData("01005e000001")] // IPv4 multicast
    [InlineData("333300000001")] // IPv6 multicast
    [InlineData("000000000000")]
    public void AGroupOrZeroSenderMacIsNeverLearned(string hex)
    {
        byte[] mac = System.Convert.FromHexString(hex);
        var rig = new RouterRig(resolveNeighbours: false);
        rig.FromLan(Frames.Arp(Frames.Broadcast, HostMac, ArpPacket.OperationRequest, mac, Newcomer, Zero, RouterLan));
        Assert.Equal(ArpCache.NotFound, rig.Router.Arp.Cache.Lookup(NetworkPort.Lan, Newcomer, rig.Clock.NowMilliseconds));
        Assert.Empty(rig.Lan.Sent); // not answered either
        Assert.Equal(1, NamedCounters.Read(rig.Counters, "drop_arp_bogus_sender"));
        rig.AssertAccounted();
    }

    [Fact]
    public void AKnownHostCannotBeRedirectedToBroadcast()
    {
        var rig = new RouterRig();
        rig.FromLan(Frames.Arp(Frames.Broadcast, HostMac, ArpPacket.OperationReply, Frames.Broadcast, Host, Zero, Host)); // gratuitous
        rig.FromLan(rig.LanUdp(40000, 53));
        rig.FromWan(rig.WanUdp(53, 40000));
        Assert.Equal(HostMac, rig.Lan.TakeOne()[0..6]);
        Assert.Equal(1, NamedCounters.Read(rig.Counters, "drop_arp_bogus_sender"));
    }

    [Fact]
    public void AnArpClaimingTheRoutersOwnAddressIsDroppedOnEitherPort()
    {
        var rig = new RouterRig(resolveNeighbours: false);
        byte[] mallory = Frames.Mac(0x66);
        rig.FromLan(Frames.Arp(Frames.Broadcast, mallory, ArpPacket.OperationRequest, mallory, RouterLan, Zero, RouterLan));
        rig.FromWan(Frames.Arp(Frames.Broadcast, mallory, ArpPacket.OperationRequest, mallory, RouterWan, Zero, RouterWan));
        Assert.Empty(rig.Lan.Sent);
        Assert.Empty(rig.Wan.Sent);
        long now = rig.Clock.NowMilliseconds;
        Assert.Equal(ArpCache.NotFound, rig.Router.Arp.Cache.Lookup(NetworkPort.Lan, RouterLan, now));
        Assert.Equal(ArpCache.NotFound, rig.Router.Arp.Cache.Lookup(NetworkPort.Wan, RouterWan, now));
        Assert.Equal(2, NamedCounters.Read(rig.Counters, "drop_arp_bogus_sender"));
    }
}
