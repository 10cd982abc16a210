using System;
using BenchmarkDotNet.Attributes;
using Router.Boards;
using Router.Link;
using Router.Tests.Support;
using Router.Wire;

namespace Router.Benchmarks;

/// <summary>
/// Per-packet cost of the fast path: one packet of an established, assured flow through DataPlane.Receive (parse,
/// conntrack lookup, TCP tracking, NAT rewrite with incremental checksums, TTL, ARP-cache hit, send to a counting device).
/// The router rewrites the frame in place, so each invocation first restores the header bytes it changes (the first
/// 54 bytes: Ethernet, IPv4, ports and checksums); <see cref="RestoreHeader"/> measures that restore alone, so the
/// router's own cost is the difference. PacketBytes is the IPv4 packet length (the frame is 14 bytes longer).
/// </summary>
[MemoryDiagnoser]
public class FastPathBenchmarks
{
    private const int RestoredBytes = 54;

    [Params("TCP", "UDP")]
    public string Protocol = "";

    [Params(64, 512, 1500)]
    public int PacketBytes;

    [Params("LAN→WAN", "WAN→LAN")]
    public string Direction = "";

    private LoadRig _rig = null!;
    private byte[] _template = null!;
    private int _port;
    private long _forwardedBefore, _droppedBefore, _receivedBefore;

    [GlobalSetup]
    public void Setup()
    {
        _rig = new LoadRig(BoardProfiles.Esp32Ethernet().Capacities);
        bool tcp = Protocol == "TCP";
        bool outbound = Direction == "LAN→WAN";
        int outside = tcp ? _rig.EstablishTcp(0, 40000, 443) : _rig.EstablishUdp(0, 40000, 443);
        int payload = PacketBytes - 20 - (tcp ? 20 : 8);
        int ack = TcpSegment.Ack | TcpSegment.Psh;
        _template = (tcp, outbound) switch
        {
            (true, true) => _rig.LanTcp(0, 40000, 443, ack, 1001, 5001, payload),
            (true, false) => _rig.WanTcp(443, outside, ack, 5001, 1001, payload),
            (false, true) => _rig.LanUdp(0, 40000, 443, payload),
            _ => _rig.WanUdp(443, outside, payload),
        };
        _port = outbound ? NetworkPort.Lan : NetworkPort.Wan;
        _template.CopyTo(_rig.Buffer, 0);

        // One packet by hand: it must be forwarded, to the right place, with valid checksums.
        CountingInterface egress = outbound ? _rig.Wan : _rig.Lan;
        egress.KeepLastFrame = true;
        RestoreHeaderAndReceive();
        egress.KeepLastFrame = false;
        string problem = Frames.ChecksumProblem(egress.LastFrame, egress.LastLength);
        uint destination = Ipv4Packet.Destination(egress.LastFrame, 14);
        if (egress.LastLength != _template.Length || problem != null || destination != (outbound ? LoadRig.Remote : LoadRig.Host(0)))
        {
            throw new InvalidOperationException($"setup packet was not forwarded correctly ({problem})");
        }
        _forwardedBefore = _rig.Counters[Counters.Forwarded];
        _droppedBefore = _rig.Counters.DroppedTotal;
        _receivedBefore = _rig.Counters[Counters.FramesReceived];
    }

    [Benchmark(Baseline = true, Description = "restore header only")]
    public void RestoreHeader()
    {
        Buffer.BlockCopy(_template, 0, _rig.Buffer, 0, RestoredBytes);
    }

    [Benchmark(Description = "restore header + Receive")]
    public void RestoreHeaderAndReceive()
    {
        Buffer.BlockCopy(_template, 0, _rig.Buffer, 0, RestoredBytes);
        _rig.Router.Receive(_port, _rig.Buffer, _template.Length);
    }

    /// <summary>Fails the run unless every packet measured was forwarded (a per-iteration check would disturb the timing).</summary>
    [GlobalCleanup]
    public void EveryPacketWasForwarded()
    {
        Counters c = _rig.Counters;
        long received = c[Counters.FramesReceived] - _receivedBefore;
        long forwarded = c[Counters.Forwarded] - _forwardedBefore;
        if (forwarded != received || c.DroppedTotal != _droppedBefore)
        {
            throw new InvalidOperationException($"{received} packets received but only {forwarded} forwarded");
        }
    }
}
