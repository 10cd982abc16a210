using System;
using BenchmarkDotNet.Attributes;
using Router.Boards;
using Router.Link;
using Router.Tests.Support;
using Router.Wire;

namespace Router.Benchmarks;

/// <summary>
/// ICMP error translation: a Destination Unreachable from a WAN router quoting an outbound UDP datagram, matched to its
/// connection and translated back (outer destination, quoted addresses, port and checksums, ICMP checksum) and sent to the
/// LAN host, through DataPlane.Receive. The whole 74-byte frame is restored before each invocation (the translation
/// rewrites the quote); <see cref="RestoreFrame"/> measures that restore alone.
/// </summary>
[MemoryDiagnoser]
public class IcmpErrorBenchmarks
{
    private LoadRig _rig = null!;
    private byte[] _error = null!;
    private long _translatedBefore, _receivedBefore;

    [GlobalSetup]
    public void Setup()
    {
        _rig = new LoadRig(BoardProfiles.Esp32Ethernet().Capacities);
        _rig.Wan.KeepLastFrame = true;
        _rig.Receive(NetworkPort.Lan, _rig.LanUdp(0, 40000, 53, 4));
        byte[] sent = _rig.Wan.LastFrame.AsSpan(0, _rig.Wan.LastLength).ToArray();
        _error = Frames.IcmpError(LoadRig.RouterWanMac, LoadRig.GatewayMac, Ipv4Address.Make(198, 51, 100, 1), LoadRig.RouterWan,
            IcmpMessage.TypeDestinationUnreachable, 3, sent, 20 + 8 + 4);

        _rig.Lan.KeepLastFrame = true;
        RestoreFrameAndReceive();
        _rig.Lan.KeepLastFrame = false;
        string problem = Frames.ChecksumProblem(_rig.Lan.LastFrame, _rig.Lan.LastLength);
        if (_rig.Lan.LastLength != _error.Length || problem != null || Ipv4Packet.Destination(_rig.Lan.LastFrame, 14) != LoadRig.Host(0))
        {
            throw new InvalidOperationException($"setup error was not translated correctly ({problem})");
        }
        _translatedBefore = _rig.Counters[Counters.IcmpErrorsTranslated];
        _receivedBefore = _rig.Counters[Counters.FramesReceived];
    }

    [Benchmark(Baseline = true, Description = "restore frame only")]
    public void RestoreFrame()
    {
        Buffer.BlockCopy(_error, 0, _rig.Buffer, 0, _error.Length);
    }

    [Benchmark(Description = "restore frame + Receive ICMP error")]
    public void RestoreFrameAndReceive()
    {
        Buffer.BlockCopy(_error, 0, _rig.Buffer, 0, _error.Length);
        _rig.Router.Receive(NetworkPort.Wan, _rig.Buffer, _error.Length);
    }

    [GlobalCleanup]
    public void EveryErrorWasTranslated()
    {
        long received = _rig.Counters[Counters.FramesReceived] - _receivedBefore;
        long translated = _rig.Counters[Counters.IcmpErrorsTranslated] - _translatedBefore;
        if (translated != received) throw new InvalidOperationException($"{received} errors received, {translated} translated");
    }
}
