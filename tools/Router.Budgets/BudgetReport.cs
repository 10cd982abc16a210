using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Router.Conntrack;
using Router.Link;
using Router.Nat;
using Router.Ip;

namespace Router.Budgets;

/// <summary>Prints measured budgets as Markdown tables, one column per board.</summary>
public static class BudgetReport
{
    public static string Render(IReadOnlyList<BoardBudget> boards)
    {
        var s = new StringBuilder();
        s.AppendLine("Bytes per unit (growth of the whole data-plane state per unit of the capacity knob; 0 = no table uses it yet):");
        s.AppendLine();
        Header(s, "item", boards.Select(b => b.Board.Name));
        foreach (BudgetItem item in MemoryBudget.Items)
        {
            Row(s, item.Name, boards.Select(b => Number(b.Unit(item.Name).BytesPerUnit)));
        }
        Row(s, "conntrack entry, firmware's own figure", boards.Select(b => b.FirmwareBytesPerConnection.ToString(CultureInfo.InvariantCulture)));
        s.AppendLine();

        s.AppendLine("State at the board's capacities (payload bytes: array elements and fields, no runtime headers):");
        s.AppendLine();
        Header(s, "component", boards.Select(b => b.Board.Name));
        Component(s, boards, "connection table", nameof(ConnectionTable), b => b.Board.Capacities.Connections);
        Component(s, boards, "NAT mapping table", nameof(NatMappingTable), b => b.Board.Capacities.NatMappings);
        Component(s, boards, "ARP cache", nameof(ArpCache), b => b.Board.Capacities.ArpEntries);
        Component(s, boards, "ARP pending pool", nameof(PendingFrames), b => b.Board.Capacities.ArpPending);
        Component(s, boards, "fragment table", nameof(FragmentTable), b => b.Board.Capacities.Fragments);
        Component(s, boards, "counters", nameof(Counters), null);
        Component(s, boards, "receive frame buffer, parser, rest", nameof(DataPlane), null);
        Row(s, "**data-plane state**", boards.Select(b => $"**{b.State.PayloadBytes:N0}**"));
        Row(s, "with CoreCLR x64 headers (estimate)", boards.Select(b => $"{b.State.ClrBytes:N0} in {b.State.Objects} objects"));
        Row(s, "GC-allocated by construction", boards.Select(b => b.AllocatedByConstruction.ToString("N0", CultureInfo.InvariantCulture)));
        Row(s, "RAM budget", boards.Select(b => b.Board.Capacities.RamBudgetBytes.ToString("N0", CultureInfo.InvariantCulture)));
        Row(s, "**use of budget**", boards.Select(b => $"**{100.0 * b.State.PayloadBytes / b.Board.Capacities.RamBudgetBytes:F1} %**"));
        return s.ToString();
    }

    private static void Component(StringBuilder s, IReadOnlyList<BoardBudget> boards, string label, string type, System.Func<BoardBudget, int> count)
    {
        Row(s, label, boards.Select(b => count == null
            ? b.State.Component(type).ToString("N0", CultureInfo.InvariantCulture)
            : $"{b.State.Component(type):N0} ({count(b)})"));
    }

    private static string Number(double bytes) =>
        bytes == System.Math.Floor(bytes) ? bytes.ToString("N0", CultureInfo.InvariantCulture) : bytes.ToString("N1", CultureInfo.InvariantCulture);

    private static void Header(StringBuilder s, string first, IEnumerable<string> columns)
    {
        var names = columns.ToList();
        s.AppendLine($"| {first} | {string.Join(" | ", names)} |");
        s.AppendLine($"|---|{string.Concat(names.Select(_ => "---:|"))}");
    }

    private static void Row(StringBuilder s, string label, IEnumerable<string> cells) => s.AppendLine($"| {label} | {string.Join(" | ", cells)} |");
}
