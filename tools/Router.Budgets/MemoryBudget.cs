using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Router.Boards;
using Router.Config;
using Router.Conntrack;
using Router.Dhcp;
using Router.Drivers.W5500;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Hal.Desktop.Chips;
using Router.Helpers.Ftp;
using Router.Ip;
using Router.Link;
using Router.Nat;
using Router.Rules;
using Router.Web;
using Router.Tcp;

namespace Router.Budgets;

/// <summary>One capacity knob of <see cref="Capacities"/> whose cost per unit the report shows.</summary>
public sealed record BudgetItem(string Name, Func<Capacities, int> Get, Action<Capacities, int> Set);

/// <summary>What one unit of an item costs in the nanoCLR model (and in payload bytes, any runtime), measured on a board's whole firmware.</summary>
public sealed record UnitCost(BudgetItem Item, int Count, double NanoBytesPerUnit, double PayloadBytesPerUnit)
{
    public long NanoTotal => (long)Math.Round(NanoBytesPerUnit * Count);
}

/// <summary>The measured memory of one board's firmware.</summary>
public sealed record BoardBudget(BoardProfile Board, HeapWalk State, IReadOnlyList<UnitCost> Units)
{
    public UnitCost Unit(string name) => Units.First(u => u.Item.Name == name);

    /// <summary>nanoCLR-model bytes of the whole firmware against the board's firmware budget.</summary>
    public long HeadroomBytes => Board.FirmwareBudgetBytes - State.NanoBytes;
    public bool Fits => HeadroomBytes >= 0;

    /// <summary>What the firmware itself claims a connection costs (table + TCP window state + NAT per-connection chain), in payload bytes.</summary>
    public int FirmwareBytesPerConnection =>
        ConnectionTable.BytesPerEntry(Board.Capacities.Connections) + TcpWindowTracker.BytesPerConnection + NatMappingTable.BytesPerConnection;
}

/// <summary>
/// Measures the firmware's memory per board profile, as the board builds it: <see cref="RouterFirmware"/> booted from
/// its flash, with the web UI attached. Figures come from a <see cref="HeapWalk"/> of the live objects: the nanoCLR model
/// (what the board's managed heap must hold, against <see cref="BoardProfile.FirmwareBudgetBytes"/>) and, beside it,
/// CoreCLR x64. Nothing is computed from constants.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Fewest units a per-unit cost is measured over.</summary>
    public const int MinStep = 12;

    /// <summary>
    /// The knobs reported per unit. The cost of one unit is the growth of the whole firmware per unit of the knob (built
    /// at the board's value and at half of it; at 24 and 12 for smaller tables), so every array sized by that knob is counted wherever it lives: a
    /// conntrack entry includes NatMappingTable's per-connection chain, a port-forward rule the web buffers that must
    /// hold the longest rule list. Add a table by adding its knob here.
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
        new("web connection slot", c => c.TcpConnections, (c, v) => c.TcpConnections = v),
    };

    /// <summary>Types whose reachable objects are reported as one component; anything else is booked under the nearest one.</summary>
    public static readonly HashSet<Type> Components = new()
    {
        typeof(ConnectionTable), typeof(TcpWindowTracker), typeof(NatMappingTable), typeof(ArpCache), typeof(PendingFrames), typeof(FragmentTable), typeof(Counters),
        typeof(DataPlane), typeof(ExpectationTable), typeof(FtpSessions), typeof(FtpLineBuffers), typeof(SequenceAdjuster), typeof(FtpHelper),
        typeof(PortForwardTable), typeof(PortTriggerTable), typeof(DhcpLeaseTable), typeof(DhcpServer), typeof(DhcpClient), typeof(RouterConfig),
        typeof(ConfigStore), typeof(FlashLeaseStore), typeof(HttpConnection), typeof(StaticFiles), typeof(WebContext), typeof(TcpEndpoint), typeof(WebUi),
        typeof(W5500Driver),
    };

    /// <summary>Roots of the walk: the firmware and the web UI the board attaches to it.</summary>
    public const string FirmwareRoot = nameof(RouterFirmware), WebRoot = nameof(WebUi);

    public static BoardBudget Measure(BoardProfile board)
    {
        var units = new List<UnitCost>();
        foreach (BudgetItem item in Items)
        {
            // Between n/2 and n units, or 12 and 24 for small tables: halving keeps power-of-two bucket arrays in step,
            // and a step of 12 or more keeps each array's rounding to 12-byte blocks under a byte per unit.
            int count = Math.Max(2 * MinStep, item.Get(board.Capacities)), smaller = count / 2;
            Capacities more = Copy(board.Capacities), fewer = Copy(board.Capacities);
            item.Set(more, count);
            item.Set(fewer, smaller);
            HeapWalk big = Walk(board, more), small = Walk(board, fewer);
            units.Add(new UnitCost(item, item.Get(board.Capacities),
                (double)(big.NanoBytes - small.NanoBytes) / (count - smaller), (double)(big.PayloadBytes - small.PayloadBytes) / (count - smaller)));
        }
        return new BoardBudget(board, Walk(board, board.Capacities), units);
    }

    /// <summary>
    /// Builds what a board builds (a W5500 driver per port over the chip model, the firmware booted from blank flash, the
    /// web UI attached as its loop service) and walks it with the statics of the firmware's assemblies. The drivers are
    /// firmware code and are counted; the desktop stand-ins for the board's devices (the W5500 chips, flash, clock,
    /// random source, the web files in the application image) are not walked: on a board they are hardware or flash.
    /// </summary>
    public static HeapWalk Walk(BoardProfile board, Capacities capacities)
    {
        var (firmware, web) = Build(board, capacities);
        return HeapWalk.Of(new[] { (FirmwareRoot, (object)firmware), (WebRoot, (object)web) }, Array.Empty<object>(), Components, IsFirmwareAssembly, statics: true);
    }

    public static (RouterFirmware Firmware, WebUi Web) Build(BoardProfile board, Capacities capacities)
    {
        var random = new FixedRandom();
        var clock = new StoppedClock();
        INetworkInterface lan = Port(board, 0, 0x10, clock), wan = Port(board, 1, 0x20, clock);
        var firmware = new RouterFirmware(capacities, new RouterSettings(), lan, wan, clock, random);
        int sectors = RouterFirmware.FlashSectorsNeeded(capacities, board.FlashSectorSize, board.ConfigSectors);
        firmware.Boot(new MemoryFlash(board.FlashSectorSize, sectors), board.ConfigSectors, factoryReset: false);
        var web = new WebUi(firmware, firmware.Store, random, WebFiles.Value, board.Name, WebUi.LimitsFor(capacities));
        firmware.LoopService = web;
        return (firmware, web);
    }

    /// <summary>
    /// What one SPI Ethernet port's driver takes: a <see cref="W5500Driver"/> as constructed over the W5500 chip model
    /// (the model, a desktop stand-in for the chip, is not walked). A board's totals hold one per W5500 port.
    /// </summary>
    public static HeapWalk NicDriver()
    {
        var driver = W5500(0x10, new StoppedClock());
        return HeapWalk.Of(new[] { (nameof(W5500Driver), (object)driver) }, Array.Empty<object>(), Components, IsFirmwareAssembly, statics: false);
    }

    /// <summary>Router port <paramref name="index"/> as the board drives it: a W5500 driver over the chip model, or a stand-in on the desktop.</summary>
    private static INetworkInterface Port(BoardProfile board, int index, int macByte, IClock clock) =>
        index < board.W5500Ports ? W5500(macByte, clock) : new Unplugged(macByte);

    private static W5500Driver W5500(int macByte, IClock clock)
    {
        var chip = new W5500Model(new Unplugged(macByte));
        return new W5500Driver(chip, chip.ResetPin, chip.InterruptPin, clock, new byte[] { 0x02, 0, 0, 0, 0, (byte)macByte });
    }

    /// <summary>The web UI's compressed files as the desktop keeps them (the firmware assembly's resources); a board reads its flash.</summary>
    public static readonly Lazy<IAssetSource> WebFiles = new(() => new EmbeddedAssetSource(typeof(WebUi).Assembly, WebAssetBundle.ResourcePrefix));

    /// <summary>
    /// nanoCLR garbage of sending every web file once in slices of <paramref name="sliceBytes"/>: on a board each slice
    /// read from the application image is a new byte[] (nanoFramework's ResourceUtility.GetObject with offset and
    /// length), which the next collection reclaims. Per slice that is the array of the slice's length.
    /// </summary>
    public static long StaticFileGarbage(int sliceBytes)
    {
        long total = 0;
        IAssetSource files = WebFiles.Value;
        for (int asset = 0; asset < WebAssetBundle.AssetCount; asset++)
        {
            for (int offset = 0, length = files.Length(asset); offset < length; offset += sliceBytes)
            {
                total += NanoClrSizes.Array(Math.Min(sliceBytes, length - offset), 1);
            }
        }
        return total;
    }

    /// <summary>
    /// Builds a bare <see cref="RouterFirmware"/> and walks it without statics, stopping at the objects handed to it; also
    /// returns the bytes the GC saw allocated by its construction, so the walk's CoreCLR figure can be checked against it.
    /// </summary>
    public static (HeapWalk Walk, long Allocated) MeasureConstruction(Capacities capacities)
    {
        MeasureConstructionOnce(capacities); // warm up: type initializers and first-call allocations are not state
        return MeasureConstructionOnce(capacities);
    }

    private static (HeapWalk Walk, long Allocated) MeasureConstructionOnce(Capacities capacities)
    {
        var settings = new RouterSettings();
        var lan = new Unplugged(0x10);
        var wan = new Unplugged(0x20);
        var clock = new StoppedClock();
        var random = new FixedRandom();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var firmware = new RouterFirmware(capacities, settings, lan, wan, clock, random);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        object[] handed = { capacities, settings, lan, wan, lan.MacAddress, wan.MacAddress, clock, random };
        return (HeapWalk.Of(new[] { (FirmwareRoot, (object)firmware) }, handed, Components, IsFirmwareAssembly, statics: false), allocated);
    }

    /// <summary>
    /// Firmware assemblies are the router's own that build for nanoFramework (netstandard2.0 or nanoFramework's
    /// mscorlib, see Directory.Build.props): their code and objects are what the board runs.
    /// </summary>
    public static bool IsFirmwareAssembly(Assembly assembly)
    {
        if (!assembly.GetName().Name!.StartsWith("Router.", StringComparison.Ordinal)) return false;
        return assembly.GetReferencedAssemblies().Any(r => r.Name == "netstandard" || r.Name == "mscorlib");
    }

    /// <summary>A copy of every capacity (public fields, so a knob added later is copied too).</summary>
    public static Capacities Copy(Capacities c)
    {
        var copy = new Capacities();
        foreach (FieldInfo f in typeof(Capacities).GetFields(BindingFlags.Instance | BindingFlags.Public)) f.SetValue(copy, f.GetValue(c));
        return copy;
    }

    // Devices the measured firmware is built with; they stand in for the board's drivers.
    private sealed class Unplugged(int macByte) : INetworkInterface
    {
        public byte[] MacAddress { get; } = { 0x02, 0, 0, 0, 0, (byte)macByte };
        public void SetMacAddress(byte[] mac, int offset) { }
        public ReceiveFilter Filter => ReceiveFilter.Normal;
        public void SetReceiveFilter(ReceiveFilter filter) { }
        public int MaxFrameLength => 1514;
        public InterfaceCapabilities Capabilities => InterfaceCapabilities.None;
        public bool IsLinkUp => false;
        public int LinkUpCount => 0;
        public int LinkDownCount => 0;
        public bool FrameReady => false;
        public void SetFrameReadyListener(IFrameReadyListener listener) { }
        public ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length) { length = 0; return ReceiveResult.NoFrame; }
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
