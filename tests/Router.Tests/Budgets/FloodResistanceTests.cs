using Router.Hal.Desktop;
using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Router.Boards;
using Router.Conntrack;
using Router.Link;
using Router.Tests.Routing;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Budgets;

/// <summary>
/// Runs in the non-parallel allocation collection, and its measuring method is JIT-compiled fully optimised up front:
/// otherwise the measured loop, in a method called once, starts as tier-0 code and is replaced mid-loop by on-stack
/// replacement, compiled synchronously on this thread, and any one-time runtime allocation that compilation (or a type
/// load racing a parallel test) makes is attributed to this thread's allocation count.
/// </summary>
[Collection(nameof(ZeroAllocationTests))]
public class FloodResistanceTests(ITestOutputHelper output)
{
    private const int EstablishedFlows = 100;
    private const int FloodPackets = 100_000;
    private const int RoundEvery = 1000;

    [Fact]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SynFloodFromBothSidesLeavesEstablishedFlowsWorkingWithConstantMemoryAndEveryRefusalCounted()
    {
        Capacities capacities = BoardProfiles.Esp32Ethernet().Capacities;
        var rig = new LoadRig(capacities, lanHosts: 10);
        ConnectionTable table = rig.Router.Connections;
        Counters c = rig.Counters;

        // 100 established TCP flows (10 hosts x 10 ports) and a data segment each way for each.
        var lanData = new byte[EstablishedFlows][];
        var wanData = new byte[EstablishedFlows][];
        for (int i = 0; i < EstablishedFlows; i++)
        {
            int host = i / 10, port = 30000 + i;
            int outside = rig.EstablishTcp(host, port, 443);
            lanData[i] = rig.LanTcp(host, port, 443, TcpSegment.Ack | TcpSegment.Psh, 1001, 5001, 32);
            wanData[i] = rig.WanTcp(443, outside, TcpSegment.Ack | TcpSegment.Psh, 5001, 1001, 32);
        }
        Assert.True(table.Count == EstablishedFlows, $"{table.Count} connections after establishing {EstablishedFlows}");

        var flood = new SynFlood(rig, new Random(2024));
        // Fill the table with SYNs nobody answers, then warm up every path the flood and the rounds take.
        while (table.Count < table.Capacity) flood.FromLan();
        for (int i = 0; i < 200; i++) { flood.FromLan(); flood.FromWan(); }
        int warmUpMissing = Round(rig, lanData, wanData);
        Assert.True(warmUpMissing == 0, $"{warmUpMissing} established packets lost in the warm-up round");

        long forwardedBefore = c[Counters.Forwarded], droppedBefore = c.DroppedTotal;
        long unsolicitedBefore = c[Counters.DropUnsolicited], fullBefore = c[Counters.DropConntrackFull];
        long exhaustedBefore = c[Counters.DropNatPortsExhausted], createdBefore = table.Created;
        long evictedBefore = table.Evicted, expiredBefore = table.Expired, lanSent = rig.Lan.FramesSent;
        int failedRounds = 0, lanFlood = 0, wanFlood = 0, tableNotFull = 0;
        // Bytes allocated per stretch of RoundEvery packets, so a failure says where (allocated before the measurement).
        long[] allocatedPerStretch = new long[FloodPackets / RoundEvery];
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long stretchStart = allocatedBefore;
        for (int n = 1; n <= FloodPackets; n++)
        {
            if ((n & 1) == 0) { flood.FromLan(); lanFlood++; }
            else { flood.FromWan(); wanFlood++; }
            if (table.Count != table.Capacity) tableNotFull++;
            if (n % RoundEvery == 0)
            {
                if (Round(rig, lanData, wanData) != 0) failedRounds++;
                long now = GC.GetAllocatedBytesForCurrentThread();
                allocatedPerStretch[n / RoundEvery - 1] = now - stretchStart;
                stretchStart = now;
            }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        // All 100 flows kept working both ways in every round, and nothing was allocated.
        Assert.True(failedRounds == 0, $"{failedRounds} of {FloodPackets / RoundEvery} rounds lost established packets");
        Assert.True(allocated == 0, $"{allocated} B allocated during the flood; per stretch of {RoundEvery} packets (index: bytes): " +
            string.Join(", ", allocatedPerStretch.Select((bytes, i) => (bytes, i)).Where(s => s.bytes != 0).Select(s => $"{s.i}: {s.bytes}")));
        Assert.True(tableNotFull == 0, $"the table was below capacity after {tableNotFull} of {FloodPackets} flood packets");
        for (int i = 0; i < EstablishedFlows; i++)
        {
            int node = table.Find(IpProtocol.Tcp, LoadRig.Host(i / 10), LoadRig.Remote, 30000 + i, 443);
            Assert.True(node >= 0 && table.State(node >> 1) == TcpState.Established && table.HasStatus(node >> 1, ConnectionTable.StatusAssured),
                $"flow {i}: node {node}, state {(node >= 0 ? table.State(node >> 1).ToString() : "-")}");
        }

        // Every refused flow is explained by a drop counter: WAN SYNs are unsolicited, LAN SYNs that were not let in
        // found the connection or the mapping table full of connections nobody may evict.
        int rounds = FloodPackets / RoundEvery, roundPackets = 2 * EstablishedFlows * rounds;
        long forwarded = c[Counters.Forwarded] - forwardedBefore - roundPackets;
        long dropped = c.DroppedTotal - droppedBefore;
        long unsolicited = c[Counters.DropUnsolicited] - unsolicitedBefore;
        long refusedLan = (c[Counters.DropConntrackFull] - fullBefore) + (c[Counters.DropNatPortsExhausted] - exhaustedBefore);
        Assert.True(wanFlood == unsolicited, $"{wanFlood} WAN SYNs, {unsolicited} counted unsolicited");
        Assert.True(lanFlood == forwarded + refusedLan, $"{lanFlood} LAN SYNs, {forwarded} forwarded + {refusedLan} refused");
        Assert.True(unsolicited + refusedLan == dropped, $"{unsolicited} unsolicited + {refusedLan} refused, {dropped} dropped in total");
        long lanFrames = rig.Lan.FramesSent - lanSent;
        Assert.True(roundPackets / 2 == lanFrames, $"{lanFrames} frames reached the LAN, {roundPackets / 2} expected"); // nothing from the flood reached the LAN
        // The table stayed full: every connection a LAN SYN opened took the place of one never assured, evicted (the clock
        // stands still, so none expired). A SYN repeating a tuple still in the table opens nothing and is forwarded.
        long created = table.Created - createdBefore;
        long evicted = table.Evicted - evictedBefore, expired = table.Expired - expiredBefore;
        Assert.True(created == evicted, $"{created} connections created, {evicted} evicted");
        Assert.True(expired == 0, $"{expired} connections expired");
        Assert.True(forwarded >= created && created > lanFlood * 9 / 10, $"{forwarded} forwarded, {created} created");
        output.WriteLine($"LAN SYNs {lanFlood}: forwarded {forwarded} (created {created}, evicted {table.Evicted - evictedBefore}), " +
            $"drop_conntrack_full {c[Counters.DropConntrackFull] - fullBefore}, drop_nat_ports_exhausted {c[Counters.DropNatPortsExhausted] - exhaustedBefore}; " +
            $"WAN SYNs {wanFlood}: drop_unsolicited {unsolicited}; established packets forwarded {roundPackets}; allocated {allocated} B");
    }

    /// <summary>Sends one data segment each way on every established flow; returns how many were not forwarded.</summary>
    private static int Round(LoadRig rig, byte[][] lanData, byte[][] wanData)
    {
        long forwarded = rig.Counters[Counters.Forwarded], dropped = rig.Counters.DroppedTotal;
        for (int i = 0; i < lanData.Length; i++)
        {
            rig.Receive(NetworkPort.Lan, lanData[i]);
            rig.Receive(NetworkPort.Wan, wanData[i]);
        }
        long missing = 2L * lanData.Length - (rig.Counters[Counters.Forwarded] - forwarded);
        return (int)missing + (int)(rig.Counters.DroppedTotal - dropped);
    }

    /// <summary>Bare SYNs with random sources, written in place into the rig's receive buffer (nothing allocated).</summary>
    private sealed class SynFlood
    {
        private readonly LoadRig _rig;
        private readonly Random _random;
        private readonly byte[] _lan;
        private readonly byte[] _wan;

        public SynFlood(LoadRig rig, Random random)
        {
            _rig = rig;
            _random = random;
            _lan = rig.LanTcp(0, 1, 80, TcpSegment.Syn, 1, 0);
            _wan = Frames.Tcp(LoadRig.RouterWanMac, LoadRig.GatewayMac, LoadRig.Remote, LoadRig.RouterWan, 1, 1, TcpSegment.Syn, 1, 0);
        }

        /// <summary>A SYN from a random LAN host (192.168.1.20-250) and port to the remote host's port 80.</summary>
        public void FromLan()
        {
            uint source = Ipv4Address.Make(192, 168, 1, _random.Next(20, 251));
            Send(NetworkPort.Lan, _lan, source, LoadRig.Remote, _random.Next(1024, 65536), 80);
        }

        /// <summary>A SYN from a random address in 198.18.0.0/15 and port to a random port of the WAN address.</summary>
        public void FromWan()
        {
            uint source = Ipv4Address.Make(198, 18, 0, 0) + (uint)_random.Next(1, 1 << 17);
            Send(NetworkPort.Wan, _wan, source, LoadRig.RouterWan, _random.Next(1, 65536), _random.Next(1, 65536));
        }

        private void Send(int port, byte[] template, uint source, uint destination, int sourcePort, int destinationPort)
        {
            byte[] b = _rig.Buffer;
            Buffer.BlockCopy(template, 0, b, 0, template.Length);
            NetworkOrder.WriteUInt32(b, 26, source);
            Ipv4Packet.FillChecksum(b, 14);
            TcpSegment.SetSourcePort(b, 34, sourcePort);
            TcpSegment.SetDestinationPort(b, 34, destinationPort);
            TcpSegment.FillChecksum(b, 34, source, destination, TcpSegment.MinHeaderLength);
            _rig.Router.Receive(port, b, template.Length);
        }
    }
}
