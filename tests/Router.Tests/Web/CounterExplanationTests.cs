using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Router.Helpers.Ftp;
using Xunit;

namespace Router.Tests.Web;

/// <summary>
/// The status page explains every counter it can show: each data-plane and FTP helper counter has an entry
/// <c>name: ["what it means", 1 if it means trouble else 0]</c> in app.js's <c>counterWhy</c>, so a new counter without one fails here.
/// </summary>
public class CounterExplanationTests
{
    private static readonly Regex Entry = new(@"(?<name>[a-z0-9_]+): \[""(?<text>(?:[^""\\]|\\.)+)"", (?<trouble>[01])\]");

    private static System.Collections.Generic.Dictionary<string, bool> Explained()
    {
        string js = File.ReadAllText(Path.Combine(WebAssetTests.WebRoot, "app.js"));
        int start = js.IndexOf("var counterWhy = {", System.StringComparison.Ordinal);
        Assert.True(start >= 0, "app.js has no counterWhy map");
        int end = js.IndexOf("\n};", start, System.StringComparison.Ordinal);
        return Entry.Matches(js[start..end]).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["trouble"].Value == "1");
    }

    [Fact]
    public void EveryDataPlaneCounterHasAnExplanation()
    {
        var explained = Explained();
        var missing = Enumerable.Range(0, Counters.Count).Select(Counters.Name).Where(n => !explained.ContainsKey(n)).ToList();
        Assert.True(missing.Count == 0, "no explanation in app.js for: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryFtpHelperCounterHasAnExplanation()
    {
        var explained = Explained();
        var missing = Enumerable.Range(0, FtpCounters.Count).Select(FtpCounters.Name).Where(n => !explained.ContainsKey(n)).ToList();
        Assert.True(missing.Count == 0, "no explanation in app.js for: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheMapNamesNoCounterThatDoesNotExist()
    {
        var names = Enumerable.Range(0, Counters.Count).Select(Counters.Name).Concat(Enumerable.Range(0, FtpCounters.Count).Select(FtpCounters.Name)).ToHashSet();
        var stale = Explained().Keys.Where(k => !names.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "app.js explains counters that no longer exist: " + string.Join(", ", stale));
    }

    [Fact]
    public void AttacksAndShortagesAreMarkedAsTrouble()
    {
        var explained = Explained();
        foreach (string name in new[] { "drop_lan_source_spoofed", "drop_martian_source", "drop_arp_bogus_sender", "drop_conntrack_full", "not_ftp", "refused_bounce" })
        {
            Assert.True(explained[name], name);
        }
        Assert.False(explained["drop_unsolicited"]);
    }
}
