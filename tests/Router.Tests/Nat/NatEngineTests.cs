using Router.Conntrack;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Nat;

public class NatEngineTests
{
    [Fact]
    public void AnExpiredConnectionIsFreedWhenItsNextPacketLooksItUp()
    {
        var rig = new RouterRig(settings: new RouterSettings { SweepPerMillisecond = 0 });
        rig.FromLan(rig.LanUdp(40000, 53));
        rig.Wan.Sent.Clear();
        var ct = rig.Router.Connections;
        Assert.Equal(1, ct.Count);

        rig.Clock.Advance(120_000);
        rig.FromWan(rig.WanUdp(53, 40000)); // exactly 120 s idle: still alive
        Assert.Single(rig.Lan.Sent);
        rig.Lan.Sent.Clear();

        rig.Clock.Advance(301_000); // assured UDP: 300 s
        rig.FromWan(rig.WanUdp(53, 40000));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(1, ct.Expired);
        Assert.Equal(0, ct.Count);
        Assert.Equal(0, rig.Router.Nat.Mappings.Count); // the mapping went with its last connection
        Assert.Equal(1, rig.Counters[Counters.DropUnsolicited]);
        rig.AssertAccounted();
    }

    [Fact]
    public void AnExpiredConnectionFoundFromTheInsideIsReplacedByANewOne()
    {
        var rig = new RouterRig(settings: new RouterSettings { SweepPerMillisecond = 0 });
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Syn));
        rig.Clock.Advance((new ConntrackTimeouts().Tcp(TcpState.SynSent) + 1) * 1000L);
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Syn));
        var ct = rig.Router.Connections;
        Assert.Equal(1, ct.Expired);
        Assert.Equal(2, ct.Created);
        Assert.Equal(2, rig.Wan.Sent.Count);
    }

    [Fact]
    public void TheSweepExpiresIdleConnectionsDuringPolls()
    {
        var rig = new RouterRig(capacities: new Capacities { Connections = 64 });
        for (int i = 0; i < 10; i++) rig.FromLan(rig.LanUdp(40000 + i, 53));
        rig.Clock.Advance(121_000);
        for (int i = 0; i < 4; i++) rig.Router.Poll(1); // 16 entries a poll: the whole table
        Assert.Equal(0, rig.Router.Connections.Count);
        Assert.Equal(10, rig.Router.Connections.Expired);
    }

    [Fact]
    public void AFullTableOfAssuredConnectionsRefusesNewOnesAndCountsTheDrop()
    {
        var rig = new RouterRig(capacities: new Capacities { Connections = 2 });
        for (int i = 0; i < 2; i++)
        {
            rig.FromLan(rig.LanUdp(40000 + i, 53));
            rig.FromWan(rig.WanUdp(53, 40000 + i)); // a reply assures it
        }
        rig.FromLan(rig.LanUdp(40009, 53));
        Assert.Equal(1, rig.Counters[Counters.DropConntrackFull]);
        Assert.Equal(1, rig.Router.Connections.RefusedFull);
        Assert.Equal(2, rig.Router.Nat.Mappings.Count); // the refused flow's mapping was given back
        rig.AssertAccounted();
    }

    [Fact]
    public void AnUnassuredConnectionIsEvictedForANewOne()
    {
        var rig = new RouterRig(capacities: new Capacities { Connections = 2 });
        rig.FromLan(rig.LanUdp(40000, 53));
        rig.FromWan(rig.WanUdp(53, 40000));
        rig.FromLan(rig.LanUdp(40001, 53)); // never answered
        rig.FromLan(rig.LanUdp(40002, 53));
        var ct = rig.Router.Connections;
        Assert.Equal(1, ct.Evicted);
        Assert.True(ct.Find(IpProtocol.Udp, Host, Remote, 40000, 53) >= 0);
        Assert.True(ct.Find(IpProtocol.Udp, Host, Remote, 40001, 53) < 0);
        Assert.True(ct.Find(IpProtocol.Udp, Host, Remote, 40002, 53) >= 0);
    }

    [Fact]
    public void TcpFinCloseThroughTheRouterAndInvalidSegmentsDropped()
    {
        var rig = new RouterRig();
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Syn));
        rig.FromWan(rig.WanTcp(80, 50000, TcpSegment.Syn | TcpSegment.Ack, 5000, 1001));
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Ack, 1001, 5001));
        rig.FromWan(rig.WanTcp(80, 50000, TcpSegment.Fin | TcpSegment.Ack, 5001, 1001));
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Ack, 1001, 5002));
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Fin | TcpSegment.Ack, 1001, 5002));
        rig.FromWan(rig.WanTcp(80, 50000, TcpSegment.Ack, 5002, 1002));
        var ct = rig.Router.Connections;
        int node = ct.Find(IpProtocol.Tcp, Host, Remote, 50000, 80);
        Assert.Equal(TcpState.TimeWait, ct.State(node >> 1));
        Assert.Equal(0, rig.Counters.DroppedTotal);

        rig.FromWan(rig.WanTcp(80, 50000, 0, 5002, 1002)); // no flags
        Assert.Equal(1, rig.Counters[Counters.DropTcpInvalid]);
        rig.AssertAccounted();
    }

    [Fact]
    public void EvictingAMappingsLastConnectionToAdmitAnInboundOneThroughItDoesNotCrash()
    {
        // Found by the fuzz test: making room freed the mapping the new inbound connection was about to attach to.
        var rig = new RouterRig(capacities: new Capacities { Connections = 1 });
        rig.FromLan(rig.LanUdp(40000, 53)); // unassured: evictable
        rig.Wan.Sent.Clear();
        rig.FromWan(rig.WanUdp(9999, 40000)); // same remote host, new port: address-dependent filtering would admit it
        Assert.Empty(rig.Lan.Sent); // the mapping went with the evicted connection, so nothing admits it any more
        Assert.Equal(1, rig.Counters[Counters.DropUnsolicited]);
        Assert.Equal(1, rig.Router.Connections.Evicted);
        Assert.Equal(0, rig.Router.Nat.Mappings.Count);
        rig.AssertAccounted();
    }

    [Fact]
    public void EvictingAMappingsLastConnectionForANewOutboundOneKeepsTheMappingConsistent()
    {
        var rig = new RouterRig(capacities: new Capacities { Connections = 1 });
        rig.FromLan(rig.LanUdp(40000, 53));
        rig.FromLan(rig.LanUdp(40000, 53, dst: Frames.Ip("198.51.100.50"))); // evicts the first flow, which held the mapping
        Assert.Equal(2, rig.Wan.Sent.Count);
        Assert.Equal(1, rig.Router.Connections.Evicted);
        var mappings = rig.Router.Nat.Mappings;
        Assert.Equal(1, mappings.Count);
        int m = mappings.FindByInternal(IpProtocol.Udp, Host, 40000);
        Assert.True(m >= 0);
        Assert.Equal(UdpDatagram.SourcePort(rig.Wan.Sent[1], 34), mappings.ExternalPort(m));
        Assert.Equal(m, mappings.MappingOf(rig.Router.Connections.Find(IpProtocol.Udp, Host, Frames.Ip("198.51.100.50"), 40000, 53) >> 1));
    }

    [Fact]
    public void UnsolicitedInboundNeverEvictsAPendingConnectionFromAFullTable()
    {
        var rig = new RouterRig(new Capacities { Connections = 4, NatMappings = 4 });
        for (int port = 40000; port < 40004; port++) rig.FromLan(rig.LanUdp(port, 53)); // four unreplied, evictable flows
        var table = rig.Router.Connections;
        Assert.Equal(table.Capacity, table.Count);

        for (int port = 1; port <= 100; port++) rig.FromWan(rig.WanTcp(1234, port, TcpSegment.Syn));
        rig.FromWan(rig.WanUdp(5353, 40000, src: Frames.Ip("198.51.100.99"))); // a mapped port, but a host never contacted

        Assert.Equal(0, table.Evicted);
        Assert.Equal(table.Capacity, table.Count);
        Assert.Equal(101, rig.Counters[Counters.DropUnsolicited]);
        rig.AssertAccounted();
    }
}
