using System;
using System.Diagnostics;
using Router.Dhcp;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static Router.Tests.Dhcp.DhcpPackets;

namespace Router.Tests.Dhcp;

/// <summary>What serving DHCP costs: no allocation per message, and the time per DISCOVER+REQUEST exchange.</summary>
public class DhcpCostTests
{
    private readonly ITestOutputHelper _output;
    public DhcpCostTests(ITestOutputHelper output) { _output = output; }

    /// <summary>A port that takes frames without keeping them, so the measurement sees only the router's allocations.</summary>
    private sealed class SinkInterface : TestInterface
    {
        public SinkInterface(byte[] mac) : base(mac) { }
        public long Sent;
        public override ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length) { length = 0; return ReceiveResult.NoFrame; }
        public override bool Send(byte[] buffer, int offset, int length) { Sent++; return true; }
    }

    [Fact]
    public void ServingAnExchangeAllocatesNothing()
    {
        const int Clients = 200, Rounds = 25;
        var lan = new SinkInterface(RouterRig.RouterLanMac);
        var clock = new TestClock();
        var firmware = new RouterFirmware(new Capacities { DhcpLeases = Clients }, new RouterSettings(), lan, new SinkInterface(RouterRig.RouterWanMac), clock, new TestRandom());
        firmware.DhcpServer.Settings.PoolStart = Frames.Ip("192.168.1.2");
        firmware.DhcpServer.Settings.PoolEnd = Frames.Ip("192.168.1.254");

        // Frames built up front: a DISCOVER and a REQUEST (INIT-REBOOT for .2+i) per client.
        var frames = new byte[Clients * 2][];
        for (int i = 0; i < Clients; i++)
        {
            byte[] mac = { 0x02, 0x10, 0, 0, (byte)(i >> 8), (byte)i };
            frames[2 * i] = Frames.Udp(Frames.Broadcast, mac, 0, global::Router.Wire.Ipv4Address.Broadcast, 68, 67, Request(DhcpMessageType.Discover, mac, (uint)i));
            frames[2 * i + 1] = Frames.Udp(Frames.Broadcast, mac, 0, global::Router.Wire.Ipv4Address.Broadcast, 68, 67,
                Request(DhcpMessageType.Request, mac, (uint)i, 0, 0, Addr(DhcpOption.RequestedAddress, Frames.Ip("192.168.1.2") + (uint)i)));
        }
        byte[] buffer = new byte[1514];
        void Run()
        {
            foreach (byte[] f in frames)
            {
                f.CopyTo(buffer, 0);
                firmware.DataPlane.Receive(global::Router.Link.NetworkPort.Lan, buffer, f.Length);
            }
        }
        Run(); // warm up: JIT, and every client bound
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int r = 0; r < Rounds; r++) Run();
        long end = Stopwatch.GetTimestamp();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        double microseconds = (end - start) * 1e6 / Stopwatch.Frequency;

        int messages = Rounds * frames.Length;
        Assert.Equal(0, allocated);
        Assert.Equal(Clients, firmware.DhcpServer.Leases.Count(DhcpLeaseTable.Bound));
        Assert.Equal((Rounds + 1) * Clients, firmware.DhcpServer.Counters[DhcpCounters.AcksSent]);
        Assert.Equal((Rounds + 1) * frames.Length, lan.Sent);
        _output.WriteLine($"{messages} messages with {Clients} leases bound: {microseconds / messages:F1} us/message, {allocated} bytes allocated");
    }
}
