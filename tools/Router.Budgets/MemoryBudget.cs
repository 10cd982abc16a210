using System;
using System.Collections.Generic;
using System.Linq;
using Router.Boards;
using Router.Config;
using Router.Conntrack;
using Router.Dhcp;
using Router.Helpers.Ftp;
using Router.Hal;
using Router.Ip;
using Router.Link;
using Router.Nat;
using Router.Rules;
using Router.Tcp;

namespace Router.Budgets;

/// <summary>One capacity knob of <see cref="Capacities"/> whose cost per unit the report shows.</summary>
public sealed record BudgetItem(string Name, Func<Capacities, int> Get, Action<Capacities, int> Set);

/// <summary>What one unit of an item costs, measured on a board's whole firmware.</summary>
public sealed record UnitCost(BudgetItem Item, int Count, double BytesPerUnit)
{
    public long Total => (long)Math.Round(BytesPerUnit * Count);
}

/// <summary>The measured memory of one board's firmware.</summary>
public sealed record BoardBudget(BoardProfile Board, HeapWalk State, long AllocatedByConstruction, IReadOnlyList<UnitCost> Units)
{
    public UnitCost Unit(string name) => Units.First(u => u.Item.Name == name);

    /// <summary>What the firmware itself claims a connection costs (table + NAT per-connection chain).</summary>
    public int FirmwareBytesPerConnection =>
        ConnectionTable.BytesPerEntry(Board.Capacities.Connections) + NatMappingTable.BytesPerConnection;
}

/// <summary>
/// Measures the firmware's memory per board profile: the cost of one unit of each table (conntrack entry, NAT mapping,
/// ARP entry, …) and the whole state against <see cref="Capacities.RamBudgetBytes"/>. Nothing is computed from constants:
/// each figure comes from a <see cref="HeapWalk"/> of a freshly built <see cref="RouterFirmware"/>.
/// </summary>
public static class MemoryBudget
{
    /// <summary>
    /// The knobs reported per unit. The cost of one unit is the growth of the whole firmware's state per unit of the knob
    /// (built at the board's value and at half of it), so every array sized by that knob is counted wherever it lives:
    /// a conntrack entry includes NatMappingTable's per-connection chain. Knobs no table uses yet measure 0.
    /// Add a table by adding its knob here.
    /// </summary>
    public static readonly BudgetItem[] Items =
    {
        new("conntrack entry", c => c.Connections, (c, v) => c.Connections = v),
        new("NAT mapping", c => c.NatMappings, (c, v) => c.NatMappings = v),
        new("ARP entry", c => c.ArpEntries, (c, v) => c.ArpEntries = v),
        new("ARP pending frame", c => c.ArpPending, (c, v) => c.ArpPending = v),
        new("fragment slot", c => c.Fragments, (c, v) => c.Fragments = v),
        new("expectation", c => c.Expectations, (c, v) => c.Expectations = v),
        new("helper connection", c => c.HelperConnections, (c, v) => c.HelperConnections = v),
        new("port-forward rule", c => c.PortForwards, (c, v) => c.PortForwards = v),
        new("port-trigger rule", c => c.PortTriggers, (c, v) => c.PortTriggers = v),
        new("DHCP lease", c => c.DhcpLeases, (c, v) => c.DhcpLeases = v),
        new("DHCP reservation", c => c.DhcpReservations, (c, v) => c.DhcpReservations = v),
        new("TCP connection slot", c => c.TcpConnections, (c, v) => c.TcpConnections = v),
    };

    /// <summary>Types whose reachable objects are reported as one component of the state.</summary>
    public static readonly HashSet<Type> Components = new()
    {
        typeof(ConnectionTable), typeof(NatMappingTable), typeof(ArpCache), typeof(PendingFrames), typeof(FragmentTable), typeof(Counters),
        typeof(DataPlane), typeof(FtpExpectationTable), typeof(FtpSessions), typeof(FtpLineBuffers), typeof(SequenceAdjuster), typeof(FtpHelper),
        typeof(PortForwardTable), typeof(PortTriggerTable), typeof(DhcpLeaseTable), typeof(DhcpServer), typeof(DhcpClient), typeof(RouterConfig),
        typeof(TcpEndpoint),
    };

    public static BoardBudget Measure(BoardProfile board)
    {
        Build(board.Capacities); // warm up: type initializers and first-call allocations are not state
        var (state, allocated) = Build(board.Capacities);
        var units = new List<UnitCost>();
        foreach (BudgetItem item in Items)
        {
            int count = item.Get(board.Capacities);
            int smaller = Math.Max(1, count / 2);
            if (smaller == count) count = smaller * 2;
            Capacities full = Copy(board.Capacities), half = Copy(board.Capacities);
            item.Set(full, count);
            item.Set(half, smaller);
            long grown = Build(full).State.PayloadBytes - Build(half).State.PayloadBytes;
            units.Add(new UnitCost(item, item.Get(board.Capacities), (double)grown / (count - smaller)));
        }
        return new BoardBudget(board, state, allocated, units);
    }

    /// <summary>
    /// Builds the whole firmware (data plane, FTP helper, forwards, triggers, DHCP server and client, configuration) and
    /// measures it; also returns the bytes the GC saw allocated by its construction. The web UI is not part of
    /// <see cref="RouterFirmware"/> (a board starts it beside the firmware) and is not counted here.
    /// </summary>
    public static (HeapWalk State, long Allocated) Build(Capacities capacities)
    {
        var settings = new RouterSettings();
        var lan = new Unplugged(0x10);
        var wan = new Unplugged(0x20);
        var clock = new StoppedClock();
        var random = new FixedRandom();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var firmware = new RouterFirmware(capacities, settings, lan, wan, clock, random);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        object[] external = { capacities, settings, lan, wan, lan.MacAddress, wan.MacAddress, clock, random };
        return (HeapWalk.Of(firmware, external, Components), allocated);
    }

    private static Capacities Copy(Capacities c) => new()
    {
        Connections = c.Connections, NatMappings = c.NatMappings, ArpEntries = c.ArpEntries, ArpPending = c.ArpPending,
        Fragments = c.Fragments, FrameSize = c.FrameSize, Expectations = c.Expectations, HelperConnections = c.HelperConnections,
        PortForwards = c.PortForwards, PortTriggers = c.PortTriggers, DhcpLeases = c.DhcpLeases, DhcpReservations = c.DhcpReservations,
        TcpConnections = c.TcpConnections, TcpBacklog = c.TcpBacklog, TcpReceiveBytes = c.TcpReceiveBytes, TcpSendBytes = c.TcpSendBytes,
        RamBudgetBytes = c.RamBudgetBytes,
    };

    // Devices the measured data plane is built with; they belong to the board, not to the data plane's state.
    private sealed class Unplugged(int macByte) : INetworkInterface
    {
        public byte[] MacAddress { get; } = { 0x02, 0, 0, 0, 0, (byte)macByte };
        public bool IsLinkUp => false;
        public int Receive(byte[] buffer, int offset, int capacity) => 0;
        public bool Send(byte[] buffer, int offset, int length) => false;
    }

    private sealed class StoppedClock : IClock
    {
        public long NowMilliseconds => 0;
    }

    private sealed class FixedRandom : IRandomSource
    {
        public uint NextUInt32() => 0x12345678;
        public void NextBytes(byte[] buffer, int offset, int count) => Array.Fill(buffer, (byte)0x5A, offset, count);
    }
}
