using System;
using Router.Link;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Link;

public class ArpTests
{
    private static readonly byte[] Zero = new byte[6];

    private static byte[] RequestFromHost(uint target, uint sender = 0, byte[] mac = null) =>
        Frames.Arp(Frames.Broadcast, mac ?? HostMac, ArpPacket.OperationRequest, mac ?? HostMac, sender == 0 ? Host : sender, Zero, target);

    [Fact]
    public void ARequestForTheRoutersAddressGetsThisExactReply()
    {
        var rig = new RouterRig(resolveNeighbours: false);
        rig.FromLan(RequestFromHost(RouterLan));
        byte[] reply = rig.Lan.TakeOne();
        Assert.Equal(Convert.FromHexString(
            "020000000002" + "020000000010" + "0806" +          // to the requester, from the router's LAN MAC
            "0001" + "0800" + "06" + "04" + "0002" +           // Ethernet/IPv4 reply
            "020000000010" + "c0a80101" +                      // sender: router LAN MAC, 192.168.1.1
            "020000000002" + "c0a80102"), reply);              // target: the host
        Assert.Equal(1, rig.Counters[Counters.ArpRepliesSent]);
        Assert.Equal(1, rig.Counters[Counters.Consumed]);
        rig.AssertAccounted();
    }

    [Fact]
    public void RequestsForOtherAddressesAreNotAnswered()
    {
        var rig = new RouterRig(resolveNeighbours: false);
        rig.FromLan(RequestFromHost(Frames.Ip("192.168.1.77")));
        rig.FromWan(Frames.Arp(Frames.Broadcast, GatewayMac, ArpPacket.OperationRequest, GatewayMac, Gateway, Zero, RouterLan)); // LAN address asked on the WAN
        Assert.Empty(rig.Lan.Sent);
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(2, rig.Counters[Counters.Consumed]);
    }

    [Fact]
    public void MalformedArpIsDroppedByReason()
    {
        var rig = new RouterRig(resolveNeighbours: false);
        byte[] good = RequestFromHost(RouterLan);
        rig.FromLan(good[..41]);                                  // truncated
        byte[] badHardware = (byte[])good.Clone(); badHardware[15] = 6; // hardware type 6
        rig.FromLan(badHardware);
        byte[] badOperation = (byte[])good.Clone(); badOperation[21] = 9;
        rig.FromLan(badOperation);
        Assert.Equal(3, rig.Counters[Counters.DropArpMalformed]);
        Assert.Empty(rig.Lan.Sent);
        rig.AssertAccounted();
    }

    [Fact]
    public void OnlyARequestAddressedToUsCreatesABinding()
    {
        var rig = new RouterRig(resolveNeighbours: false);
        rig.FromWan(Frames.Arp(Frames.Broadcast, GatewayMac, ArpPacket.OperationRequest, GatewayMac, Gateway, Zero, RouterWan));
        rig.FromLan(RequestFromHost(Frames.Ip("192.168.1.77"))); // overheard, not for us: no new binding (RFC 826 merge)
        rig.Wan.Sent.Clear();
        var cache = rig.Router.Arp.Cache;
        long now = rig.Clock.NowMilliseconds;
        Assert.NotEqual(ArpCache.NotFound, cache.Lookup(NetworkPort.Wan, Gateway, now));
        Assert.Equal(ArpCache.NotFound, cache.Lookup(NetworkPort.Lan, Host, now));
        Assert.Equal(ArpCache.NotFound, cache.Lookup(NetworkPort.Wan, Host, now)); // bindings are per port

        rig.FromLan(rig.LanUdp(40000, 53)); // gateway known: goes straight out
        Assert.Equal(GatewayMac, rig.Wan.TakeOne()[0..6]);
    }

    [Fact]
    public void OffLinkOrOwnAddressSendersAreNotLearned()
    {
        var rig = new RouterRig(resolveNeighbours: false);
        uint offLink = Frames.Ip("10.1.2.3");
        rig.FromLan(RequestFromHost(RouterLan, sender: offLink));
        rig.FromLan(RequestFromHost(RouterLan, sender: RouterLan, mac: Frames.Mac(0x66)));
        rig.Lan.Sent.Clear();
        var cache = rig.Router.Arp.Cache;
        Assert.Equal(ArpCache.NotFound, cache.Lookup(NetworkPort.Lan, offLink, rig.Clock.NowMilliseconds));
        Assert.Equal(ArpCache.NotFound, cache.Lookup(NetworkPort.Lan, RouterLan, rig.Clock.NowMilliseconds));
    }

    [Fact]
    public void AnExistingBindingIsUpdatedByAnyArpFromItsOwner()
    {
        var rig = new RouterRig();
        byte[] newMac = Frames.Mac(0x42);
        // A gratuitous ARP (the host announcing itself) after a NIC change.
        rig.FromLan(Frames.Arp(Frames.Broadcast, newMac, ArpPacket.OperationRequest, newMac, Host, Zero, Host));
        rig.FromLan(Frames.Udp(RouterLanMac, newMac, Host, Remote, 40000, 53));
        rig.Wan.Sent.Clear();
        rig.FromWan(rig.WanUdp(53, 40000));
        Assert.Equal(newMac, rig.Lan.TakeOne()[0..6]);
    }

    [Fact]
    public void PacketsAreHeldWhileResolvingAndFlushedOnTheReply()
    {
        var rig = new RouterRig(resolveNeighbours: false);
        rig.FromLan(rig.LanUdp(40000, 53));
        rig.FromLan(rig.LanUdp(40001, 53));
        Assert.Equal(2, rig.Router.HeldFrames);
        Assert.Equal(2, rig.Counters[Counters.ArpHeld]);
        byte[] request = rig.Wan.TakeOne(); // one request for both frames
        Assert.Equal(Convert.FromHexString(
            "ffffffffffff" + "020000000020" + "0806" +
            "0001" + "0800" + "06" + "04" + "0001" +
            "020000000020" + "cb007102" +
            "000000000000" + "cb007101"), request);
        rig.AssertAccounted();

        rig.FromWan(Frames.Arp(RouterWanMac, GatewayMac, ArpPacket.OperationReply, GatewayMac, Gateway, RouterWanMac, RouterWan));
        Assert.Equal(0, rig.Router.HeldFrames);
        Assert.Equal(2, rig.Wan.Sent.Count);
        foreach (byte[] f in rig.Wan.Sent)
        {
            Assert.Equal(GatewayMac, f[0..6]);
            Assert.Equal(RouterWanMac, f[6..12]);
            Assert.Equal(RouterWan, Ipv4Packet.Source(f, 14));
            Assert.Null(Frames.ChecksumProblem(f, f.Length));
        }
        Assert.Equal(40000, UdpDatagram.SourcePort(rig.Wan.Sent[0], 34));
        Assert.Equal(40001, UdpDatagram.SourcePort(rig.Wan.Sent[1], 34));
        Assert.Equal(2, rig.Counters[Counters.Forwarded]);
        rig.AssertAccounted();
    }

    [Fact]
    public void RequestsAreRetriedThenTheHeldFrameIsDroppedAndCounted()
    {
        var rig = new RouterRig(resolveNeighbours: false);
        rig.FromLan(rig.LanUdp(40000, 53));
        Assert.Single(rig.Wan.Sent);

        rig.Clock.Advance(999);
        rig.Router.Poll(1);
        Assert.Single(rig.Wan.Sent); // retry gap not yet over
        rig.Clock.Advance(1);
        rig.Router.Poll(1);
        Assert.Equal(2, rig.Wan.Sent.Count);
        rig.Clock.Advance(1000);
        rig.Router.Poll(1);
        Assert.Equal(3, rig.Wan.Sent.Count);
        Assert.Equal(1, rig.Router.HeldFrames);
        Assert.Equal(3, rig.Counters[Counters.ArpRequestsSent]);

        rig.Clock.Advance(1000);
        rig.Router.Poll(1);
        Assert.Equal(3, rig.Wan.Sent.Count); // gave up: no fourth request
        Assert.Equal(0, rig.Router.HeldFrames);
        Assert.Equal(1, rig.Counters[Counters.DropArpTimeout]);
        rig.AssertAccounted();

        // A later packet starts a fresh resolution.
        rig.FromLan(rig.LanUdp(40000, 53));
        Assert.Equal(4, rig.Wan.Sent.Count);
        Assert.Equal(1, rig.Router.HeldFrames);
    }

    [Fact]
    public void AFullHoldQueueDropsAndCounts()
    {
        var rig = new RouterRig(capacities: new Capacities { ArpPending = 4 }, resolveNeighbours: false);
        for (int i = 0; i < 6; i++) rig.FromLan(rig.LanUdp(40000 + i, 53));
        Assert.Equal(4, rig.Router.HeldFrames);
        Assert.Equal(2, rig.Counters[Counters.DropArpQueueFull]);
        Assert.Single(rig.Wan.Sent); // a single request
        rig.AssertAccounted();
    }

    [Fact]
    public void AStaleBindingIsResolvedAgain()
    {
        var rig = new RouterRig();
        rig.Clock.Advance(rig.Router.Arp.Cache.ReachableMilliseconds + 1);
        rig.FromLan(rig.LanUdp(40000, 53));
        Assert.Equal(1, rig.Router.HeldFrames);
        Assert.Equal(EthernetFrame.EtherTypeArp, EthernetFrame.EtherType(rig.Wan.TakeOne(), 0));
    }

    [Fact]
    public void AFullCacheReplacesTheLeastRecentlyUsedBinding()
    {
        var cache = new ArpCache(2);
        byte[] mac = Frames.Mac(9);
        cache.Learn(0, 1, mac, 0, 100, true);
        cache.Learn(0, 2, mac, 0, 200, true);
        cache.Learn(0, 3, mac, 0, 300, true);
        Assert.Equal(ArpCache.NotFound, cache.Lookup(0, 1, 300));
        Assert.NotEqual(ArpCache.NotFound, cache.Lookup(0, 2, 300));
        Assert.NotEqual(ArpCache.NotFound, cache.Lookup(0, 3, 300));
        cache.Learn(0, 7, mac, 0, 400, false); // update-only: unknown address is ignored
        Assert.Equal(ArpCache.NotFound, cache.Lookup(0, 7, 400));
    }
}
