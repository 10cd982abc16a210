using System;
using System.Linq;
using Router.Boards;
using Router.Budgets;
using Router.Conntrack;
using Router.Nat;
using Router.Web;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Budgets;

public class MemoryBudgetTests
{
    private readonly ITestOutputHelper _output;

    public MemoryBudgetTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void EveryBoardsWholeFirmwareFitsItsBudgetInNanoClrBytes()
    {
        // The firmware as the board builds it (booted, web UI attached, statics), sized by the nanoCLR model, against
        // 80 % of the board's managed heap.
        foreach (string name in BoardProfiles.Names)
        {
            BoardBudget budget = MemoryBudget.Measure(BoardProfiles.ByName(name));
            _output.WriteLine($"{name}: {budget.State.NanoBytes:N0} B (nanoCLR model) of {budget.Board.FirmwareBudgetBytes:N0}; CoreCLR x64 {budget.State.ClrBytes:N0} B");
            Assert.True(budget.Fits, $"{name}: the firmware takes {budget.State.NanoBytes:N0} B on nanoCLR, its budget is {budget.Board.FirmwareBudgetBytes:N0} B");
        }
    }

    [Fact]
    public void AnEsp32WithoutPsramKeepsTheFirmwareWithin80KilobytesOfItsRoughly100()
    {
        BoardProfile esp32 = BoardProfiles.Esp32Ethernet();
        Assert.Equal(100 * 1024, esp32.ManagedHeapBytes);
        Assert.Equal(80 * 1024, esp32.FirmwareBudgetBytes);
        BoardBudget budget = MemoryBudget.Measure(esp32);
        Assert.True(budget.State.NanoBytes <= 80 * 1024, $"{budget.State.NanoBytes:N0} B");
    }

    [Fact]
    public void EveryBoardStatesItsHeapAndWhereTheFigureComesFrom()
    {
        Assert.Contains("esp32-eth-psram", BoardProfiles.Names);
        foreach (string name in BoardProfiles.Names)
        {
            BoardProfile board = BoardProfiles.ByName(name);
            Assert.Equal(name, board.Name);
            Assert.True(board.ManagedHeapBytes > 0, name);
            Assert.False(string.IsNullOrWhiteSpace(board.HeapSource), name);
        }
        Assert.Equal(13_631_488, BoardProfiles.Stm32F7Discovery().ManagedHeapBytes);
        Assert.InRange(BoardProfiles.Esp32EthernetPsram().ManagedHeapBytes, 3_500_000, 3_800_000);
    }

    [Fact]
    public void TheWalkReachesEveryPartOfTheBoardsComposition()
    {
        BoardBudget budget = MemoryBudget.Measure(BoardProfiles.Esp32Ethernet());
        foreach (string component in new[] { nameof(ConnectionTable), nameof(NatMappingTable), nameof(HttpConnection), nameof(StaticFiles),
                     nameof(WebContext), nameof(Router.Config.ConfigStore), MemoryBudget.FirmwareRoot, MemoryBudget.WebRoot })
        {
            Assert.True(budget.State.Component(component).Nano > 0, component);
        }
        Assert.True(budget.State.AllStatics().Nano >= 12 * budget.State.StaticFields);
        Assert.True(budget.State.StaticFields > 0);
        // The desktop stand-ins for the board's devices are named, not counted.
        Assert.Contains(budget.State.ExcludedTypes, t => t.Name == "MemoryFlash");
        // The NIC drivers (Router.Drivers, a firmware assembly) are walked; the chip models behind them are desktop stand-ins.
        HeapWalk nic = MemoryBudget.NicDriver();
        Assert.True(nic.NanoBytes >= 2 * 1514, $"{nic.NanoBytes} B");
        Assert.Contains(nic.ExcludedTypes, t => t.Name == "W5500Model");
        Assert.Contains(budget.State.ExcludedTypes, t => t.Name == "W5500Model");
        // Every web slot's buffer is there: the slots' share grows with their count.
        Assert.True(budget.Unit("web connection slot").NanoBytesPerUnit >= WebUi.LimitsFor(budget.Board.Capacities).BufferBytes);
    }

    [Fact]
    public void EveryBoardCountsItsTwoW5500DriversInItsTotal()
    {
        // A board's frames come from two W5500s (its built-in Ethernet gives managed code none): their drivers are on the
        // managed heap, so they are in the total that must fit the budget. Only the desktop runs on stand-ins.
        HeapWalk one = MemoryBudget.NicDriver();
        foreach (string name in BoardProfiles.Names)
        {
            BoardProfile board = BoardProfiles.ByName(name);
            Assert.Equal(name == "desktop" ? 0 : 2, board.W5500Ports);
            BoardBudget budget = MemoryBudget.Measure(board);
            long drivers = budget.State.Component(nameof(Router.Drivers.W5500.W5500Driver)).Nano;
            _output.WriteLine($"{name}: W5500 drivers {drivers:N0} B of {budget.State.NanoBytes:N0} B (nanoCLR model)");
            // Each driver's frame buffers and state; its MAC address array is booked with the data plane that also holds it.
            Assert.InRange(drivers, board.W5500Ports * (one.NanoBytes - 96), board.W5500Ports * one.NanoBytes);
            Assert.True(budget.Fits, $"{name}: with its drivers the firmware takes {budget.State.NanoBytes:N0} B, its budget is {budget.Board.FirmwareBudgetBytes:N0} B");
        }
    }

    [Fact]
    public void TheWebFilesStayOutOfTheHeap()
    {
        // The compressed pages (about 14 KB) are read from the board's image in slices: neither the static files
        // component nor any static field holds them.
        BoardBudget budget = MemoryBudget.Measure(BoardProfiles.Esp32Ethernet());
        Assert.True(StaticFiles.TotalBytes > 10_000, $"{StaticFiles.TotalBytes} B of pages");
        Assert.True(budget.State.Component(nameof(StaticFiles)).Nano < 100, $"{budget.State.Component(nameof(StaticFiles)).Nano} B");
        Assert.True(budget.State.AllStatics().Nano < StaticFiles.TotalBytes / 2, $"statics {budget.State.AllStatics().Nano} B");
        Assert.Contains(budget.State.ExcludedTypes, t => t.Name == "EmbeddedAssetSource");
        // The garbage of sending them on the board: a byte[] per slice, each of the slice's length plus one array header.
        Assert.Equal(1044, NanoClrSizes.Array(1024, 1));
        Assert.InRange(MemoryBudget.StaticFileGarbage(1024), StaticFiles.TotalBytes, StaticFiles.TotalBytes + 32 * (StaticFiles.TotalBytes / 1024 + 3));
    }

    [Fact]
    public void FirmwareAssembliesAreTheOnesBuiltForNanoFramework()
    {
        Assert.True(MemoryBudget.IsFirmwareAssembly(typeof(RouterFirmware).Assembly));
        Assert.True(MemoryBudget.IsFirmwareAssembly(typeof(Router.Hal.IClock).Assembly));
        Assert.True(MemoryBudget.IsFirmwareAssembly(typeof(BoardProfile).Assembly));
        Assert.False(MemoryBudget.IsFirmwareAssembly(typeof(Router.Hal.Desktop.MemoryFlash).Assembly));
        Assert.False(MemoryBudget.IsFirmwareAssembly(typeof(MemoryBudget).Assembly));
        Assert.False(MemoryBudget.IsFirmwareAssembly(typeof(MemoryBudgetTests).Assembly));
    }

    [Fact]
    public void AConntrackEntryCostsAtMost100BytesAllIn()
    {
        foreach (string name in BoardProfiles.Names)
        {
            BoardBudget budget = MemoryBudget.Measure(BoardProfiles.ByName(name));
            UnitCost entry = budget.Unit("conntrack entry");
            Assert.True(entry.NanoBytesPerUnit <= 100, $"{name}: {entry.NanoBytesPerUnit} nanoCLR bytes per conntrack entry");
            // The firmware's own figure (used by status pages) must not undercount what was measured.
            Assert.True(budget.FirmwareBytesPerConnection >= entry.PayloadBytesPerUnit, $"{name}: firmware says {budget.FirmwareBytesPerConnection}, measured {entry.PayloadBytesPerUnit}");
        }
    }

    [Fact]
    public void EveryTableOfTheFirmwareIsCountedPerUnit()
    {
        // Every capacity knob has a table behind it that grows with it: none measures 0.
        foreach (string name in BoardProfiles.Names)
        {
            BoardBudget budget = MemoryBudget.Measure(BoardProfiles.ByName(name));
            foreach (UnitCost unit in budget.Units)
            {
                Assert.True(unit.NanoBytesPerUnit > 0, $"{name}: {unit.Item.Name} measures {unit.NanoBytesPerUnit} bytes per unit");
            }
        }
    }

    [Fact]
    public void TheWalkAccountsForEveryByteTheGcSawAllocated()
    {
        // The walk's CoreCLR figure must agree with the GC's own count of what constructing a RouterFirmware allocated:
        // if it missed an array, or counted one twice, the two would differ.
        var (walk, allocated) = MemoryBudget.MeasureConstruction(BoardProfiles.Esp32Ethernet().Capacities);
        Assert.Equal(allocated, walk.ClrBytes);
    }

    [Fact]
    public void UnitCostsMatchTheTablesArraysByHand()
    {
        BoardProfile esp32 = BoardProfiles.Esp32Ethernet();
        int entries = esp32.Capacities.Connections;
        BoardBudget budget = MemoryBudget.Measure(esp32);
        // Payload hand count (buckets = 2 x entries, one per node): per node (2 per entry) addresses 4+4, ports 2+2, chain 2 = 28;
        // per entry protocol, state, status 1+1+1, last seen 4, link 2, list 2+2 = 13; buckets 2 x 2; NAT chain per connection 2;
        // TCP window tracking per direction end, max end, max window, max ack 4 x 4, scale and flags 1+1 (2 x 18), per
        // connection last class 1, end 4, window 2, ack 4, scale 1, flags 1 = 49.
        UnitCost entry = budget.Unit("conntrack entry");
        Assert.Equal(28 + 13 + 4 + 2 + 49, entry.PayloadBytesPerUnit);
        Assert.Equal(49, TcpWindowTracker.BytesPerConnection);
        Assert.Equal(ConnectionTable.BytesPerEntry(entries) + TcpWindowTracker.BytesPerConnection + NatMappingTable.BytesPerConnection, entry.PayloadBytesPerUnit);
        // nanoCLR packs those arrays the same way; only each array's rounding to 12-byte blocks (at most 11 B for each of
        // about 25 arrays, over the step measured) separates the two.
        Assert.InRange(entry.NanoBytesPerUnit, 96 - 25 * 11.0 / (entries / 2), 96 + 25 * 11.0 / (entries / 2));
        // NAT mapping: protocol 1, inside address 4, ports 2+2, first connection 2, two chains 2+2, two bucket arrays 2+2.
        Assert.Equal(19, budget.Unit("NAT mapping").PayloadBytesPerUnit);
        // A held frame: a 1514-byte buffer, its reference (8 on CoreCLR), length 4, port 4, next hop 4. On nanoCLR the
        // buffer is 12 x ceil((20 + 1514) / 12) = 1536 and its slot in the reference array 12, plus three packed ints.
        Assert.Equal(1514 + 8 + 12, budget.Unit("ARP pending frame").PayloadBytesPerUnit);
        Assert.InRange(budget.Unit("ARP pending frame").NanoBytesPerUnit, 1536 + 12 + 12 - 11, 1536 + 12 + 12 + 11 * 4);
        // The table as a whole: its arrays plus a few hundred bytes of fields, timeouts and listener slots.
        Assert.InRange(budget.State.Component("ConnectionTable").Payload, entries * 45L, entries * 45L + 300);
        Assert.InRange(budget.State.Component("TcpWindowTracker").Payload, entries * 49L, entries * 49L + 200);
        // An expectation: state 1, protocol 1, created 4, peer 4, outside port 2, inside address 4, inside port 2, master 2.
        Assert.Equal(20, budget.Unit("expectation").PayloadBytesPerUnit);
        // Sequence adjustment for the helper slots: position, offset before, offset after (4 B each) for both directions
        // of each, plus the three array references (8 B each on CoreCLR).
        Assert.Equal(esp32.Capacities.HelperConnections * 2 * 12 + 3 * 8, budget.State.Component("SequenceAdjuster").Payload);
    }
}
