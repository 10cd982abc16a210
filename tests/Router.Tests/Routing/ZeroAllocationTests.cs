using System;
using Router.Hal.Desktop;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Routing;

[CollectionDefinition(nameof(ZeroAllocationTests), DisableParallelization = true)]
public sealed class ZeroAllocationCollection { }

/// <summary>
/// The per-packet path allocates nothing: a million packets of established TCP and UDP flows, both directions,
/// through <see cref="DataPlane.Poll"/> on desktop virtual wires, with no allocation and no collection.
/// Runs alone: collection counts are process-wide, so tests allocating in parallel would move them.
/// </summary>
[Collection(nameof(ZeroAllocationTests))]
public class ZeroAllocationTests
{
    private const int FlowCount = 6; // 3 TCP, 3 UDP, from two inside hosts
    private const int MeasuredPackets = 1_008_000;

    /// <summary>The far ends of the router's cables: inject prebuilt frames and drain what arrives, reusing every buffer.</summary>
    private sealed class Peers
    {
        public readonly VirtualPort Lan, Wan;
        private readonly byte[] _scratch = new byte[VirtualWire.DefaultMaxFrameBytes];
        public long LanReceived, WanReceived;

        public Peers(VirtualPort lan, VirtualPort wan) { Lan = lan; Wan = wan; }

        public void Drain()
        {
            while (Lan.Receive(_scratch, 0, _scratch.Length) > 0) LanReceived++;
            while (Wan.Receive(_scratch, 0, _scratch.Length) > 0) WanReceived++;
        }

        public byte[] TakeWan()
        {
            int n = Wan.Receive(_scratch, 0, _scratch.Length);
            Assert.True(n > 0, "expected a frame on the WAN");
            return _scratch.AsSpan(0, n).ToArray();
        }

        public byte[] TakeLan()
        {
            int n = Lan.Receive(_scratch, 0, _scratch.Length);
            Assert.True(n > 0, "expected a frame on the LAN");
            return _scratch.AsSpan(0, n).ToArray();
        }
    }

    [Fact]
    public void EstablishedFlowsAreForwardedWithoutAllocating()
    {
        var lanWire = VirtualWire.Create(VirtualWire.DefaultMaxFrameBytes, 64, RouterLanMac, Frames.Mac(0x70));
        var wanWire = VirtualWire.Create(VirtualWire.DefaultMaxFrameBytes, 64, RouterWanMac, GatewayMac);
        var clock = new ManualClock(1000);
        var router = new DataPlane(new Capacities(), new RouterSettings(), lanWire.A, wanWire.A, clock, new SeededRandom(7));
        var peers = new Peers(lanWire.B, wanWire.B);

        // Neighbours announce themselves.
        Inject(peers.Wan, Frames.Arp(RouterWanMac, GatewayMac, ArpPacket.OperationRequest, GatewayMac, Gateway, new byte[6], RouterWan));
        Inject(peers.Lan, Frames.Arp(RouterLanMac, HostMac, ArpPacket.OperationRequest, HostMac, Host, new byte[6], RouterLan));
        Inject(peers.Lan, Frames.Arp(RouterLanMac, Host2Mac, ArpPacket.OperationRequest, Host2Mac, Host2, new byte[6], RouterLan));
        router.Poll(8);
        peers.Drain();

        // Open the flows and prebuild one data frame per flow and direction.
        var outbound = new byte[FlowCount][];
        var inbound = new byte[FlowCount][];
        byte[] payload = new byte[100];
        for (int i = 0; i < FlowCount; i++)
        {
            bool tcp = i % 2 == 0;
            uint host = i < 3 ? Host : Host2;
            byte[] mac = i < 3 ? HostMac : Host2Mac;
            int port = 40000 + i % 3;
            uint remote = Ipv4Address.Make(198, 51, 100, 10 + i);
            int remotePort = tcp ? 443 : 4500;
            if (tcp)
            {
                int mapped = Exchange(router, peers, Frames.Tcp(RouterLanMac, mac, host, remote, port, remotePort, TcpSegment.Syn, 100));
                ExchangeBack(router, peers, Frames.Tcp(RouterWanMac, GatewayMac, remote, RouterWan, remotePort, mapped, TcpSegment.Syn | TcpSegment.Ack, 900, 101));
                Exchange(router, peers, Frames.Tcp(RouterLanMac, mac, host, remote, port, remotePort, TcpSegment.Ack, 101, 901));
                outbound[i] = Frames.Tcp(RouterLanMac, mac, host, remote, port, remotePort, TcpSegment.Ack | TcpSegment.Psh, 101, 901, payload);
                inbound[i] = Frames.Tcp(RouterWanMac, GatewayMac, remote, RouterWan, remotePort, mapped, TcpSegment.Ack | TcpSegment.Psh, 901, 201, payload);
            }
            else
            {
                int mapped = Exchange(router, peers, Frames.Udp(RouterLanMac, mac, host, remote, port, remotePort, payload));
                ExchangeBack(router, peers, Frames.Udp(RouterWanMac, GatewayMac, remote, RouterWan, remotePort, mapped, payload));
                outbound[i] = Frames.Udp(RouterLanMac, mac, host, remote, port, remotePort, payload);
                inbound[i] = Frames.Udp(RouterWanMac, GatewayMac, remote, RouterWan, remotePort, mapped, payload);
            }
        }
        Assert.Equal(FlowCount, router.Connections.Count);

        Pump(router, peers, outbound, inbound, 120_000); // warm-up: let tiered compilation settle
        long forwardedBefore = router.Counters[Counters.Forwarded];
        long lanBefore = peers.LanReceived, wanBefore = peers.WanReceived;
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        Pump(router, peers, outbound, inbound, MeasuredPackets);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Equal(0, allocated);
        Assert.Equal(gen0, GC.CollectionCount(0));
        Assert.Equal(gen1, GC.CollectionCount(1));
        Assert.Equal(gen2, GC.CollectionCount(2));

        Assert.Equal(MeasuredPackets, router.Counters[Counters.Forwarded] - forwardedBefore);
        Assert.Equal(MeasuredPackets / 2, peers.LanReceived - lanBefore);
        Assert.Equal(MeasuredPackets / 2, peers.WanReceived - wanBefore);
        Assert.Equal(0, router.Counters.DroppedTotal);
        Assert.Equal(router.Counters[Counters.FramesReceived], router.Counters[Counters.Forwarded] + router.Counters[Counters.Consumed]);
    }

    /// <summary>Each round injects one frame per flow and direction, polls, and drains both peers: no allocation anywhere.</summary>
    private static void Pump(DataPlane router, Peers peers, byte[][] outbound, byte[][] inbound, int packets)
    {
        for (int sent = 0; sent < packets; sent += 2 * outbound.Length)
        {
            for (int i = 0; i < outbound.Length; i++)
            {
                peers.Lan.Send(outbound[i], 0, outbound[i].Length);
                peers.Wan.Send(inbound[i], 0, inbound[i].Length);
            }
            router.Poll(RouterFirmware.PollBudget);
            peers.Drain();
        }
    }

    private static void Inject(VirtualPort peer, byte[] frame) => Assert.True(peer.Send(frame, 0, frame.Length));

    /// <summary>Sends a frame from the LAN and returns the source port (or identifier) it left the WAN with.</summary>
    private static int Exchange(DataPlane router, Peers peers, byte[] frame)
    {
        Inject(peers.Lan, frame);
        router.Poll(1);
        byte[] f = peers.TakeWan();
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
        return UdpDatagram.SourcePort(f, 34);
    }

    private static void ExchangeBack(DataPlane router, Peers peers, byte[] frame)
    {
        Inject(peers.Wan, frame);
        router.Poll(1);
        byte[] f = peers.TakeLan();
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
    }
}
