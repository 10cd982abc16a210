using Router.Hal.Desktop;
using Router.Wire;

namespace Router.Tests.Support;

/// <summary>
/// A data plane between two capture interfaces, with the well-known addresses tests use:
/// LAN 192.168.1.0/24 (router .1, hosts .2 and up), WAN 203.0.113.0/24 (router .2, gateway .1), remote hosts beyond.
/// </summary>
public sealed class RouterRig
{
    public static readonly byte[] RouterLanMac = Frames.Mac(0x10);
    public static readonly byte[] RouterWanMac = Frames.Mac(0x20);
    public static readonly byte[] HostMac = Frames.Mac(0x02);
    public static readonly byte[] Host2Mac = Frames.Mac(0x03);
    public static readonly byte[] GatewayMac = Frames.Mac(0x01);
    public static readonly uint RouterLan = Frames.Ip("192.168.1.1");
    public static readonly uint RouterWan = Frames.Ip("203.0.113.2");
    public static readonly uint Gateway = Frames.Ip("203.0.113.1");
    public static readonly uint Host = Frames.Ip("192.168.1.2");
    public static readonly uint Host2 = Frames.Ip("192.168.1.3");
    public static readonly uint Remote = Frames.Ip("198.51.100.7");

    public readonly CaptureInterface Lan = new(RouterLanMac);
    public readonly CaptureInterface Wan = new(RouterWanMac);
    public readonly TestClock Clock = new();
    public readonly DataPlane Router;
    /// <summary>The composition root around <see cref="Router"/> when built with <c>firmware: true</c>, else null.</summary>
    public readonly RouterFirmware Firmware;

    public RouterRig(Capacities capacities = null, RouterSettings settings = null, bool resolveNeighbours = true, bool firmware = false)
    {
        if (firmware)
        {
            Firmware = new RouterFirmware(capacities ?? new Capacities(), settings ?? new RouterSettings(), Lan, Wan, Clock, new TestRandom());
            Router = Firmware.DataPlane;
        }
        else
        {
            Router = new DataPlane(capacities ?? new Capacities(), settings ?? new RouterSettings(), Lan, Wan, Clock, new TestRandom());
        }
        if (resolveNeighbours)
        {
            // Teach the router its neighbours, as their own ARP requests would.
            FromWan(Frames.Arp(RouterWanMac, GatewayMac, ArpPacket.OperationRequest, GatewayMac, Gateway, new byte[6], RouterWan));
            FromLan(Frames.Arp(RouterLanMac, HostMac, ArpPacket.OperationRequest, HostMac, Host, new byte[6], RouterLan));
            FromLan(Frames.Arp(RouterLanMac, Host2Mac, ArpPacket.OperationRequest, Host2Mac, Host2, new byte[6], RouterLan));
            Lan.Sent.Clear();
            Wan.Sent.Clear();
        }
    }

    public Counters Counters => Router.Counters;

    public void FromLan(byte[] frame) => Router.Receive(global::Router.Link.NetworkPort.Lan, Copy(frame), frame.Length);
    public void FromWan(byte[] frame) => Router.Receive(global::Router.Link.NetworkPort.Wan, Copy(frame), frame.Length);

    // The router rewrites in place; tests keep their original bytes.
    private static byte[] Copy(byte[] f)
    {
        byte[] b = new byte[1514];
        f.CopyTo(b, 0);
        return b;
    }

    public byte[] LanUdp(int sport, int dport, uint dst = 0, byte[] payload = null, uint src = 0) =>
        Frames.Udp(RouterLanMac, HostMac, src == 0 ? Host : src, dst == 0 ? Remote : dst, sport, dport, payload);

    public byte[] WanUdp(int sport, int dport, uint src = 0, byte[] payload = null) =>
        Frames.Udp(RouterWanMac, GatewayMac, src == 0 ? Remote : src, RouterWan, sport, dport, payload);

    public byte[] LanTcp(int sport, int dport, int flags, uint seq = 1000, uint ack = 0, byte[] payload = null, byte[] options = null, uint dst = 0) =>
        Frames.Tcp(RouterLanMac, HostMac, Host, dst == 0 ? Remote : dst, sport, dport, flags, seq, ack, payload, options);

    public byte[] WanTcp(int sport, int dport, int flags, uint seq = 5000, uint ack = 0, byte[] payload = null, uint src = 0) =>
        Frames.Tcp(RouterWanMac, GatewayMac, src == 0 ? Remote : src, RouterWan, sport, dport, flags, seq, ack, payload);

    /// <summary>Frames received = forwarded + consumed + dropped + still held: every frame is accounted for.</summary>
    public void AssertAccounted()
    {
        var c = Counters;
        Xunit.Assert.Equal(c[Counters.FramesReceived], c[Counters.Forwarded] + c[Counters.Consumed] + c.DroppedTotal + Router.HeldFrames);
    }
}
