using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Router.Config;
using Router.Drivers.W5500;
using Router.Conntrack;
using Router.Dhcp;
using Router.Helpers.Ftp;
using Router.Ip;
using Router.Link;
using Router.Nat;
using Router.Rules;
using Router.Web;
using Router.Tcp;

namespace Router.Budgets;

/// <summary>Prints measured budgets as Markdown tables, one column per board; every figure names its runtime.</summary>
public static class BudgetReport
{
    private sealed record Row(string Label, string Component, Func<Capacities, int> Count = null);

    /// <summary>Report rows in reading order; a component the walk finds that is not listed here gets a row of its own.</summary>
    private static readonly Row[] Rows =
    {
        new("W5500 SPI Ethernet drivers (one per router port; frame buffers and state)", nameof(W5500Driver)),
        new("connection table", nameof(ConnectionTable), c => c.Connections),
        new("TCP window tracking", nameof(TcpWindowTracker), c => c.Connections),
        new("NAT mapping table", nameof(NatMappingTable), c => c.NatMappings),
        new("ARP cache", nameof(ArpCache), c => c.ArpEntries),
        new("ARP pending pool", nameof(PendingFrames), c => c.ArpPending),
        new("fragment table", nameof(FragmentTable), c => c.Fragments),
        new("counters", nameof(Counters)),
        new("receive frame buffer, parser, rest of the data plane", nameof(DataPlane)),
        new("expectation table (helpers)", nameof(ExpectationTable), c => c.Expectations),
        new("FTP sessions", nameof(FtpSessions), c => c.HelperConnections),
        new("FTP held-line buffers", nameof(FtpLineBuffers), c => c.HelperConnections),
        new("sequence adjuster", nameof(SequenceAdjuster), c => c.HelperConnections),
        new("FTP helper (counters, settings, scratch)", nameof(FtpHelper)),
        new("port-forward table", nameof(PortForwardTable), c => c.PortForwards),
        new("port-trigger table", nameof(PortTriggerTable), c => c.PortTriggers),
        new("DHCP lease table", nameof(DhcpLeaseTable), c => c.DhcpLeases),
        new("DHCP server (counters, lease writer)", nameof(DhcpServer)),
        new("DHCP client", nameof(DhcpClient)),
        new("configuration in force (rules, reservations, settings)", nameof(RouterConfig)),
        new("config store (slot image, writer, reader)", nameof(ConfigStore)),
        new("DHCP lease store", nameof(FlashLeaseStore)),
        new("firmware rest (capacities, settings, service ports, local services)", MemoryBudget.FirmwareRoot),
        new("router's own TCP (slots and their buffers)", nameof(TcpEndpoint), c => c.TcpConnections),
        new("web connection slots (request/response buffers)", nameof(HttpConnection), c => c.TcpConnections),
        new("web static files (StaticFiles and the arrays it holds)", nameof(StaticFiles)),
        new("web context (sessions, event log, config editor, JSON, status snapshot)", nameof(WebContext)),
        new("web UI rest (routes, APIs, server)", MemoryBudget.WebRoot),
    };

    /// <summary>A type whose static fields hold at least this much on some board gets a row of its own.</summary>
    private const int StaticRowBytes = 1024;

    /// <summary>One line per board: the whole firmware in the nanoCLR model against its budget, CoreCLR beside.</summary>
    public static string Summary(IReadOnlyList<BoardBudget> boards)
    {
        var s = new StringBuilder();
        s.AppendLine("| board | managed heap | firmware budget (80 %) | whole firmware, nanoCLR model | headroom | of which W5500 drivers | of which web slots | conntrack entry | CoreCLR x64, same objects |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (BoardBudget b in boards)
        {
            s.AppendLine($"| {b.Board.Name} | {N(b.Board.ManagedHeapBytes)} | {N(b.Board.FirmwareBudgetBytes)} | **{N(b.State.NanoBytes)}** | {N(b.HeadroomBytes)}{(b.Fits ? "" : " (does not fit)")} | " +
                $"{N(b.State.Component(nameof(W5500Driver)).Nano)} ({b.Board.W5500Ports}) | {N(b.State.Component(nameof(HttpConnection)).Nano)} | " +
                $"{Number(b.Unit("conntrack entry").NanoBytesPerUnit)} B × {b.Board.Capacities.Connections} | {N(b.State.ClrBytes)} |");
        }
        return s.ToString();
    }

    public static string Render(IReadOnlyList<BoardBudget> boards)
    {
        var s = new StringBuilder();
        s.AppendLine("Summary (bytes; nanoCLR model unless marked CoreCLR):");
        s.AppendLine();
        s.Append(Summary(boards));
        s.AppendLine();
        HeapWalk nic = MemoryBudget.NicDriver();
        s.AppendLine($"In the totals: a W5500 SPI Ethernet driver per router port on every board (the walk reaches them through the firmware), {N(nic.NanoBytes)} B each " +
            $"(nanoCLR model; CoreCLR x64 {N(nic.ClrBytes)} B); the desktop profile runs on stand-ins. Not in them: the web UI's compressed files " +
            $"({N(StaticFiles.TotalBytes)} B), which stay in the application image in flash and go out a slice at a time.");
        s.AppendLine();
        s.AppendLine("Transient garbage of serving the web files (nanoCLR model): on a board each slice read from the application image is a new byte[] " +
            "(ResourceUtility.GetObject with offset and length), at most one TCP send buffer (or the connection's buffer, if smaller) long; the next collection reclaims it.");
        s.AppendLine();
        s.AppendLine("| board | largest slice | garbage per largest slice | garbage per load of every file (largest slices) |");
        s.AppendLine("|---|---:|---:|---:|");
        foreach (BoardBudget b in boards)
        {
            int slice = Math.Min(b.Board.Capacities.TcpSendBytes, WebUi.LimitsFor(b.Board.Capacities).BufferBytes);
            s.AppendLine($"| {b.Board.Name} | {N(slice)} | {N(NanoClrSizes.Array(slice, 1))} | {N(MemoryBudget.StaticFileGarbage(slice))} |");
        }
        s.AppendLine();
        s.AppendLine("Managed heap per board and the firmware's share (80 %; the rest is for the runtime's own objects, drivers' transient use and GC headroom):");
        s.AppendLine();
        s.AppendLine("| board | managed heap | firmware budget | source of the heap figure |");
        s.AppendLine("|---|---:|---:|---|");
        foreach (BoardBudget b in boards)
        {
            s.AppendLine($"| {b.Board.Name} | {N(b.Board.ManagedHeapBytes)} | {N(b.Board.FirmwareBudgetBytes)} | {b.Board.HeapSource} |");
        }
        s.AppendLine();

        s.AppendLine("nanoCLR-model bytes per unit (growth of the whole firmware per unit of the capacity knob, between the board's value and half of it, or 24 and 12 for smaller tables; the board's value in brackets):");
        s.AppendLine();
        Header(s, "item", boards.Select(b => b.Board.Name));
        foreach (BudgetItem item in MemoryBudget.Items)
        {
            Line(s, item.Name, boards.Select(b => $"{Number(b.Unit(item.Name).NanoBytesPerUnit)} ({b.Unit(item.Name).Count})"));
        }
        s.AppendLine();

        s.AppendLine("The whole firmware as the board builds it (RouterFirmware booted, web UI attached), nanoCLR-model bytes by component (table sizes in brackets):");
        s.AppendLine();
        Header(s, "component", boards.Select(b => b.Board.Name));
        var listed = new HashSet<string>(Rows.Select(r => r.Component));
        var others = boards.SelectMany(b => b.State.ByComponent.Keys).Distinct().Where(k => !listed.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        IEnumerable<Row> unlisted = others.Where(k => !k.StartsWith(HeapWalk.Statics, StringComparison.Ordinal)).Select(k => new Row(k, k));
        foreach (Row row in Rows.Concat(unlisted))
        {
            Line(s, row.Label, boards.Select(b => row.Count == null
                ? N(b.State.Component(row.Component).Nano)
                : $"{N(b.State.Component(row.Component).Nano)} ({row.Count(b.Board.Capacities)})"));
        }
        Line(s, "static fields of every firmware type (12 B slot each, and what only they hold)", boards.Select(b => N(b.State.AllStatics().Nano)));
        foreach (string statics in others.Where(k => k.StartsWith(HeapWalk.Statics, StringComparison.Ordinal) && boards.Any(b => b.State.Component(k).Nano >= StaticRowBytes)))
        {
            Line(s, "&nbsp;&nbsp;of which " + statics, boards.Select(b => N(b.State.Component(statics).Nano)));
        }
        Line(s, "**whole firmware, nanoCLR model**", boards.Select(b => $"**{N(b.State.NanoBytes)}**"));
        Line(s, "firmware budget (80 % of the managed heap)", boards.Select(b => N(b.Board.FirmwareBudgetBytes)));
        Line(s, "**headroom**", boards.Select(b => $"**{N(b.HeadroomBytes)}**" + (b.Fits ? "" : " (does not fit)")));
        Line(s, "use of the managed heap", boards.Select(b => $"{100.0 * b.State.NanoBytes / b.Board.ManagedHeapBytes:F1} %"));
        Line(s, "CoreCLR x64, same objects (desktop comparison, not the board's figure)", boards.Select(b => $"{N(b.State.ClrBytes)} in {N(b.State.Objects)} objects"));
        s.AppendLine();

        s.AppendLine("Not walked (desktop stand-ins for the board's native devices): " +
            string.Join(", ", boards.SelectMany(b => b.State.ExcludedTypes).Select(t => t.Name).Distinct().OrderBy(n => n)) + ".");
        s.AppendLine("Runtime (BCL) types in the graph, sized by the nanoCLR rules over their fields: " +
            string.Join(", ", boards.SelectMany(b => b.State.ByType.Keys).Where(t => HeapWalk.IsRuntimeType(t) && !t.IsArray && t != typeof(string) && !t.IsValueType)
                .Select(t => t.Name).Distinct().OrderBy(n => n).DefaultIfEmpty("none")) + ".");
        return s.ToString();
    }

    /// <summary>The types that take the most nanoCLR bytes in one board's firmware, with their CoreCLR figures beside.</summary>
    public static string Types(BoardBudget board, int top)
    {
        var s = new StringBuilder();
        s.AppendLine($"Largest types in {board.Board.Name}'s firmware (nanoCLR model; CoreCLR x64 beside for comparison):");
        s.AppendLine();
        s.AppendLine("| type | objects | nanoCLR bytes | CoreCLR x64 bytes |");
        s.AppendLine("|---|---:|---:|---:|");
        foreach (var (type, f) in board.State.ByType.OrderByDescending(p => p.Value.Nano).Take(top).Select(p => (p.Key, p.Value)))
        {
            s.AppendLine($"| {type.Name} | {N(f.Objects)} | {N(f.Nano)} | {N(f.Clr)} |");
        }
        s.AppendLine($"| **whole firmware** | {N(board.State.Objects)} | **{N(board.State.NanoBytes)}** of {N(board.Board.FirmwareBudgetBytes)} | {N(board.State.ClrBytes)} |");
        return s.ToString();
    }

    private static string N(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double bytes) =>
        bytes == Math.Floor(bytes) ? bytes.ToString("N0", CultureInfo.InvariantCulture) : bytes.ToString("N1", CultureInfo.InvariantCulture);

    private static void Header(StringBuilder s, string first, IEnumerable<string> columns)
    {
        var names = columns.ToList();
        s.AppendLine($"| {first} | {string.Join(" | ", names)} |");
        s.AppendLine($"|---|{string.Concat(names.Select(_ => "---:|"))}");
    }

    private static void Line(StringBuilder s, string label, IEnumerable<string> cells) => s.AppendLine($"| {label} | {string.Join(" | ", cells)} |");
}
