using System.Linq;
using Router.Config;
using Router.Rules;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Rules;

/// <summary>Port forwards and hairpin NAT through the in-memory network, configured the way the web UI will: edit, apply.</summary>
public class PortForwardPathTests
{
    internal static PortForward Forward(RouterConfig c, string name, int protocol, int external, int externalEnd, uint host, int internalPort)
    {
        PortForward f = c.AddForward();
        f.Name = name;
        f.Protocol = protocol;
        f.ExternalPort = external;
        f.ExternalPortEnd = externalEnd;
        f.InternalAddress = host;
        f.InternalPort = internalPort;
        return f;
    }

    internal static void Apply(RouterRig rig, RouterConfig c)
    {
        ValidationResult r = rig.Firmware.Apply(c);
        Assert.True(r.IsValid, r.ToString());
    }

    private static RouterRig WithWebForward()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        Forward(c, "web", RuleProtocol.Tcp, 8080, 8080, Host, 80);
        Apply(rig, c);
        return rig;
    }

    [Fact]
    public void InboundTcpToAForwardedPortReachesTheInternalHostAndRepliesLeaveFromTheForwardedPort()
    {
        var rig = WithWebForward();
        rig.FromWan(rig.WanTcp(40000, 8080, TcpSegment.Syn));
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(HostMac, f[0..6]);
        Assert.Equal(Remote, Ipv4Packet.Source(f, 14));
        Assert.Equal(Host, Ipv4Packet.Destination(f, 14));
        Assert.Equal(40000, TcpSegment.SourcePort(f, 34));
        Assert.Equal(80, TcpSegment.DestinationPort(f, 34));
        Assert.Null(Frames.ChecksumProblem(f, f.Length));

        rig.FromLan(Frames.Tcp(RouterLanMac, HostMac, Host, Remote, 80, 40000, TcpSegment.Syn | TcpSegment.Ack, 7000, 5001));
        byte[] back = rig.Wan.TakeOne();
        Assert.Equal(GatewayMac, back[0..6]);
        Assert.Equal(RouterWan, Ipv4Packet.Source(back, 14));
        Assert.Equal(Remote, Ipv4Packet.Destination(back, 14));
        Assert.Equal(8080, TcpSegment.SourcePort(back, 34));
        Assert.Equal(40000, TcpSegment.DestinationPort(back, 34));
        Assert.Null(Frames.ChecksumProblem(back, back.Length));
        rig.AssertAccounted();
    }

    [Fact]
    public void UdpRangeMapsOneToOne()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        Forward(c, "game", RuleProtocol.Udp, 27015, 27020, Host2, 37015);
        Apply(rig, c);

        foreach (int port in new[] { 27015, 27017, 27020 })
        {
            rig.FromWan(rig.WanUdp(5000 + port % 100, port));
            byte[] f = rig.Lan.TakeOne();
            Assert.Equal(Host2Mac, f[0..6]);
            Assert.Equal(Host2, Ipv4Packet.Destination(f, 14));
            Assert.Equal(port + 10000, UdpDatagram.DestinationPort(f, 34));
            Assert.Null(Frames.ChecksumProblem(f, f.Length));
        }
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, Remote, 37017, 5017));
        byte[] back = rig.Wan.TakeOne();
        Assert.Equal(27017, UdpDatagram.SourcePort(back, 34));
        Assert.Equal(RouterWan, Ipv4Packet.Source(back, 14));

        rig.FromWan(rig.WanUdp(5000, 27021)); // one past the range
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(1, rig.Counters[Counters.DropUnsolicited]);
        rig.AssertAccounted();
    }

    [Fact]
    public void ForwardForBothProtocolsTakesTcpAndUdp()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        Forward(c, "dns", RuleProtocol.Both, 53, 53, Host, 5353);
        Apply(rig, c);
        rig.FromWan(rig.WanUdp(1111, 53));
        rig.FromWan(rig.WanTcp(1112, 53, TcpSegment.Syn));
        Assert.Equal(2, rig.Lan.Sent.Count);
        Assert.Equal(5353, UdpDatagram.DestinationPort(rig.Lan.Sent[0], 34));
        Assert.Equal(5353, TcpSegment.DestinationPort(rig.Lan.Sent[1], 34));
    }

    [Fact]
    public void SourceRestrictionAdmitsOnlyTheAllowedPrefix()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        PortForward ssh = Forward(c, "ssh", RuleProtocol.Tcp, 2222, 2222, Host, 22);
        ssh.AllowedSource = Frames.Ip("198.51.100.0");
        ssh.AllowedSourcePrefixLength = 24;
        Apply(rig, c);

        rig.FromWan(rig.WanTcp(40000, 2222, TcpSegment.Syn, src: Frames.Ip("192.0.2.9")));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(1, rig.Counters[Counters.DropUnsolicited]);

        rig.FromWan(rig.WanTcp(40000, 2222, TcpSegment.Syn, src: Frames.Ip("198.51.100.200")));
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(22, TcpSegment.DestinationPort(f, 34));
        Assert.Equal(Frames.Ip("198.51.100.200"), Ipv4Packet.Source(f, 14));
        rig.AssertAccounted();
    }

    [Fact]
    public void UnforwardedPortIsDropped()
    {
        var rig = WithWebForward();
        rig.FromWan(rig.WanTcp(40000, 8081, TcpSegment.Syn));
        rig.FromWan(rig.WanUdp(40000, 8080)); // TCP-only forward: UDP to the same port is not forwarded
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(2, rig.Counters[Counters.DropUnsolicited]);
        rig.AssertAccounted();
    }

    [Fact]
    public void DisabledForwardForwardsNothing()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        Forward(c, "web", RuleProtocol.Tcp, 8080, 8080, Host, 80).Enabled = false;
        Apply(rig, c);
        rig.FromWan(rig.WanTcp(40000, 8080, TcpSegment.Syn));
        Assert.Empty(rig.Lan.Sent);
    }

    [Fact]
    public void HairpinReachesTheInternalHostFromTheWanAddressAndRepliesReturn()
    {
        var rig = WithWebForward();
        // Host2 on the LAN uses the public address and the forwarded port (RFC 4787 REQ-9, RFC 5382 REQ-8).
        rig.FromLan(Frames.Tcp(RouterLanMac, Host2Mac, Host2, RouterWan, 50000, 8080, TcpSegment.Syn));
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(HostMac, f[0..6]);
        Assert.Equal(RouterLanMac, f[6..12]);
        Assert.Equal(RouterWan, Ipv4Packet.Source(f, 14)); // source translated, so the server's reply comes back through the router
        Assert.Equal(Host, Ipv4Packet.Destination(f, 14));
        Assert.Equal(80, TcpSegment.DestinationPort(f, 34));
        int mapped = TcpSegment.SourcePort(f, 34);
        Assert.Null(Frames.ChecksumProblem(f, f.Length));

        rig.FromLan(Frames.Tcp(RouterLanMac, HostMac, Host, RouterWan, 80, mapped, TcpSegment.Syn | TcpSegment.Ack, 9000, 1001));
        byte[] back = rig.Lan.TakeOne();
        Assert.Equal(Host2Mac, back[0..6]);
        Assert.Equal(RouterWan, Ipv4Packet.Source(back, 14)); // Host2 sees the address it connected to
        Assert.Equal(Host2, Ipv4Packet.Destination(back, 14));
        Assert.Equal(8080, TcpSegment.SourcePort(back, 34));
        Assert.Equal(50000, TcpSegment.DestinationPort(back, 34));
        Assert.Null(Frames.ChecksumProblem(back, back.Length));

        rig.FromLan(Frames.Tcp(RouterLanMac, Host2Mac, Host2, RouterWan, 50000, 8080, TcpSegment.Ack, 1001, 9001));
        byte[] ack = rig.Lan.TakeOne();
        Assert.Equal(Host, Ipv4Packet.Destination(ack, 14));
        rig.AssertAccounted();
    }

    [Fact]
    public void HairpinUdpWorksToo()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        Forward(c, "voip", RuleProtocol.Udp, 5060, 5060, Host, 5060);
        Apply(rig, c);
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, RouterWan, 40000, 5060));
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(RouterWan, Ipv4Packet.Source(f, 14));
        Assert.Equal(Host, Ipv4Packet.Destination(f, 14));
        int mapped = UdpDatagram.SourcePort(f, 34);
        rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Host, RouterWan, 5060, mapped));
        byte[] back = rig.Lan.TakeOne();
        Assert.Equal(Host2, Ipv4Packet.Destination(back, 14));
        Assert.Equal(5060, UdpDatagram.SourcePort(back, 34));
        Assert.Null(Frames.ChecksumProblem(back, back.Length));
    }

    [Fact]
    public void ForwardedPortsAreReservedSoTheAllocatorSkipsThem()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        Forward(c, "ssh", RuleProtocol.Tcp, 40000, 40000, Host, 22);
        Apply(rig, c);
        rig.FromLan(Frames.Tcp(RouterLanMac, Host2Mac, Host2, Remote, 40000, 443, TcpSegment.Syn));
        int mapped = TcpSegment.SourcePort(rig.Wan.TakeOne(), 34);
        Assert.NotEqual(40000, mapped); // port preservation would have given 40000
        Assert.InRange(mapped, 1024, 65535);
        // UDP 40000 is not forwarded, so it is preserved.
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, Remote, 40000, 53));
        Assert.Equal(40000, UdpDatagram.SourcePort(rig.Wan.TakeOne(), 34));
    }

    [Fact]
    public void RemovingARuleLiveCutsItsFlowsWhileOtherFlowsKeepWorking()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        Forward(c, "web", RuleProtocol.Tcp, 8080, 8080, Host, 80);
        Forward(c, "game", RuleProtocol.Udp, 27015, 27015, Host2, 27015);
        Apply(rig, c);

        rig.FromWan(rig.WanTcp(40000, 8080, TcpSegment.Syn));                           // flow of "web"
        rig.FromLan(Frames.Tcp(RouterLanMac, Host2Mac, Host2, RouterWan, 50000, 8080, TcpSegment.Syn)); // hairpin flow of "web"
        rig.FromWan(rig.WanUdp(9000, 27015));                                           // flow of "game"
        rig.FromLan(rig.LanUdp(41000, 53));                                             // ordinary outbound flow
        Assert.Equal(4, rig.Router.Connections.Count);
        rig.Lan.Sent.Clear();
        rig.Wan.Sent.Clear();

        var edited = rig.Firmware.Config.Clone();
        edited.RemoveForwardAt(0);
        Apply(rig, edited);
        Assert.Equal(2, rig.Firmware.Forwards.ConnectionsCut);
        Assert.Equal(2, rig.Router.Connections.Count);

        // The cut flow is gone: the server's next segment is not a new connection and is refused.
        rig.FromLan(Frames.Tcp(RouterLanMac, HostMac, Host, Remote, 80, 40000, TcpSegment.Ack, 7001, 5001));
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(1, rig.Counters[Counters.DropTcpInvalid]);
        rig.FromWan(rig.WanTcp(40001, 8080, TcpSegment.Syn));
        Assert.Empty(rig.Lan.Sent);

        // The others keep working.
        rig.FromWan(rig.WanUdp(9000, 27015));
        Assert.Equal(Host2, Ipv4Packet.Destination(rig.Lan.TakeOne(), 14));
        rig.FromWan(rig.WanUdp(53, 41000));
        Assert.Equal(41000, UdpDatagram.DestinationPort(rig.Lan.TakeOne(), 34));
        rig.AssertAccounted();
    }

    [Fact]
    public void ChangingARuleCutsItsFlowsAndAnUnchangedRuleKeepsThemEvenWhenRenamedOrMoved()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        Forward(c, "web", RuleProtocol.Tcp, 8080, 8080, Host, 80);
        Forward(c, "game", RuleProtocol.Udp, 27015, 27015, Host2, 27015);
        Apply(rig, c);
        rig.FromWan(rig.WanTcp(40000, 8080, TcpSegment.Syn));
        rig.FromWan(rig.WanUdp(9000, 27015));
        rig.Lan.Sent.Clear();

        var edited = rig.Firmware.Config.Clone();
        edited.ForwardCount = 0;
        Forward(edited, "renamed game", RuleProtocol.Udp, 27015, 27015, Host2, 27015); // renamed and moved: flows stay
        Forward(edited, "web", RuleProtocol.Tcp, 8080, 8080, Host, 8000);              // internal port changed: its flow is cut
        Apply(rig, edited);

        Assert.Equal("renamed game", rig.Firmware.Forwards[0].Name);
        Assert.Equal(1, rig.Firmware.Forwards.ConnectionsCut);
        Assert.Equal(1, rig.Router.Connections.Count);
        rig.FromWan(rig.WanUdp(9000, 27015));
        Assert.Single(rig.Lan.Sent);
        rig.Lan.Sent.Clear();
        rig.FromWan(rig.WanTcp(40002, 8080, TcpSegment.Syn)); // new connections follow the changed rule
        Assert.Equal(8000, TcpSegment.DestinationPort(rig.Lan.TakeOne(), 34));
    }

    [Fact]
    public void APoolForwardSendsEachSourceToItsHashedMemberAndAPoolChangeCutsFlowsOnEveryMember()
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        Forward(c, "game", RuleProtocol.Udp, 27015, 27015, Host, 27015).SetPoolMember(1, Host2);
        Apply(rig, c);
        PortForward rule = rig.Firmware.Forwards[0];

        var seen = new System.Collections.Generic.HashSet<uint>();
        for (uint i = 0; i < 16; i++)
        {
            uint source = Frames.Ip("198.51.100.20") + i;
            rig.FromWan(rig.WanUdp(9000, 27015, src: source));
            byte[] f = rig.Lan.TakeOne();
            Assert.Equal(rule.MemberFor(source), Ipv4Packet.Destination(f, 14));
            Assert.Equal(rule.MemberFor(source) == Host ? HostMac : Host2Mac, f[0..6]);
            seen.Add(Ipv4Packet.Destination(f, 14));
            rig.FromWan(rig.WanUdp(9000, 27015, src: source)); // the same client again: the same member (its flow)
            Assert.Equal(rule.MemberFor(source), Ipv4Packet.Destination(rig.Lan.TakeOne(), 14));
        }
        Assert.Equal(new[] { Host, Host2 }.ToHashSet(), seen);
        Assert.Equal(16, rig.Router.Connections.Count);

        var edited = rig.Firmware.Config.Clone();
        edited.Forwards[0].ClearPool();
        Apply(rig, edited);
        Assert.Equal(16, rig.Firmware.Forwards.ConnectionsCut);
        Assert.Equal(0, rig.Router.Connections.Count);
        rig.FromWan(rig.WanUdp(9000, 27015, src: Frames.Ip("198.51.100.21")));
        Assert.Equal(Host, Ipv4Packet.Destination(rig.Lan.TakeOne(), 14));
    }
}
