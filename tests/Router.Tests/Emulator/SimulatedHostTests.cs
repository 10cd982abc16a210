using Router.Emulator;
using Router.Emulator.Simulation;
using Router.Hal.Desktop;
using Router.Wire;
using Xunit;

namespace Router.Tests.Emulator;

/// <summary>The simulated internet host under corrupted frames, as <c>--fault-corrupt</c> delivers them.</summary>
public class SimulatedHostTests
{
    private static readonly uint Internet = Ipv4Address.Make(198, 51, 100, 7);
    private static readonly uint Sender = Ipv4Address.Make(203, 0, 113, 2);

    /// <summary>A UDP echo request from the router's WAN address whose header checksum is right, with the UDP length field set to <paramref name="udpLength"/>.</summary>
    private static byte[] EchoRequest(int udpLength, byte[] destinationMac, byte[] sourceMac)
    {
        byte[] f = new byte[14 + 20 + 8 + 4];
        EthernetFrame.SetAddresses(f, 0, destinationMac, 0, sourceMac);
        EthernetFrame.SetEtherType(f, 0, EthernetFrame.EtherTypeIpv4);
        Ipv4Packet.WriteHeader(f, 14, 20 + 8 + 4, 1, 64, IpProtocol.Udp, Sender, Internet);
        UdpDatagram.SetSourcePort(f, 34, 40000);
        UdpDatagram.SetDestinationPort(f, 34, SimulatedHost.EchoPort);
        UdpDatagram.SetLength(f, 34, 12);
        UdpDatagram.FillChecksum(f, 34, Sender, Internet);
        UdpDatagram.SetLength(f, 34, udpLength); // what a flipped byte does: the IP header (and its checksum) still look fine
        return f;
    }

    [Theory]
    [InlineData(0xFFFF)]
    [InlineData(13)]
    [InlineData(3)]
    public void A_corrupted_udp_length_is_ignored_not_trusted(int udpLength)
    {
        byte[] routerMac = EmulatorHost.Mac(0x20), internetMac = EmulatorHost.Mac(0x01);
        var wire = VirtualWire.Create(VirtualWire.DefaultMaxFrameBytes, 16, routerMac, internetMac);
        var internet = new SimulatedHost("internet", wire.B, Ipv4Address.Make(203, 0, 113, 1), 24, 0) { ActAsInternet = true };
        byte[] frame = EchoRequest(udpLength, internetMac, routerMac);
        wire.A.Send(frame, 0, frame.Length);

        Assert.Equal(1, internet.Step());
        Assert.Equal(1, internet.Malformed);
        Assert.Equal(0, internet.RequestsAnswered);

        byte[] good = EchoRequest(12, internetMac, routerMac);
        wire.A.Send(good, 0, good.Length);
        internet.Step();
        Assert.Equal(1, internet.RequestsAnswered);
    }

    [Theory]
    [InlineData(1500)] // longer than the frame
    [InlineData(24)]   // shorter than an IP and TCP header
    public void The_http_bridges_client_drops_a_frame_whose_ip_length_was_corrupted(int totalLength)
    {
        uint router = Ipv4Address.Make(192, 168, 1, 1), bridge = Ipv4Address.Make(192, 168, 1, 254);
        var client = new ScriptedClient(bridge, EmulatorHost.Mac(0x2F), router, EmulatorHost.Mac(0x10), 49152, 80);
        byte[] f = new byte[60];
        EthernetFrame.SetAddresses(f, 0, EmulatorHost.Mac(0x2F), 0, EmulatorHost.Mac(0x10));
        EthernetFrame.SetEtherType(f, 0, EthernetFrame.EtherTypeIpv4);
        Ipv4Packet.WriteHeader(f, 14, totalLength, 1, 64, IpProtocol.Tcp, router, bridge);
        NetworkOrder.WriteUInt16(f, 34, 80);
        NetworkOrder.WriteUInt16(f, 36, 49152);
        Assert.False(client.Input(f)); // before: IndexOutOfRangeException, which ended the emulator under --fault-corrupt
        Assert.False(client.Failed);
    }
}
