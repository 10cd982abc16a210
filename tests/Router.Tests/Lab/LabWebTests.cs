using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Router.Tests.Lab;

/// <summary>
/// The web UI from the lab's LAN namespace over real TAPs: the kernel's TCP (curl, Chromium) talks to the router's own
/// TCP at http://192.168.1.1/. No bridge, no loopback: the same path as a PC on a board's LAN port.
/// </summary>
[Collection(LabCollection.Name)]
public class LabWebTests
{
    private const string Url = "http://" + LabFixture.RouterLan + "/";
    private const string Password = "lab admin 42";
    private const string Chromium = "/usr/bin/chromium";
    private const string Forward = "{\"name\":\"lab\",\"enabled\":true,\"protocol\":\"tcp\",\"externalPort\":\"8080\",\"externalPortEnd\":\"\",\"internalAddress\":\"192.168.1.2\",\"internalPort\":\"8000\",\"allowedSource\":\"\"}";
    private readonly LabFixture _lab;
    private readonly ITestOutputHelper _output;

    public LabWebTests(LabFixture lab, ITestOutputHelper output)
    {
        _lab = lab;
        _output = output;
    }

    [LabFact]
    public void CurlLoadsThePageLogsInAndAddsAForwardThatAdmitsAnInboundConnection()
    {
        using var router = LabRouter.StartWithWeb(_lab);
        var page = _lab.Run(_lab.LanNamespace, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_starttransfer} %{time_total} %{size_download}", Url);
        _output.WriteLine("GET / from the LAN namespace: status, first byte s, complete s, bytes: " + page.Stdout);
        Assert.True(page.ExitCode == 0, page.Output);
        Assert.StartsWith("200 ", page.Stdout);

        string jar = Path.Combine(_lab.Directory, "cookies-" + Guid.NewGuid().ToString("N"));
        var setup = _lab.Run(_lab.LanNamespace, "curl", "-sS", "-c", jar, "-H", "Content-Type: application/json",
            "--data", "{\"password\":\"" + Password + "\"}", Url + "api/setup");
        Match csrf = Regex.Match(setup.Stdout, "\"csrf\":\"([0-9a-f]+)\"");
        Assert.True(csrf.Success, setup.Output);
        var add = _lab.Run(_lab.LanNamespace, "curl", "-sS", "-b", jar, "-H", "Content-Type: application/json", "-H", "X-CSRF-Token: " + csrf.Groups[1].Value,
            "-w", "\n%{http_code}", "--data", Forward, Url + "api/forwards");
        Assert.True(add.Stdout.TrimEnd().EndsWith("\n200"), add.Output);

        var (sent, received) = InboundThroughForward();
        router.Stop();
        Assert.Equal("hello", received);
        Assert.Equal("hello", sent);
        Assert.True(router.Counters[Counters.TcpAccepted] >= 3);
        Assert.Equal(0, router.Counters[Counters.DropTcpChecksum]);
    }

    [LabFact]
    public void FromTheWanNamespaceTheWebPortIsClosed()
    {
        using var router = LabRouter.StartWithWeb(_lab);
        var wan = _lab.Run(_lab.WanNamespace, TimeSpan.FromSeconds(10), "curl", "-sS", "--connect-timeout", "2", "-o", "/dev/null", "http://" + LabFixture.RouterWan + "/");
        var lan = _lab.Run(_lab.WanNamespace, TimeSpan.FromSeconds(10), "curl", "-sS", "--connect-timeout", "2", "-o", "/dev/null", Url);
        router.Stop();
        Assert.NotEqual(0, wan.ExitCode);
        Assert.NotEqual(0, lan.ExitCode);
        Assert.Equal(0, router.Counters[Counters.TcpAccepted]);
        Assert.True(router.Counters[Counters.DropUnsolicited] >= 1, "the SYNs to the WAN address were dropped and counted");
    }

    [LabFact]
    public async Task ChromiumLoadsThePageLogsInAndAddsAForwardThatAdmitsAnInboundConnection()
    {
        using var router = LabRouter.StartWithWeb(_lab);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchInLanAsync(playwright);
        IPage page = await browser.NewPageAsync();
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(Url);
        await Expect(page.Locator("#auth-title")).ToHaveTextAsync("Set the admin password");
        _output.WriteLine($"Chromium page load (to the setup form) from the LAN namespace: {watch.ElapsedMilliseconds} ms");
        await page.Locator("#auth-form [data-f=password]").FillAsync(Password);
        await page.Locator("#auth-form [data-f=confirm]").FillAsync(Password);
        await page.Locator("#auth-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#nav")).ToBeVisibleAsync();

        await page.Locator("nav a[data-tab=forwarding]").ClickAsync();
        await page.Locator("#fw-add").ClickAsync();
        var form = page.Locator("#fw-form");
        await form.Locator("[data-f=name]").FillAsync("lab");
        await form.Locator("[data-f=protocol]").SelectOptionAsync("tcp");
        await form.Locator("[data-f=externalPort]").FillAsync("8080");
        await form.Locator("[data-f=internalAddress]").FillAsync(LabFixture.LanHost);
        await form.Locator("[data-f=internalPort]").FillAsync("8000");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#fw-list tr")).ToHaveCountAsync(1);

        var (sent, received) = InboundThroughForward();
        router.Stop();
        Assert.Equal("hello", received);
        Assert.Equal("hello", sent);
    }

    /// <summary>
    /// On the wire, the router answers every request in full within this of its first arrival, and half of them within
    /// <see cref="ServeMedianBoundMs"/>. Measured worst: 0.46 s on the shared machine, 0.51 s and 1.2 s with the
    /// whole test held to a quarter of one core; medians 23–73 ms. A router loop slowed by 300 ms a tick fails the median.
    /// </summary>
    private const double ServeBoundMs = 3000, ServeMedianBoundMs = 150;
    /// <summary>Playwright's bound on each navigation and on the form appearing (its defaults: 30 s and 5 s).</summary>
    private const float PageTimeoutMs = 60000;

    /// <summary>
    /// Four Chromiums in the LAN namespace load the UI at once, on fresh connections. Bounded is the router's part, on
    /// the wire (dumpcap on the LAN TAP, kernel timestamps): every request of the four pages answered in full within
    /// <see cref="ServeBoundMs"/> of its arrival. Chromium's start, its new pages and its page loads (navigation to the
    /// setup form) are timed and printed, bounded only by <see cref="PageTimeoutMs"/>: the page loads, once bounded by
    /// 10 s, failed on a machine loaded to ~100; held to a quarter of a core they take 28–37 s while the router answers
    /// each request within 1.2 s (docs/web-server.md). The warm-up page keeps CoreCLR's JIT out of the figures.
    /// </summary>
    [LabFact]
    public async Task FourBrowsersLoadThePageAtOnce()
    {
        using var router = LabRouter.StartWithWeb(_lab);
        Assert.Equal(0, LoadPage().ExitCode); // CoreCLR compiles the web path on its first use (a board has no JIT)
        using var playwright = await Playwright.CreateAsync();
        var phase = Stopwatch.StartNew();
        var browsers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => LaunchInLanAsync(playwright)));
        long launch = phase.ElapsedMilliseconds;
        try
        {
            phase.Restart();
            var pages = await Task.WhenAll(browsers.Select(b => b.NewPageAsync()));
            long newPages = phase.ElapsedMilliseconds;
            using var capture = WireCapture.Start(_lab, _lab.LanNamespace, LabFixture.TapName, "tcp port 80");
            var loads = pages.Select(async p =>
            {
                var watch = Stopwatch.StartNew();
                await p.GotoAsync(Url, new PageGotoOptions { Timeout = PageTimeoutMs });
                await Expect(p.Locator("#auth-title")).ToHaveTextAsync("Set the admin password", new LocatorAssertionsToHaveTextOptions { Timeout = PageTimeoutMs });
                return watch.ElapsedMilliseconds;
            }).ToArray();
            long[] times = await Task.WhenAll(loads);
            var exchanges = HttpExchange.Read(capture.Stop(), 80);

            _output.WriteLine($"Chromium: 4 launched in {launch} ms, 4 new pages in {newPages} ms, 4 concurrent page loads (to the setup form), ms: {string.Join(", ", times)}");
            var served = exchanges.Select(e => e.ServedMs).OrderBy(v => v).ToArray();
            _output.WriteLine($"Router on the LAN wire: {exchanges.Count} requests, answered in full after median {Median(served, v => v):F1} ms, worst {served.LastOrDefault():F1} ms");
            foreach (var e in exchanges) _output.WriteLine($"  {e.RequestAt,8:F1} ms  :{e.ClientPort} {e.Target,-14} first byte +{e.FirstByteAt - e.RequestAt:F1} ms, last +{e.ServedMs:F1} ms{(e.Retransmissions > 0 ? $", request sent {e.Retransmissions + 1} times" : "")}");
            foreach (string target in new[] { "/", "/app.css", "/app.js", "/api/session" })
            {
                Assert.True(exchanges.Count(e => e.Target == target) >= 4, $"{target} requested {exchanges.Count(e => e.Target == target)} times");
            }
            Assert.All(exchanges, e => Assert.True(e.ServedMs < ServeBoundMs, $"{e.Target} on :{e.ClientPort} answered after {e.ServedMs} ms"));
            Assert.True(Median(served, v => v) < ServeMedianBoundMs, $"median {Median(served, v => v)} ms");
        }
        finally
        {
            foreach (var b in browsers) await b.DisposeAsync();
        }
        router.Stop();
        Assert.Equal(0, router.Counters[Counters.DropTcpChecksum]);
    }

    /// <summary>
    /// Page load figures over the TAPs: one page = /, /app.css, /app.js and /api/session on one keep-alive connection
    /// (curl, as a browser without cache). First byte of / and the whole page, with 1 client and with 4 at once, after
    /// a warm-up (the first requests include JIT compilation of the web path on CoreCLR). Printed for README/docs.
    /// </summary>
    [LabFact]
    public void PageLoadTimesWithOneAndFourClients()
    {
        using var router = LabRouter.StartWithWeb(_lab);
        for (int i = 0; i < 3; i++) Assert.Equal(0, LoadPage().ExitCode);
        var one = Enumerable.Range(0, 10).Select(_ => Measure(LoadPage())).ToArray();
        var four = Enumerable.Range(0, 5).SelectMany(_ =>
        {
            var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(LoadPage)).ToArray();
            Task.WaitAll(clients);
            return clients.Select(c => Measure(c.Result));
        }).ToArray();
        router.Stop();
        _output.WriteLine($"1 client,  10 page loads: first byte median {Median(one, x => x.FirstByte):F1} ms, complete median {Median(one, x => x.Complete):F1} ms, worst {one.Max(x => x.Complete):F1} ms");
        _output.WriteLine($"4 clients, 20 page loads: first byte median {Median(four, x => x.FirstByte):F1} ms, complete median {Median(four, x => x.Complete):F1} ms, worst {four.Max(x => x.Complete):F1} ms");
        Assert.All(one.Concat(four), x => Assert.True(x.Complete < 5000, x.Complete + " ms"));
        Assert.Equal(0, router.Counters[Counters.TcpTimedOut]);
    }

    private CommandResult LoadPage() => _lab.Run(_lab.LanNamespace, "curl", "-sS", "-w", "%{time_starttransfer} %{time_total}\n",
        "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", Url, Url + "app.css", Url + "app.js", Url + "api/session");

    /// <summary>First byte of the first transfer and the end of the last (curl's times are from the start of each transfer; they run back to back).</summary>
    private static (double FirstByte, double Complete) Measure(CommandResult result)
    {
        Assert.True(result.ExitCode == 0, result.Output);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) * 1000).ToArray()).ToArray();
        Assert.Equal(4, lines.Length);
        return (lines[0][0], lines.Sum(l => l[1]));
    }

    private static double Median<T>(T[] values, Func<T, double> of)
    {
        var sorted = values.Select(of).OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>A WAN client connects to WAN:8080; the forward added through the UI takes it to 192.168.1.2:8000.</summary>
    private (string Sent, string Received) InboundThroughForward()
    {
        using var listener = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(LabFixture.LanHost), 8000));
        listener.Listen(1);
        using var client = LabFixture.Socket(_lab.WanNamespace, SocketType.Stream, ProtocolType.Tcp);
        client.ReceiveTimeout = 10000;
        client.Connect(IPAddress.Parse(LabFixture.RouterWan), 8080);
        using var accepted = listener.Accept();
        accepted.ReceiveTimeout = 10000;
        client.Send(Encoding.ASCII.GetBytes("hello"));
        byte[] buffer = new byte[16];
        int n = accepted.Receive(buffer);
        accepted.Send(buffer, 0, n, SocketFlags.None);
        byte[] back = new byte[16];
        int m = client.Receive(back);
        return (Encoding.ASCII.GetString(buffer, 0, n), Encoding.ASCII.GetString(back, 0, m));
    }

    /// <summary>Debian's Chromium started inside the LAN namespace (a wrapper runs it under <c>ip netns exec</c>).</summary>
    private async Task<IBrowser> LaunchInLanAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium");
        string wrapper = Path.Combine(_lab.Directory, "chromium-in-lan.sh");
        if (!File.Exists(wrapper))
        {
            File.WriteAllText(wrapper, $"#!/bin/sh\nexec ip netns exec {_lab.LanNamespace} {Chromium} \"$@\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = wrapper,
            Headless = true,
            Args = new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync" },
        });
    }
}
