using Router.Config;
using Router.Rules;
using Router.Tests.Rules;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Nat;

/// <summary>
/// Port shadowing (netfilter's test_port_shadowing in selftests/net/netfilter/nft_nat.sh): LAN host B sends from source
/// port P, the port of a forward to host A (or of a trigger, or of a service of the router's own), to a WAN peer X.
/// Port preservation would give B the outside port P, so X's next packet to WAN:P would match B's connection and reach
/// B instead of A. Here X always sends from 41404 to WAN:P, as in netfilter's test.
/// </summary>
public class PortShadowingTests
{
    private const int PeerPort = 41404;
    private static readonly uint Peer = Remote;

    private static byte[] UdpFromB(int sport) => Frames.Udp(RouterLanMac, Host2Mac, Host2, Peer, sport, PeerPort);
    private static byte[] SynFromB(int sport) => Frames.Tcp(RouterLanMac, Host2Mac, Host2, Peer, sport, PeerPort, TcpSegment.Syn);

    private static RouterRig WithForward(int protocol, int port, int internalPort)
    {
        var rig = new RouterRig(firmware: true);
        var c = rig.Firmware.Config.Clone();
        PortForwardPathTests.Forward(c, "shadowed", protocol, port, port, Host, internalPort);
        PortForwardPathTests.Apply(rig, c);
        return rig;
    }

    private static void AddForward(RouterRig rig, int protocol, int port, int internalPort)
    {
        var c = rig.Firmware.Config.Clone();
        PortForwardPathTests.Forward(c, "shadowed", protocol, port, port, Host, internalPort);
        PortForwardPathTests.Apply(rig, c);
    }

    /// <summary>A trigger: a LAN host sending UDP to 6000 opens UDP 7001 to itself for 60 idle seconds.</summary>
    private static void AddTrigger(RouterRig rig)
    {
        var c = rig.Firmware.Config.Clone();
        PortTrigger t = c.AddTrigger();
        t.Name = "game";
        t.TriggerProtocol = RuleProtocol.Udp;
        t.TriggerPort = 6000;
        t.TriggerPortEnd = 6000;
        t.OpenProtocol = RuleProtocol.Udp;
        t.OpenPort = 7001;
        t.OpenPortEnd = 7001;
        t.IdleTimeoutSeconds = 60;
        PortForwardPathTests.Apply(rig, c);
    }

    /// <summary>B's packet left the WAN from some port other than the one it tried to shadow.</summary>
    private static void AssertBNotMappedTo(RouterRig rig, int port, bool tcp = false)
    {
        byte[] sent = rig.Wan.TakeOne();
        Assert.Equal(RouterWan, Ipv4Packet.Source(sent, 14));
        int source = tcp ? TcpSegment.SourcePort(sent, 34) : UdpDatagram.SourcePort(sent, 34);
        Assert.NotEqual(port, source);
    }

    /// <summary>X's packet to WAN:port went to A (at <paramref name="internalPort"/>), and nothing went to B.</summary>
    private static void AssertReachesA(RouterRig rig, int internalPort, bool tcp = false)
    {
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(HostMac, f[0..6]);
        Assert.Equal(Host, Ipv4Packet.Destination(f, 14));
        Assert.Equal(internalPort, tcp ? TcpSegment.DestinationPort(f, 34) : UdpDatagram.DestinationPort(f, 34));
        rig.AssertAccounted();
    }

    [Fact]
    public void ALanHostSendingFromAForwardedUdpPortDoesNotCaptureTheForward()
    {
        var rig = WithForward(RuleProtocol.Udp, 5000, 5000);
        rig.FromLan(UdpFromB(5000));
        AssertBNotMappedTo(rig, 5000);
        Assert.Equal(1, rig.Counters[Counters.NatShadowAvoided]);

        rig.FromWan(rig.WanUdp(PeerPort, 5000, src: Peer));
        AssertReachesA(rig, 5000);
    }

    [Fact]
    public void ALanHostSendingASynFromAForwardedTcpPortDoesNotCaptureTheForward()
    {
        var rig = WithForward(RuleProtocol.Tcp, 2222, 22);
        rig.FromLan(SynFromB(2222));
        AssertBNotMappedTo(rig, 2222, tcp: true);

        rig.FromWan(rig.WanTcp(PeerPort, 2222, TcpSegment.Syn, src: Peer));
        AssertReachesA(rig, 22, tcp: true);
    }

    [Fact]
    public void AMappingMadeBeforeAForwardExistedIsCutWhenTheForwardTakesItsPort()
    {
        var rig = new RouterRig(firmware: true);
        rig.FromLan(UdpFromB(5000));
        Assert.Equal(5000, UdpDatagram.SourcePort(rig.Wan.TakeOne(), 34)); // no forward yet: the port is preserved

        AddForward(rig, RuleProtocol.Udp, 5000, 5000);
        Assert.Equal(1, rig.Router.Nat.Mappings.CutForReservations);
        Assert.Equal(0, rig.Router.Connections.Count);
        rig.FromWan(rig.WanUdp(PeerPort, 5000, src: Peer));
        AssertReachesA(rig, 5000);
    }

    [Fact]
    public void ALanHostSendingFromAHeldTriggersOpenPortDoesNotCaptureIt()
    {
        var rig = new RouterRig(firmware: true);
        AddTrigger(rig);
        rig.FromLan(rig.LanUdp(40000, 6000)); // A holds the trigger
        rig.Wan.Sent.Clear();

        rig.FromLan(UdpFromB(7001));
        AssertBNotMappedTo(rig, 7001);
        rig.FromWan(rig.WanUdp(PeerPort, 7001, src: Peer));
        AssertReachesA(rig, 7001);
    }

    [Fact]
    public void ALanHostCannotTakeATriggersOpenPortBeforeTheTriggerIsHeld()
    {
        var rig = new RouterRig(firmware: true);
        AddTrigger(rig);
        rig.FromLan(UdpFromB(7001)); // B gets there first
        AssertBNotMappedTo(rig, 7001);

        rig.FromLan(rig.LanUdp(40000, 6000)); // then A pulls the trigger
        rig.FromWan(rig.WanUdp(PeerPort, 7001, src: Peer));
        AssertReachesA(rig, 7001);
    }

    [Fact]
    public void ALanHostSendingFromTheRoutersWanDhcpClientPortDoesNotGetThatPort()
    {
        var rig = new RouterRig(firmware: true);
        rig.FromLan(UdpFromB(RouterFirmware.DhcpClientPort));
        AssertBNotMappedTo(rig, RouterFirmware.DhcpClientPort);

        rig.FromWan(rig.WanUdp(PeerPort, RouterFirmware.DhcpClientPort, src: Peer));
        Assert.Empty(rig.Lan.Sent); // the router's own port: nothing crosses to the LAN
        Assert.Equal(1, rig.Counters[Counters.DropUnsolicited]);
        rig.AssertAccounted();
    }
}
