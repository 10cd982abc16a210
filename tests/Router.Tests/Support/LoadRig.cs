using Router.Hal.Desktop;
using Router.Link;
using Router.Wire;

namespace Router.Tests.Support;

/// <summary>
/// A data plane between two <see cref="CountingInterface"/>s for load tests and benchmarks (shared with
/// bench/Router.Benchmarks): the same addresses as RouterRig, the ARP cache taught the gateway and the
/// first LAN hosts, a stopped clock, and a receive path that allocates nothing.
/// </summary>
public sealed class LoadRig
{
    public static readonly byte[] RouterLanMac = Frames.Mac(0x10);
    public static readonly byte[] RouterWanMac = Frames.Mac(0x20);
    public static readonly byte[] GatewayMac = Frames.Mac(0x01);
    public static readonly uint RouterLan = Ipv4Address.Make(192, 168, 1, 1);
    public static readonly uint RouterWan = Ipv4Address.Make(203, 0, 113, 2);
    public static readonly uint Gateway = Ipv4Address.Make(203, 0, 113, 1);
    public static readonly uint Remote = Ipv4Address.Make(198, 51, 100, 7);

    public readonly CountingInterface Lan = new(RouterLanMac);
    public readonly CountingInterface Wan = new(RouterWanMac);
    public readonly ManualClock Clock = new(1_000_000);
    public readonly DataPlane Router;
    /// <summary>The whole firmware around <see cref="Router"/> (FTP helper, forwards, DHCP…), or null for the data plane alone.</summary>
    public readonly RouterFirmware Firmware;
    /// <summary>The receive buffer frames are copied into, as a driver would.</summary>
    public readonly byte[] Buffer = new byte[1514];

    /// <param name="lanHosts">LAN hosts 192.168.1.2 and up whose MAC the router learns (at most the ARP cache's size minus one).</param>
    /// <param name="firmware">Build the whole <see cref="RouterFirmware"/> (with its helpers and rules), not just the data plane.</param>
    public LoadRig(Capacities capacities, int lanHosts = 1, bool firmware = false)
    {
        if (firmware)
        {
            Firmware = new RouterFirmware(capacities, new RouterSettings(), Lan, Wan, Clock, new SeededRandom(7));
            Router = Firmware.DataPlane;
        }
        else
        {
            Router = new DataPlane(capacities, new RouterSettings(), Lan, Wan, Clock, new SeededRandom(7));
        }
        Receive(NetworkPort.Wan, Frames.Arp(RouterWanMac, GatewayMac, ArpPacket.OperationRequest, GatewayMac, Gateway, new byte[6], RouterWan));
        for (int i = 0; i < lanHosts; i++)
        {
            Receive(NetworkPort.Lan, Frames.Arp(RouterLanMac, HostMac(i), ArpPacket.OperationRequest, HostMac(i), Host(i), new byte[6], RouterLan));
        }
    }

    public static uint Host(int i) => Ipv4Address.Make(192, 168, 1, 2 + i);
    public static byte[] HostMac(int i) => Frames.Mac(0x40 + i);

    public Counters Counters => Router.Counters;

    /// <summary>Copies <paramref name="frame"/> into the receive buffer and processes it.</summary>
    public void Receive(int port, byte[] frame)
    {
        System.Buffer.BlockCopy(frame, 0, Buffer, 0, frame.Length);
        Router.Receive(port, Buffer, frame.Length);
    }

    public byte[] LanTcp(int host, int sport, int dport, int flags, uint seq, uint ack, int payload = 0) =>
        Frames.Tcp(RouterLanMac, HostMac(host), Host(host), Remote, sport, dport, flags, seq, ack, new byte[payload]);

    public byte[] WanTcp(int sport, int dport, int flags, uint seq, uint ack, int payload = 0) =>
        Frames.Tcp(RouterWanMac, GatewayMac, Remote, RouterWan, sport, dport, flags, seq, ack, new byte[payload]);

    public byte[] LanUdp(int host, int sport, int dport, int payload) =>
        Frames.Udp(RouterLanMac, HostMac(host), Host(host), Remote, sport, dport, new byte[payload]);

    public byte[] WanUdp(int sport, int dport, int payload) =>
        Frames.Udp(RouterWanMac, GatewayMac, Remote, RouterWan, sport, dport, new byte[payload]);

    /// <summary>
    /// Opens a TCP connection from a LAN host through the three-way handshake (so it is established and assured) and
    /// returns the outside port the router mapped it to.
    /// </summary>
    public int EstablishTcp(int host, int sport, int dport)
    {
        bool keep = Wan.KeepLastFrame;
        Wan.KeepLastFrame = true;
        long sent = Wan.FramesSent;
        Receive(NetworkPort.Lan, LanTcp(host, sport, dport, TcpSegment.Syn, 1000, 0));
        if (Wan.FramesSent != sent + 1) throw new System.InvalidOperationException("the SYN was not forwarded");
        int outside = TcpSegment.SourcePort(Wan.LastFrame, 34);
        Wan.KeepLastFrame = keep;
        Receive(NetworkPort.Wan, WanTcp(dport, outside, TcpSegment.Syn | TcpSegment.Ack, 5000, 1001));
        Receive(NetworkPort.Lan, LanTcp(host, sport, dport, TcpSegment.Ack, 1001, 5001));
        return outside;
    }

    /// <summary>Opens a UDP flow from a LAN host and answers it (so it is assured); returns the outside port.</summary>
    public int EstablishUdp(int host, int sport, int dport)
    {
        bool keep = Wan.KeepLastFrame;
        Wan.KeepLastFrame = true;
        long sent = Wan.FramesSent;
        Receive(NetworkPort.Lan, LanUdp(host, sport, dport, 4));
        if (Wan.FramesSent != sent + 1) throw new System.InvalidOperationException("the datagram was not forwarded");
        int outside = UdpDatagram.SourcePort(Wan.LastFrame, 34);
        Wan.KeepLastFrame = keep;
        Receive(NetworkPort.Wan, WanUdp(dport, outside, 4));
        return outside;
    }
}
