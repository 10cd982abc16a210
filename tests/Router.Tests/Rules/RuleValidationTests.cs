using Router.Boards;
using Router.Config;
using Router.Rules;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;
using static Router.Tests.Rules.PortForwardPathTests;

namespace Router.Tests.Rules;

/// <summary>Every rejected change names its field, and a rejected change leaves everything as it was.</summary>
public class RuleValidationTests
{
    private static (RouterRig rig, RouterConfig config) RigWithWebForward()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        Forward(c, "web", RuleProtocol.Tcp, 8080, 8080, Host, 80);
        Apply(rig, c);
        return (rig, rig.Firmware.Config.Clone());
    }

    private static void AssertRejected(RouterRig rig, RouterConfig candidate, string field, string messagePart)
    {
        int forwardsBefore = rig.Firmware.Forwards.Count, triggersBefore = rig.Firmware.Triggers.Count;
        ValidationResult r = rig.Firmware.Apply(candidate);
        Assert.False(r.IsValid);
        Assert.Equal(field, r.Field);
        Assert.Contains(messagePart, r.Message);
        // Nothing changed: the tables and the configuration in force are as before, and the old forward still works.
        Assert.Equal(forwardsBefore, rig.Firmware.Forwards.Count);
        Assert.Equal(triggersBefore, rig.Firmware.Triggers.Count);
        Assert.Equal(forwardsBefore, rig.Firmware.Config.ForwardCount);
        rig.Lan.Sent.Clear();
        rig.FromWan(rig.WanTcp(41000 + rig.Lan.Sent.Count, 8080, TcpSegment.Syn, src: Frames.Ip("198.51.100." + (10 + forwardsBefore))));
        Assert.Equal(80, TcpSegment.DestinationPort(rig.Lan.TakeOne(), 34));
    }

    [Fact]
    public void OverlappingForwardsAreRejected()
    {
        var (rig, c) = RigWithWebForward();
        Forward(c, "alt", RuleProtocol.Both, 8000, 8090, Host2, 8000);
        AssertRejected(rig, c, "forwards[1].externalPort", "overlaps forward 'web' (TCP 8080)");
    }

    [Fact]
    public void SamePortForTheOtherProtocolOrADisabledRuleIsAccepted()
    {
        var (rig, c) = RigWithWebForward();
        Forward(c, "udp web", RuleProtocol.Udp, 8080, 8080, Host2, 80);
        Forward(c, "spare", RuleProtocol.Tcp, 8080, 8080, Host2, 80).Enabled = false;
        Assert.True(rig.Firmware.Apply(c).IsValid);
        Assert.Equal(3, rig.Firmware.Forwards.Count);
    }

    [Fact]
    public void ForwardClashingWithATriggersOpenRangeIsRejected()
    {
        var (rig, c) = RigWithWebForward();
        PortTrigger t = c.AddTrigger();
        t.Name = "irc dcc";
        t.TriggerPort = t.TriggerPortEnd = 6667;
        t.OpenPort = 8000;
        t.OpenPortEnd = 8100;
        AssertRejected(rig, c, "triggers[0].openPort", "overlaps forward 'web'");
    }

    [Fact]
    public void OverlappingTriggerOpenRangesAreRejected()
    {
        var (rig, c) = RigWithWebForward();
        for (int i = 0; i < 2; i++)
        {
            PortTrigger t = c.AddTrigger();
            t.Name = "t" + i;
            t.TriggerPort = t.TriggerPortEnd = 6000 + i;
            t.OpenProtocol = RuleProtocol.Udp;
            t.OpenPort = 7000 + i * 5;
            t.OpenPortEnd = 7009;
        }
        AssertRejected(rig, c, "triggers[1].openPort", "overlaps the open ports of trigger 't0' (UDP 7000-7009)");
    }

    [Fact]
    public void TheRoutersOwnServicePortsCannotBeForwarded()
    {
        var (rig, c) = RigWithWebForward();
        Forward(c, "dhcp", RuleProtocol.Udp, 60, 70, Host2, 60);
        AssertRejected(rig, c, "forwards[1].externalPort", "router's own UDP 68 (WAN DHCP client)");
    }

    [Fact]
    public void InternalHostOutsideTheLanIsRejected()
    {
        var (rig, c) = RigWithWebForward();
        Forward(c, "x", RuleProtocol.Tcp, 9000, 9000, Frames.Ip("10.0.0.5"), 80);
        AssertRejected(rig, c, "forwards[1].internalAddress", "10.0.0.5 is not a host on the LAN 192.168.1.0/24");
        c.Forwards[1].InternalAddress = Frames.Ip("192.168.1.255");
        AssertRejected(rig, c, "forwards[1].internalAddress", "not a host on the LAN");
        c.Forwards[1].InternalAddress = RouterLan;
        AssertRejected(rig, c, "forwards[1].internalAddress", "router's own LAN address");
    }

    [Theory]
    [InlineData(0, 0, 80, "forwards[1].externalPort", "1 to 65535")]
    [InlineData(65536, 65536, 80, "forwards[1].externalPort", "1 to 65535")]
    [InlineData(9000, 8999, 80, "forwards[1].externalPortEnd", "from 9000 to 65535")]
    [InlineData(9000, 65536, 80, "forwards[1].externalPortEnd", "from 9000 to 65535")]
    [InlineData(9000, 9000, 0, "forwards[1].internalPort", "1 to 65535")]
    [InlineData(9000, 9010, 65530, "forwards[1].internalPort", "runs past 65535")]
    public void PortsOutOfRangeAreRejected(int external, int externalEnd, int internalPort, string field, string message)
    {
        var (rig, c) = RigWithWebForward();
        Forward(c, "x", RuleProtocol.Tcp, external, externalEnd, Host2, internalPort);
        AssertRejected(rig, c, field, message);
    }

    [Fact]
    public void TriggerFieldsAreChecked()
    {
        var (rig, c) = RigWithWebForward();
        PortTrigger t = c.AddTrigger();
        t.Name = "t";
        t.TriggerPort = t.TriggerPortEnd = 6000;
        t.OpenPort = t.OpenPortEnd = 7000;
        t.IdleTimeoutSeconds = 0;
        AssertRejected(rig, c, "triggers[0].idleTimeoutSeconds", "1 to 86400");
        t.IdleTimeoutSeconds = 60;
        t.TriggerPort = 0;
        AssertRejected(rig, c, "triggers[0].triggerPort", "1 to 65535");
        t.TriggerPort = 6000;
        t.OpenProtocol = 4;
        AssertRejected(rig, c, "triggers[0].openProtocol", "TCP, UDP or both");
    }

    [Fact]
    public void NamesMustBePresentPrintableAndAtMost32Utf8Bytes()
    {
        var (rig, c) = RigWithWebForward();
        PortForward f = Forward(c, "", RuleProtocol.Tcp, 9000, 9000, Host2, 80);
        AssertRejected(rig, c, "forwards[1].name", "must not be empty");
        f.Name = "tab\there";
        AssertRejected(rig, c, "forwards[1].name", "control characters");
        f.Name = new string('€', 11); // 11 characters, 33 bytes of UTF-8
        AssertRejected(rig, c, "forwards[1].name", "at most 32 bytes");
        f.Name = new string('€', 10);
        Assert.True(rig.Firmware.Apply(c).IsValid);
    }

    [Fact]
    public void MoreRulesThanTheBoardHoldsAreRejected()
    {
        var esp32 = BoardProfiles.Esp32Ethernet().Capacities;
        var rig = new RouterRig(capacities: esp32, firmware: true);
        var c = new RouterConfig(esp32.PortForwards + 1, esp32.PortTriggers + 1, esp32.DhcpReservations);
        Assert.True(c.CopyFrom(rig.Firmware.Config));
        for (int i = 0; i <= esp32.PortForwards; i++) Forward(c, "f" + i, RuleProtocol.Tcp, 10000 + i, 10000 + i, Host, 80);
        ValidationResult r = rig.Firmware.Apply(c);
        Assert.Equal("forwards", r.Field);
        Assert.Equal($"at most {esp32.PortForwards} port forwards fit this board", r.Message);
        Assert.Equal(0, rig.Firmware.Forwards.Count);

        c.RemoveForwardAt(0); // exactly as many as the board holds: accepted
        Assert.True(rig.Firmware.Apply(c).IsValid);
        Assert.Equal(esp32.PortForwards, rig.Firmware.Forwards.Count);

        for (int i = 0; i <= esp32.PortTriggers; i++)
        {
            PortTrigger t = c.AddTrigger();
            t.Name = "t" + i;
            t.TriggerPort = t.TriggerPortEnd = 6000 + i;
            t.OpenPort = t.OpenPortEnd = 20000 + i;
        }
        r = rig.Firmware.Apply(c);
        Assert.Equal("triggers", r.Field);
        Assert.Equal(0, rig.Firmware.Triggers.Count);
    }

    [Fact]
    public void BadAddressSettingsNameTheirField()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        c.WanAddress = Frames.Ip("192.168.1.77");
        c.WanGateway = Frames.Ip("192.168.1.78");
        Assert.Equal("wanAddress", rig.Firmware.Apply(c).Field);
        c = rig.Firmware.Config.Clone();
        c.WanMtu = 9000;
        Assert.Equal("wanMtu", rig.Firmware.Apply(c).Field);
        c = rig.Firmware.Config.Clone();
        c.UdpTimeoutSeconds = 30; // below RFC 4787 REQ-5's two minutes
        Assert.Equal("udpTimeoutSeconds", rig.Firmware.Apply(c).Field);
        Assert.Equal(RouterWan, rig.Router.Settings.WanAddress);
        Assert.Equal(120, rig.Router.Connections.Timeouts.UdpUnreplied);
    }

    [Fact]
    public void PoolMembersMustBeDistinctLanHostsOtherThanTheRouterWithoutGaps()
    {
        var (rig, c) = RigWithWebForward();
        PortForward f = Forward(c, "pool", RuleProtocol.Tcp, 21, 21, Host, 21);
        f.SetPoolMember(1, Frames.Ip("10.9.9.9"));
        AssertRejected(rig, c, "forwards[1].pool", "10.9.9.9 is not a host on the LAN 192.168.1.0/24");
        f.SetPoolMember(1, Frames.Ip("192.168.1.1"));
        AssertRejected(rig, c, "forwards[1].pool", "192.168.1.1 is the router's own LAN address");
        f.SetPoolMember(1, Host);
        AssertRejected(rig, c, "forwards[1].pool", "192.168.1.2 is in the pool twice");
        f.SetPoolMember(1, 0);
        f.SetPoolMember(2, Host2);
        AssertRejected(rig, c, "forwards[1].pool", "without gaps");
        f.SetPoolMember(2, 0);
        f.SetPoolMember(1, Host2);
        Apply(rig, c);
        Assert.Equal(2, rig.Firmware.Forwards[1].PoolSize);
    }
}
