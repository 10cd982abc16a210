using System;
using BenchmarkDotNet.Attributes;
using Router.Conntrack;
using Router.Wire;

namespace Router.Benchmarks;

/// <summary>
/// ConnectionTable.Find at 10, 50, 90 and 99 % occupancy, for the ESP32 table (512 entries) and the desktop one (16384).
/// Entries are NAT-shaped random TCP/UDP tuples; each invocation looks up 1024 precomputed keys (either direction of
/// random existing connections for hits; tuples of no connection for misses, which walk a whole chain).
/// </summary>
[MemoryDiagnoser]
public class ConntrackLookupBenchmarks
{
    private const int Keys = 1024;

    [Params(512, 16384)]
    public int Capacity;

    [Params(10, 50, 90, 99)]
    public int OccupancyPercent;

    private ConnectionTable _table = null!;
    private readonly int[] _protocol = new int[Keys * 2];
    private readonly uint[] _source = new uint[Keys * 2];
    private readonly uint[] _destination = new uint[Keys * 2];
    private readonly int[] _sourcePort = new int[Keys * 2];
    private readonly int[] _destinationPort = new int[Keys * 2];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _table = new ConnectionTable(Capacity, new ConntrackTimeouts(), 0xC0FFEE);
        int count = Capacity * OccupancyPercent / 100;
        uint wan = Ipv4Address.Make(203, 0, 113, 2);
        for (int i = 0; i < count; i++)
        {
            int protocol = random.Next(2) == 0 ? IpProtocol.Tcp : IpProtocol.Udp;
            uint host = Ipv4Address.Make(192, 168, 1, 2 + random.Next(250));
            uint remote = (uint)random.Next();
            int port = random.Next(1024, 65536), remotePort = random.Next(1, 65536), outside = random.Next(1024, 65536);
            if (_table.Create(protocol, host, remote, port, remotePort, remote, wan, remotePort, outside, 0, out _) != CreateVerdict.Created) throw new InvalidOperationException("table full");
        }
        for (int k = 0; k < Keys; k++)
        {
            int entry;
            do entry = random.Next(Capacity); while (!_table.InUse(entry));
            int node = entry * 2 + random.Next(2);
            Key(k, _table.Protocol(entry), _table.SourceAddress(node), _table.DestinationAddress(node), _table.SourcePort(node), _table.DestinationPort(node));
            Key(Keys + k, IpProtocol.Udp, (uint)random.Next(), (uint)random.Next(), random.Next(65536), random.Next(65536));
            if (Find(k) < 0 || Find(Keys + k) >= 0) throw new InvalidOperationException("key set is wrong");
        }
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "Find (hit)")]
    public int FindHit()
    {
        int sum = 0;
        for (int k = 0; k < Keys; k++) sum += Find(k);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "Find (miss)")]
    public int FindMiss()
    {
        int sum = 0;
        for (int k = Keys; k < 2 * Keys; k++) sum += Find(k);
        return sum;
    }

    private int Find(int k) => _table.Find(_protocol[k], _source[k], _destination[k], _sourcePort[k], _destinationPort[k]);

    private void Key(int k, int protocol, uint source, uint destination, int sourcePort, int destinationPort)
    {
        _protocol[k] = protocol;
        _source[k] = source;
        _destination[k] = destination;
        _sourcePort[k] = sourcePort;
        _destinationPort[k] = destinationPort;
    }
}
