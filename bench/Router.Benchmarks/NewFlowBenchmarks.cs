using System;
using BenchmarkDotNet.Attributes;
using Router.Boards;
using Router.Conntrack;
using Router.Link;
using Router.Tests.Support;
using Router.Wire;

namespace Router.Benchmarks;

/// <summary>
/// New-flow setup: the first packet of a new outbound flow (a UDP datagram or a TCP SYN, 64-byte packets) from the LAN
/// through DataPlane.Receive, creating the NAT mapping and the connection and forwarding the packet, then freeing the
/// connection (which releases its mapping) so the table never fills. Each invocation uses the next of 4096 source ports,
/// in a table half full of established flows.
/// </summary>
[MemoryDiagnoser]
public class NewFlowBenchmarks
{
    private const int Ports = 4096;
    private const int FirstPort = 20000;
    private const int RemotePort = 443;

    [Params("UDP", "TCP SYN")]
    public string Protocol = "";

    private LoadRig _rig = null!;
    private ConnectionTable _connections = null!;
    private byte[][] _frames = null!;
    private int _protocol;
    private int _next;
    private long _createdBefore, _forwardedBefore, _receivedBefore;

    [GlobalSetup]
    public void Setup()
    {
        Capacities capacities = BoardProfiles.Esp32Ethernet().Capacities;
        _rig = new LoadRig(capacities, lanHosts: 2);
        _connections = _rig.Router.Connections;
        for (int i = 0; i < capacities.Connections / 2; i++) _rig.EstablishUdp(1, 1024 + i, 53);
        bool tcp = Protocol == "TCP SYN";
        _protocol = tcp ? IpProtocol.Tcp : IpProtocol.Udp;
        _frames = new byte[Ports][];
        for (int i = 0; i < Ports; i++)
        {
            _frames[i] = tcp ? _rig.LanTcp(0, FirstPort + i, RemotePort, TcpSegment.Syn, 1000, 0, 64 - 40) : _rig.LanUdp(0, FirstPort + i, RemotePort, 64 - 28);
        }
        _createdBefore = _connections.Created;
        _forwardedBefore = _rig.Counters[Counters.Forwarded];
        _receivedBefore = _rig.Counters[Counters.FramesReceived];
    }

    [Benchmark(Description = "new flow: first packet forwarded, then freed")]
    public void NewFlow()
    {
        int i = _next;
        _next = (i + 1) & (Ports - 1);
        byte[] frame = _frames[i];
        Buffer.BlockCopy(frame, 0, _rig.Buffer, 0, frame.Length);
        _rig.Router.Receive(NetworkPort.Lan, _rig.Buffer, frame.Length);
        int node = _connections.Find(_protocol, LoadRig.Host(0), LoadRig.Remote, FirstPort + i, RemotePort);
        _connections.Free(node >> 1); // a missing flow (node -1) fails the run here
    }

    [GlobalCleanup]
    public void EveryPacketOpenedAFlowAndWasForwarded()
    {
        long received = _rig.Counters[Counters.FramesReceived] - _receivedBefore;
        long forwarded = _rig.Counters[Counters.Forwarded] - _forwardedBefore;
        long created = _connections.Created - _createdBefore;
        if (forwarded != received || created != received)
        {
            throw new InvalidOperationException($"{received} first packets: {created} flows created, {forwarded} forwarded");
        }
    }
}
