using Router.Config;
using Router.Rules;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Rules;

public class PortTriggerPathTests
{
    private const int IdleTimeout = 30;

    /// <summary>A LAN host sending to UDP 6000-6001 opens TCP and UDP 7000-7002 to itself for 30 idle seconds.</summary>
    private static RouterRig WithGameTrigger()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        PortTrigger t = c.AddTrigger();
        t.Name = "game";
        t.TriggerProtocol = RuleProtocol.Udp;
        t.TriggerPort = 6000;
        t.TriggerPortEnd = 6001;
        t.OpenProtocol = RuleProtocol.Both;
        t.OpenPort = 7000;
        t.OpenPortEnd = 7002;
        t.IdleTimeoutSeconds = IdleTimeout;
        PortForwardPathTests.Apply(rig, c);
        return rig;
    }

    private static uint Now(RouterRig rig) => (uint)(rig.Clock.NowMilliseconds / 1000);

    [Fact]
    public void TriggerOpensOnOutboundTrafficAndClosesAfterItsIdleTimeout()
    {
        var rig = WithGameTrigger();
        var triggers = rig.Firmware.Triggers;

        rig.FromWan(rig.WanUdp(9000, 7001)); // not yet triggered
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(PortTriggerTable.NoHolder, triggers.HolderOf(0, Now(rig)));

        rig.FromLan(rig.LanUdp(40000, 6000)); // Host triggers it
        rig.Wan.TakeOne();
        Assert.Equal(Host, triggers.HolderOf(0, Now(rig)));
        Assert.Equal(IdleTimeout, triggers.SecondsLeft(0, Now(rig)));

        rig.FromWan(rig.WanUdp(9000, 7001, src: Frames.Ip("198.51.100.99")));
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(HostMac, f[0..6]);
        Assert.Equal(Host, Ipv4Packet.Destination(f, 14));
        Assert.Equal(7001, UdpDatagram.DestinationPort(f, 34));
        Assert.Null(Frames.ChecksumProblem(f, f.Length));

        rig.Clock.Advance(20_000);
        rig.FromWan(rig.WanTcp(9001, 7002, TcpSegment.Syn)); // within the timeout (and it refreshes it)
        Assert.Equal(7002, TcpSegment.DestinationPort(rig.Lan.TakeOne(), 34));

        rig.Clock.Advance((IdleTimeout + 1) * 1000L);
        Assert.Equal(PortTriggerTable.NoHolder, triggers.HolderOf(0, Now(rig)));
        rig.FromWan(rig.WanTcp(9002, 7000, TcpSegment.Syn));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(2, rig.Counters[Counters.DropUnsolicited]);
        rig.AssertAccounted();
    }

    [Fact]
    public void OneHostHoldsATriggerAtATimeAndTheNextTakesItWhenItIsReleased()
    {
        var rig = WithGameTrigger();
        var triggers = rig.Firmware.Triggers;
        rig.FromLan(rig.LanUdp(40000, 6000));
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, Remote, 40001, 6001));
        Assert.Equal(2, rig.Wan.Sent.Count); // both outbound packets still go out
        Assert.Equal(Host, triggers.HolderOf(0, Now(rig)));
        Assert.Equal(1, triggers.RefusedBusy);

        rig.Clock.Advance((IdleTimeout + 1) * 1000L);
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, Remote, 40002, 6001));
        Assert.Equal(Host2, triggers.HolderOf(0, Now(rig)));
        rig.FromWan(rig.WanUdp(9000, 7000));
        Assert.Equal(Host2, Ipv4Packet.Destination(rig.Lan.TakeOne(), 14));
    }

    [Fact]
    public void OpenPortsAreReservedWhetherTheTriggerIsHeldOrNot()
    {
        var rig = WithGameTrigger();
        var triggers = rig.Firmware.Triggers;
        // Idle: a LAN host taking an open port now would capture the future holder's traffic (port shadowing).
        Assert.True(triggers.IsReserved(IpProtocol.Udp, 7001));
        Assert.False(rig.Router.Nat.Mappings.IsFree(IpProtocol.Udp, 7001));
        Assert.True(rig.Router.Nat.Mappings.IsFree(IpProtocol.Udp, 7003));

        rig.FromLan(rig.LanUdp(40000, 6000));
        Assert.True(triggers.IsReserved(IpProtocol.Udp, 7001));
        Assert.False(rig.Router.Nat.Mappings.IsFree(IpProtocol.Tcp, 7002));
        // A LAN connection from source port 7001 does not get the open port.
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, Remote, 7001, 53));
        Assert.NotEqual(7001, UdpDatagram.SourcePort(rig.Wan.Sent[^1], 34));

        rig.Clock.Advance((IdleTimeout + 1) * 1000L);
        Assert.True(triggers.IsReserved(IpProtocol.Udp, 7001));
    }

    [Fact]
    public void RemovingATriggerLiveCutsItsFlowsAndReleasesItsPorts()
    {
        var rig = WithGameTrigger();
        rig.FromLan(rig.LanUdp(40000, 6000));
        rig.FromWan(rig.WanTcp(9001, 7002, TcpSegment.Syn));
        Assert.Equal(2, rig.Router.Connections.Count);

        var edited = rig.Firmware.Config.Clone();
        edited.RemoveTriggerAt(0);
        PortForwardPathTests.Apply(rig, edited);
        Assert.Equal(1, rig.Firmware.Triggers.ConnectionsCut);
        Assert.Equal(1, rig.Router.Connections.Count); // the triggering outbound flow stays
        Assert.False(rig.Firmware.Triggers.IsReserved(IpProtocol.Tcp, 7002));
        rig.Lan.Sent.Clear();
        rig.FromWan(rig.WanTcp(9003, 7002, TcpSegment.Syn));
        Assert.Empty(rig.Lan.Sent);
    }

    [Fact]
    public void AnUnchangedTriggerKeepsItsHolderWhenOtherRulesChange()
    {
        var rig = WithGameTrigger();
        rig.FromLan(rig.LanUdp(40000, 6000));
        var edited = rig.Firmware.Config.Clone();
        PortForwardPathTests.Forward(edited, "web", RuleProtocol.Tcp, 8080, 8080, Host2, 80);
        PortForwardPathTests.Apply(rig, edited);
        Assert.Equal(Host, rig.Firmware.Triggers.HolderOf(0, Now(rig)));
    }
}
