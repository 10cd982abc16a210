using System;
using Router.Drivers.W5500;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Hal.Desktop.Chips;
using Router.Wire;

namespace Router.Tests.Support;

/// <summary>
/// A data plane whose two ports are W5500 drivers over W5500 chip models, each chip on a virtual wire to a host port:
/// LAN host ↔ wire ↔ LAN chip ⇄ SPI ⇄ driver ⇄ router ⇄ driver ⇄ SPI ⇄ WAN chip ↔ wire ↔ gateway.
/// Addresses as in <see cref="RouterRig"/>. Shared by the driver tests and the SPI figures (bench).
/// </summary>
public sealed class W5500Rig
{
    public static readonly byte[] RouterLanMac = Frames.Mac(0x10);
    public static readonly byte[] RouterWanMac = Frames.Mac(0x20);
    public static readonly byte[] HostMac = Frames.Mac(0x02);
    public static readonly byte[] GatewayMac = Frames.Mac(0x01);
    public static readonly uint Host = Ipv4Address.Make(192, 168, 1, 2);
    public static readonly uint RouterLan = Ipv4Address.Make(192, 168, 1, 1);
    public static readonly uint RouterWan = Ipv4Address.Make(203, 0, 113, 2);
    public static readonly uint Gateway = Ipv4Address.Make(203, 0, 113, 1);
    public static readonly uint Remote = Ipv4Address.Make(198, 51, 100, 7);

    public readonly ManualClock Clock = new(1_000_000);
    public readonly VirtualWire LanWire, WanWire;
    public readonly W5500Model LanChip, WanChip;
    public readonly W5500Driver LanDriver, WanDriver;
    public readonly DataPlane Router;
    private readonly byte[] _rx = new byte[2048];

    /// <param name="interrupts">Wire INTn (else the drivers poll).</param>
    /// <param name="queueDepth">Frames each wire end can hold (a burst larger than this is refused by the wire).</param>
    public W5500Rig(bool interrupts = true, int queueDepth = 512, Capacities capacities = null)
    {
        LanWire = VirtualWire.Create(VirtualWire.DefaultMaxFrameBytes, queueDepth, Frames.Mac(0x70), HostMac);
        WanWire = VirtualWire.Create(VirtualWire.DefaultMaxFrameBytes, queueDepth, Frames.Mac(0x71), GatewayMac);
        LanChip = new W5500Model(LanWire.A);
        WanChip = new W5500Model(WanWire.A);
        LanDriver = new W5500Driver(LanChip, LanChip.ResetPin, interrupts ? LanChip.InterruptPin : null, Clock, RouterLanMac);
        WanDriver = new W5500Driver(WanChip, WanChip.ResetPin, interrupts ? WanChip.InterruptPin : null, Clock, RouterWanMac);
        Check(LanDriver);
        Check(WanDriver);
        Router = new DataPlane(capacities ?? new Capacities(), new RouterSettings(), LanDriver, WanDriver, Clock, new SeededRandom(1));
        // The neighbours introduce themselves, as their own ARP requests would.
        FromGateway(Frames.Arp(RouterWanMac, GatewayMac, ArpPacket.OperationRequest, GatewayMac, Gateway, new byte[6], RouterWan));
        FromHost(Frames.Arp(RouterLanMac, HostMac, ArpPacket.OperationRequest, HostMac, Host, new byte[6], RouterLan));
        Poll();
        DrainHost();
        DrainGateway();
    }

    private static void Check(W5500Driver driver)
    {
        W5500BringUp result = driver.Start();
        if (result != W5500BringUp.Ok) throw new InvalidOperationException(W5500Driver.Describe(result, driver.LastVersion));
    }

    public Counters Counters => Router.Counters;

    public bool FromHost(byte[] frame) => LanWire.B.Send(frame, 0, frame.Length);
    public bool FromGateway(byte[] frame) => WanWire.B.Send(frame, 0, frame.Length);

    /// <summary>Runs the router until it finds nothing more to do; returns the frames it processed.</summary>
    public int Poll()
    {
        int total = 0;
        for (int i = 0; i < 1000; i++)
        {
            int n = Router.Poll(64);
            total += n;
            if (n == 0) break;
        }
        return total;
    }

    /// <summary>A UDP datagram from the LAN host to the remote server, <paramref name="length"/> bytes on the wire (≥ 42).</summary>
    public byte[] HostUdp(int length, int sport = 40000) =>
        Frames.Udp(RouterLanMac, HostMac, Host, Remote, sport, 53, new byte[length - 42]);

    /// <summary>Frames the gateway received (the router's WAN output); returns their count.</summary>
    public int DrainGateway() => Drain(WanWire.B);
    public int DrainHost() => Drain(LanWire.B);

    private int Drain(VirtualPort port)
    {
        int n = 0;
        while (port.Receive(_rx, 0, _rx.Length, out _) == ReceiveResult.Frame) n++;
        return n;
    }

    /// <summary>Sends one datagram from the host and reports whether the gateway got it forwarded.</summary>
    public bool Forwards(int sport = 41000)
    {
        DrainGateway();
        FromHost(HostUdp(100, sport));
        Poll();
        return DrainGateway() == 1;
    }
}
