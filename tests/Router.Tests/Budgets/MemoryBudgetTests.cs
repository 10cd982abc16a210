using Router.Boards;
using Router.Budgets;
using Router.Conntrack;
using Router.Nat;
using Xunit;

namespace Router.Tests.Budgets;

public class MemoryBudgetTests
{
    [Fact]
    public void AConntrackEntryCostsAtMost100BytesAllIn()
    {
        foreach (string name in BoardProfiles.Names)
        {
            BoardBudget budget = MemoryBudget.Measure(BoardProfiles.ByName(name));
            double perEntry = budget.Unit("conntrack entry").BytesPerUnit;
            // About 47 for the table and NAT (buckets rounded to a power of two), 49 for TCP window tracking.
            Assert.True(perEntry <= 100, $"{name}: {perEntry} bytes per conntrack entry");
            // The firmware's own figure (used by status pages) must not undercount what was measured.
            Assert.True(budget.FirmwareBytesPerConnection >= perEntry, $"{name}: firmware says {budget.FirmwareBytesPerConnection}, measured {perEntry}");
        }
    }

    [Fact]
    public void Esp32FirmwareStateFitsIn64KilobytesAndItsBudget()
    {
        // The whole RouterFirmware (data plane, FTP helper, rules, DHCP, configuration); the web UI is separate.
        BoardBudget budget = MemoryBudget.Measure(BoardProfiles.Esp32Ethernet());
        long dataPlane = BudgetReport.DataPlaneBytes(budget);
        Assert.True(dataPlane <= 64 * 1024, $"{dataPlane} bytes in the data plane");
        Assert.True(budget.State.PayloadBytes <= 64 * 1024, $"{budget.State.PayloadBytes} bytes");
        Assert.True(budget.State.PayloadBytes <= budget.Board.Capacities.RamBudgetBytes);
        // Even with desktop CLR object headers counted it fits.
        Assert.True(budget.State.ClrBytes <= 64 * 1024, $"{budget.State.ClrBytes} bytes with headers");
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
                Assert.True(unit.BytesPerUnit > 0, $"{name}: {unit.Item.Name} measures {unit.BytesPerUnit} bytes per unit");
            }
        }
    }

    [Fact]
    public void EveryBoardFitsItsRamBudget()
    {
        foreach (string name in BoardProfiles.Names)
        {
            BoardBudget budget = MemoryBudget.Measure(BoardProfiles.ByName(name));
            Assert.True(budget.State.PayloadBytes <= budget.Board.Capacities.RamBudgetBytes, $"{name}: {budget.State.PayloadBytes} bytes");
        }
    }

    [Fact]
    public void TheWalkAccountsForEveryByteTheGcSawAllocated()
    {
        // The reflection walk with CoreCLR header sizes must agree with the GC's own count of what construction allocated:
        // if it missed an array, or counted one twice, the two would differ.
        BoardBudget budget = MemoryBudget.Measure(BoardProfiles.Esp32Ethernet());
        Assert.Equal(budget.AllocatedByConstruction, budget.State.ClrBytes);
    }

    [Fact]
    public void UnitCostsMatchTheTablesArraysByHand()
    {
        // Hand count for 320 entries (buckets = 1024 at 320 and 512 at 160, so 1024 / 160 = 6.4 per unit): per node (2 per
        // entry) addresses 4+4, ports 2+2, chain 2 = 28; per entry protocol, state, status 1+1+1, last seen 4, link 2,
        // list 2+2 = 13; NAT chain per connection 2; TCP window tracking per direction end, max end, max window, max ack
        // 4 x 4, scale and flags 1+1 (2 x 18), per connection last class 1, end 4, window 2, ack 4, scale 1, flags 1 = 49.
        BoardBudget budget = MemoryBudget.Measure(BoardProfiles.Esp32Ethernet());
        Assert.Equal(28 + 13 + 6.4 + 2 + 49, budget.Unit("conntrack entry").BytesPerUnit, 3);
        Assert.Equal(49, TcpWindowTracker.BytesPerConnection);
        // NAT mapping: protocol 1, inside address 4, ports 2+2, first connection 2, two chains 2+2 = 15, and two bucket
        // arrays of 2-byte slots, a power of two: 512 slots each at 320 mappings, 256 at 160, so 2 x 2 x 256 / 160 = 6.4.
        Assert.Equal(15 + 6.4, budget.Unit("NAT mapping").BytesPerUnit, 3);
        // A held frame: a 1514-byte buffer, its reference (8 on this runtime), length 4, port 4, next hop 4.
        Assert.Equal(1514 + 8 + 12, budget.Unit("ARP pending frame").BytesPerUnit);
        // The table as a whole: its arrays plus a few hundred bytes of fields, timeouts and listener slots.
        Assert.InRange(budget.State.Component("ConnectionTable"), 320L * 41 + 2048, 320L * 41 + 2048 + 300); // 1024 buckets of 2 B
        Assert.InRange(budget.State.Component("TcpWindowTracker"), 320L * 49, 320L * 49 + 200);
        // An expectation: state 1, protocol 1, created 4, peer 4, outside port 2, inside address 4, inside port 2, master 2.
        Assert.Equal(20, budget.Unit("expectation").BytesPerUnit);
        // Sequence adjustment for esp32's 4 helper slots: position, offset before, offset after (4 B each) for both
        // directions of each, plus the three array references (8 B each on this runtime).
        Assert.Equal(4 * 2 * 12 + 3 * 8, budget.State.Component("SequenceAdjuster"));
    }
}
