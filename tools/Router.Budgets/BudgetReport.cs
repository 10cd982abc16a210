using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Router.Config;
using Router.Conntrack;
using Router.Dhcp;
using Router.Helpers.Ftp;
using Router.Link;
using Router.Nat;
using Router.Ip;
using Router.Rules;
using Router.Tcp;

namespace Router.Budgets;

/// <summary>Prints measured budgets as Markdown tables, one column per board.</summary>
public static class BudgetReport
{
    public static string Render(IReadOnlyList<BoardBudget> boards)
    {
        var s = new StringBuilder();
        s.AppendLine("Bytes per unit (growth of the whole firmware's state per unit of the capacity knob):");
        s.AppendLine();
        Header(s, "item", boards.Select(b => b.Board.Name));
        foreach (BudgetItem item in MemoryBudget.Items)
        {
            Row(s, item.Name, boards.Select(b => Number(b.Unit(item.Name).BytesPerUnit)));
        }
        Row(s, "conntrack entry, firmware's own figure", boards.Select(b => b.FirmwareBytesPerConnection.ToString(CultureInfo.InvariantCulture)));
        s.AppendLine();

        s.AppendLine("State of a RouterFirmware at the board's capacities (payload bytes: array elements and fields, no runtime headers; the web UI is built beside it and not counted):");
        s.AppendLine();
        Header(s, "component", boards.Select(b => b.Board.Name));
        Component(s, boards, "connection table", nameof(ConnectionTable), b => b.Board.Capacities.Connections);
        Component(s, boards, "NAT mapping table", nameof(NatMappingTable), b => b.Board.Capacities.NatMappings);
        Component(s, boards, "ARP cache", nameof(ArpCache), b => b.Board.Capacities.ArpEntries);
        Component(s, boards, "ARP pending pool", nameof(PendingFrames), b => b.Board.Capacities.ArpPending);
        Component(s, boards, "fragment table", nameof(FragmentTable), b => b.Board.Capacities.Fragments);
        Component(s, boards, "counters", nameof(Counters), null);
        Component(s, boards, "receive frame buffer, parser, rest of the data plane", nameof(DataPlane), null);
        Row(s, "**data-plane subtotal**", boards.Select(b => $"**{DataPlaneBytes(b):N0}**"));
        Component(s, boards, "FTP expectation table", nameof(FtpExpectationTable), b => b.Board.Capacities.Expectations);
        Component(s, boards, "FTP sessions", nameof(FtpSessions), b => b.Board.Capacities.HelperConnections);
        Component(s, boards, "FTP held-line buffers", nameof(FtpLineBuffers), b => b.Board.Capacities.HelperConnections);
        Component(s, boards, "sequence adjuster", nameof(SequenceAdjuster), b => b.Board.Capacities.HelperConnections);
        Component(s, boards, "FTP helper (counters, settings, scratch)", nameof(FtpHelper), null);
        Component(s, boards, "port-forward table", nameof(PortForwardTable), b => b.Board.Capacities.PortForwards);
        Component(s, boards, "port-trigger table", nameof(PortTriggerTable), b => b.Board.Capacities.PortTriggers);
        Component(s, boards, "DHCP lease table", nameof(DhcpLeaseTable), b => b.Board.Capacities.DhcpLeases);
        Component(s, boards, "DHCP server (counters, lease writer)", nameof(DhcpServer), null);
        Component(s, boards, "DHCP client", nameof(DhcpClient), null);
        Component(s, boards, "router's own TCP (slots and their buffers)", nameof(TcpEndpoint), b => b.Board.Capacities.TcpConnections);
        Component(s, boards, "configuration in force (rules, reservations, settings)", nameof(RouterConfig), null);
        Component(s, boards, "firmware rest (service ports, local services)", nameof(RouterFirmware), null);
        Row(s, "**firmware state**", boards.Select(b => $"**{b.State.PayloadBytes:N0}**"));
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

    /// <summary>The data plane's own components (what <see cref="DataPlane"/> builds).</summary>
    public static long DataPlaneBytes(BoardBudget b) =>
        new[] { nameof(ConnectionTable), nameof(NatMappingTable), nameof(ArpCache), nameof(PendingFrames), nameof(FragmentTable), nameof(Counters), nameof(DataPlane) }
            .Sum(b.State.Component);

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
