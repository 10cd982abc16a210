using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Router.Tests.Web;

/// <summary>
/// The web UI's pages and fixes in headless Chromium (Debian's /usr/bin/chromium), each at a desktop (1366×900) and a
/// phone (390×844) size, against the emulator with two simulated LAN hosts that lease their addresses by DHCP and
/// generate traffic: devices, live graphs, connections, phone cards, FTP preset, subnet move, WAN DHCP values, and
/// the error messages that used to be silent. Screenshots go to TestResults/web-e2e/.
/// </summary>
public sealed class WebUiPagesEndToEndTests : IAsyncLifetime
{
    private const string Password = "router admin 42";
    private readonly string _work = Directory.CreateTempSubdirectory("router-web-pages-").FullName;
    private IPlaywright _playwright;
    private IBrowserContext _browser;
    private RunningEmulator _emulator;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<IPage> OpenAsync(int width, int height, bool setUp = true)
    {
        _emulator = new RunningEmulator(lanHosts: 2);
        _playwright = await Playwright.CreateAsync();
        _browser = await WebUiEndToEndTests.LaunchAsync(_playwright, Path.Combine(_work, "profile"), width, height);
        IPage page = _browser.Pages.Count > 0 ? _browser.Pages[0] : await _browser.NewPageAsync();
        await page.GotoAsync(_emulator.Url);
        if (!setUp) return page;
        await Expect(page.Locator("#auth-title")).ToHaveTextAsync("Set the admin password");
        await page.Locator("#auth-form [data-f=password]").FillAsync(Password);
        await page.Locator("#auth-form [data-f=confirm]").FillAsync(Password);
        await page.Locator("#auth-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#nav")).ToBeVisibleAsync();
        return page;
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(WebUiEndToEndTests.ArtifactDirectory, name), FullPage = true });

    private static string Size(int width) => width < 700 ? "phone" : "desktop";

    /// <summary>Asserts that an element is fully inside the viewport horizontally (not pushed out or clipped).</summary>
    private static async Task AssertInViewAsync(IPage page, ILocator locator, string what)
    {
        await Expect(locator).ToBeVisibleAsync();
        var box = await locator.BoundingBoxAsync();
        int width = page.ViewportSize.Width;
        Assert.True(box.X >= 0 && box.X + box.Width <= width, $"{what} spans x {box.X:F0}..{box.X + box.Width:F0}, beyond the {width}px viewport");
    }

    /// <summary>Asserts that the page does not scroll sideways at this viewport (nothing wider than the screen).</summary>
    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        int scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= page.ViewportSize.Width, $"the page is {scrollWidth}px wide in a {page.ViewportSize.Width}px viewport");
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task Setup_and_login_pages_show_no_menu_no_log_out_and_the_repeat_field_only_at_setup(int width, int height)
    {
        IPage page = await OpenAsync(width, height, setUp: false);
        await Expect(page.Locator("#auth-title")).ToHaveTextAsync("Set the admin password");
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        await Expect(page.Locator("#logout")).ToBeHiddenAsync();
        await Expect(page.Locator("#confirm-row")).ToBeVisibleAsync();
        await Shot(page, $"10-setup-{Size(width)}.png");
        await page.Locator("#auth-form [data-f=password]").FillAsync(Password);
        await page.Locator("#auth-form [data-f=confirm]").FillAsync(Password);
        await page.Locator("#auth-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#logout")).ToBeVisibleAsync();
        await page.Locator("#logout").ClickAsync();
        await Expect(page.Locator("#auth-title")).ToHaveTextAsync("Log in");
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        await Expect(page.Locator("#confirm-row")).ToBeHiddenAsync();
        await page.Locator("#auth-form [data-f=password]").FillAsync(Password);
        await page.Locator("#auth-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#nav")).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task Devices_page_lists_the_simulated_hosts_with_their_leases_and_reserves_and_forwards(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        await page.GotoAsync(_emulator.Url + "#devices");
        // The simulated PCs; the desktop browser's bridge host (192.168.1.254, ARP only) is listed too.
        var rows = page.Locator("#dev-list tr", new() { HasText = "lan-host" });
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Locator("#dev-list tr", new() { HasText = "192.168.1.254" })).ToHaveCountAsync(1);
        for (int i = 0; i < 2; i++)
        {
            await Expect(rows.Nth(i)).ToContainTextAsync($"lan-host-{i + 1}");
            await Expect(rows.Nth(i)).ToContainTextAsync($"192.168.1.{100 + i}");
            await Expect(rows.Nth(i)).ToContainTextAsync($"02:52:54:00:00:{0x30 + i:x2}");
            await Expect(rows.Nth(i)).ToContainTextAsync("left"); // lease time left
        }
        Assert.All(_emulator.Host.LanHosts, h => Assert.Equal(h.Address, h.LeasedAddress));
        await AssertNoSidewaysScrollAsync(page);
        await Shot(page, $"11-devices-{Size(width)}.png");

        // Reserve the first host's address: it lands in the DHCP reservations.
        await AssertInViewAsync(page, rows.Nth(0).Locator("button", new() { HasText = "Reserve address" }), "Reserve address");
        await rows.Nth(0).Locator("button", new() { HasText = "Reserve address" }).ClickAsync();
        await Expect(page.Locator("#dev-ok")).ToContainTextAsync("192.168.1.100 is now reserved for lan-host-1");
        await Expect(rows.Nth(0).Locator("td[data-label=Reserved]")).ToHaveTextAsync("yes");
        Assert.Equal(Ipv4Address.Make(192, 168, 1, 100), _emulator.OnLoop(() => _emulator.Host.Firmware.Config.Dhcp.Reservations.Address(0)));

        // Forward a port to the second host: the editor opens with its address.
        await rows.Nth(1).Locator("button", new() { HasText = "Forward a port" }).ClickAsync();
        var form = page.Locator("#fw-form");
        await Expect(form).ToBeVisibleAsync();
        await Expect(form.Locator("[data-f=internalAddress]")).ToHaveValueAsync("192.168.1.101");
        await Expect(form.Locator("[data-f=name]")).ToHaveValueAsync("lan-host-2");

        // The editor's device list picks the host too.
        await form.Locator("[data-f=internalAddress]").FillAsync("");
        await form.Locator("#fw-device").SelectOptionAsync(new SelectOptionValue { Label = "lan-host-1 \u2013 192.168.1.100 (02:52:54:00:00:30)" });
        await Expect(form.Locator("[data-f=internalAddress]")).ToHaveValueAsync("192.168.1.100");
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task Status_graphs_follow_live_traffic(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        var packets = page.Locator("#g-packets");
        // The ring fills one sample a second; the page refreshes every two seconds.
        await Expect(packets).ToHaveAttributeAsync("data-samples", new System.Text.RegularExpressions.Regex("^([3-9]|[1-9][0-9])$"), new() { Timeout = 15000 });
        string before = await packets.Locator("polyline.down").GetAttributeAsync("points");
        await Expect(packets.Locator(".now")).ToContainTextAsync("/s");
        // The simulated hosts ping and echo 4 times a second each: the download rate is not zero.
        Assert.Matches(@"now [1-9]\d*/s", await packets.Locator(".now").TextContentAsync());
        await Expect(packets.Locator("polyline.down")).Not.ToHaveAttributeAsync("points", before, new() { Timeout = 10000 });
        await Expect(page.Locator("#g-conns .now")).ToContainTextAsync("now 4");
        await AssertNoSidewaysScrollAsync(page);
        await Shot(page, $"12-status-graphs-{Size(width)}.png");
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task Connections_page_is_paged_and_filtered_by_device(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        // 25 more UDP flows from the second host: more than one page of 20.
        _emulator.OnLoop(() =>
        {
            for (int p = 0; p < 25; p++) _emulator.Host.LanHosts[1].SendUdp(EmulatorHostInternet, 41000 + p, 7, new byte[] { 1 });
            return 0;
        });
        await page.GotoAsync(_emulator.Url + "#connections");
        await Expect(page.Locator("#conn-page")).ToHaveTextAsync("page 1 of 2");
        await Expect(page.Locator("#conn-list tr")).ToHaveCountAsync(20);
        await AssertNoSidewaysScrollAsync(page);
        await Shot(page, $"13-connections-{Size(width)}.png");
        await page.Locator("#conn-next").ClickAsync();
        await Expect(page.Locator("#conn-page")).ToHaveTextAsync("page 2 of 2");
        await Expect(page.Locator("#conn-list tr")).ToHaveCountAsync(29 - 20);

        await page.Locator("#conn-device").SelectOptionAsync("192.168.1.100");
        await Expect(page.Locator("#conn-page")).ToHaveTextAsync("page 1 of 1");
        await Expect(page.Locator("#conn-list tr")).ToHaveCountAsync(2); // its ping and its UDP echo flow
        foreach (var row in await page.Locator("#conn-list tr").AllAsync())
        {
            await Expect(row.Locator("td[data-label=Inside]")).ToContainTextAsync("192.168.1.100");
            await Expect(row.Locator("td[data-label=Remote]")).ToContainTextAsync("198.51.100.7");
        }
        await Expect(page.Locator("#conn-summary")).ToContainTextAsync("2 of them for 192.168.1.100");
    }

    private static readonly uint EmulatorHostInternet = Router.Emulator.EmulatorHost.InternetServer;

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task A_long_rule_name_keeps_the_actions_in_view_and_phones_get_cards(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        await page.GotoAsync(_emulator.Url + "#forwarding");
        await page.Locator("#fw-add").ClickAsync();
        var form = page.Locator("#fw-form");
        string name = "abcdefghijklmnopqrstuvwxyz012345"; // 32 characters, the longest allowed, no space to break at
        await form.Locator("[data-f=name]").FillAsync(name);
        await form.Locator("[data-f=externalPort]").FillAsync("8443");
        await form.Locator("[data-f=internalAddress]").FillAsync("192.168.1.100");
        await form.Locator("[data-f=internalPort]").FillAsync("443");
        await form.Locator("button[type=submit]").ClickAsync();
        var row = page.Locator("#fw-list tr").First;
        await Expect(row).ToContainTextAsync(name);
        foreach (string action in new[] { "Disable", "Edit", "Delete" })
            await AssertInViewAsync(page, row.Locator("button", new() { HasText = action }), action);
        bool cards = await page.Locator("#forwarding table.rules thead").First.IsHiddenAsync();
        Assert.Equal(width < 700, cards);
        // On a card each value carries its column's name in front of it.
        if (cards) Assert.Equal("\"Internal host\"", await row.Locator("td[data-label='Internal host']").EvaluateAsync<string>("e => getComputedStyle(e, '::before').content"));
        await AssertNoSidewaysScrollAsync(page);
        await Shot(page, $"14-forwarding-{Size(width)}.png");
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task The_ftp_server_preset_forwards_21_and_turns_the_helper_on(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        await page.GotoAsync(_emulator.Url + "#ftp");
        // The tab fills its form with GET /api/ftp: uncheck only once that has landed, or its late answer (a loaded
        // machine) checks the box again and the save turns the helper on (as in EmulatorInTheBrowserTests).
        await Expect(page.Locator("#ftp-form [data-f=expectationTimeoutSeconds]")).Not.ToHaveValueAsync("", new() { Timeout = 20000 });
        await page.Locator("#ftp-form [data-f=enabled]").UncheckAsync();
        await page.Locator("#ftp-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#ftp-form .ok")).ToHaveTextAsync("Saved and applied.");

        await page.GotoAsync(_emulator.Url + "#forwarding");
        await page.Locator("#fw-add").ClickAsync();
        var form = page.Locator("#fw-form");
        await form.Locator("[data-f=externalPort]").FillAsync("21");
        await Expect(page.Locator("#fw-ftp-note")).ToContainTextAsync("the FTP helper does not cover it");
        await page.Locator("#fw-ftp-preset").ClickAsync();
        await Expect(form.Locator("[data-f=name]")).ToHaveValueAsync("FTP server");
        await Expect(page.Locator("#fw-ftp-note")).ToContainTextAsync("Saving also turns the FTP helper on for port 21");
        await form.Locator("#fw-device").SelectOptionAsync(new SelectOptionValue { Label = "lan-host-1 \u2013 192.168.1.100 (02:52:54:00:00:30)" });
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#fw-list")).ToContainTextAsync("FTP server");
        Assert.True(_emulator.OnLoop(() => _emulator.Host.Firmware.Config.Ftp.Enabled && _emulator.Host.Firmware.Ftp.Settings.IsControlPort(21)), "the helper is on for port 21");

        // Editing it now says the helper covers it.
        await page.Locator("#fw-list tr").First.Locator("button", new() { HasText = "Edit" }).ClickAsync();
        await Expect(page.Locator("#fw-ftp-note")).ToContainTextAsync("the FTP helper follows this forward");
        await Shot(page, $"15-ftp-preset-{Size(width)}.png");
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task A_new_lan_subnet_moves_forwards_pool_and_reservations_and_wan_dhcp_shows_what_it_learned(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        var api = new ApiClient(_emulator.Port);
        Assert.Equal(200, api.Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}").Status);
        Assert.Equal(200, api.Send("POST", "/api/forwards", "{\"name\":\"off\",\"enabled\":false,\"protocol\":\"tcp\",\"externalPort\":\"8080\",\"internalAddress\":\"192.168.1.50\",\"internalPort\":\"80\"}").Status);

        await page.GotoAsync(_emulator.Url + "#network");
        var net = page.Locator("#net-form");
        // WAN by DHCP: what the simulated ISP handed out, read-only; the static fields are not offered.
        await Expect(page.Locator("#wan-learned")).ToBeVisibleAsync();
        await Expect(page.Locator("#wan-learned-list")).ToContainTextAsync("203.0.113.2/24");
        await Expect(page.Locator("#wan-learned-list")).ToContainTextAsync("203.0.113.1");
        await Expect(page.Locator("#wan-learned-list")).ToContainTextAsync("198.51.100.53");
        await Expect(net.Locator("[data-f=wanAddress]")).ToBeHiddenAsync();
        await Shot(page, $"16-wan-dhcp-{Size(width)}.png");
        await net.Locator("[data-f=wanMode]").SelectOptionAsync("static");
        await Expect(net.Locator("[data-f=wanAddress]")).ToBeVisibleAsync();
        await Expect(page.Locator("#wan-learned")).ToBeHiddenAsync();
        await net.Locator("[data-f=wanMode]").SelectOptionAsync("dhcp");

        await net.Locator("#res-add").ClickAsync();
        await net.Locator("#dhcp-res tr").Nth(0).Locator("[data-r=mac]").FillAsync("02:00:00:00:00:0a");
        await net.Locator("#dhcp-res tr").Nth(0).Locator("[data-r=address]").FillAsync("192.168.1.20");
        await Expect(page.Locator("#move-row")).ToBeHiddenAsync();
        await net.Locator("[data-f=lanAddress]").FillAsync("10.0.0.1");
        await Expect(page.Locator("#move-row")).ToBeVisibleAsync();
        // Without moving, the disabled forward still points at the old subnet: refused, nothing saved.
        await page.Locator("#move-hosts").UncheckAsync();
        await net.Locator("button[type=submit]").ClickAsync();
        await Expect(net.Locator(".form-err, .err").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(".+") }).First).ToBeVisibleAsync();
        Assert.Equal(Ipv4Address.Make(192, 168, 1, 1), _emulator.OnLoop(() => _emulator.Host.Firmware.Config.LanAddress));
        await page.Locator("#move-hosts").CheckAsync();
        await net.Locator("button[type=submit]").ClickAsync();
        // The reply leaves from the old address before the router moves, so the page tells where to go next.
        await Expect(net.Locator(".ok")).ToContainTextAsync("The router now answers at http://10.0.0.1/");
        await Shot(page, $"19-lan-moved-{Size(width)}.png");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_emulator.OnLoop(() => _emulator.Host.Firmware.Config.LanAddress) != Ipv4Address.Make(10, 0, 0, 1) && DateTime.UtcNow < deadline) await Task.Delay(50);
        var config = _emulator.OnLoop(() => _emulator.Host.Firmware.Config.Clone());
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 1), config.LanAddress);
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 50), config.Forwards[0].InternalAddress);
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 199), config.Dhcp.PoolEnd);
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 20), config.Dhcp.Reservations.Address(0));
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 100), config.Dhcp.PoolStart);
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task Errors_that_were_silent_now_show_repeat_password_restore_413_expired_backup_unreachable(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        await page.GotoAsync(_emulator.Url + "#admin");

        // The new password twice: a mismatch is caught next to the repeat field.
        var pw = page.Locator("#pw-form");
        await pw.Locator("[data-f=current]").FillAsync(Password);
        await pw.Locator("[data-f=password]").FillAsync("another password 1");
        await pw.Locator("[data-f=confirm]").FillAsync("another password 2");
        await pw.Locator("button[type=submit]").ClickAsync();
        await Expect(pw.Locator("label", new() { Has = page.Locator("[data-f=confirm]") }).Locator(".err")).ToHaveTextAsync("the new passwords differ");

        // A restore file larger than the router accepts: 413, said next to the file field.
        string big = Path.Combine(_work, "big.bin");
        File.WriteAllBytes(big, new byte[200_000]);
        var restore = page.Locator("#restore-form");
        await restore.Locator("[data-f=file]").SetInputFilesAsync(big);
        await restore.Locator("button[type=submit]").ClickAsync();
        await Expect(restore.Locator("label .err")).ToContainTextAsync("too large");
        await Shot(page, $"17-restore-too-large-{Size(width)}.png");

        // Backup with a session that has ended: no file, the login page says why.
        _emulator.Host.Web.Context.Sessions.EndAllExcept(-1);
        bool downloaded = false;
        page.Download += (_, _) => downloaded = true;
        await page.Locator("#backup").ClickAsync();
        await Expect(page.Locator("#auth-hint")).ToContainTextAsync("the backup was not downloaded");
        Assert.False(downloaded);
        await page.Locator("#auth-form [data-f=password]").FillAsync(Password);
        await page.Locator("#auth-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#nav")).ToBeVisibleAsync();

        // The router goes away: the next action says it cannot be reached.
        _emulator.Dispose();
        _emulator = null;
        await page.Locator("nav a[data-tab=devices]").ClickAsync();
        await Expect(page.Locator("#banner")).ToContainTextAsync("Cannot reach the router");
        await AssertInViewAsync(page, page.Locator("#banner"), "the banner");
        await Shot(page, $"18-unreachable-{Size(width)}.png");
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task The_ftps_server_preset_forwards_the_control_port_and_a_passive_range_and_says_what_to_set_on_the_server(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        string wan = _emulator.OnLoop(() => Ipv4Address.Format(_emulator.Host.Firmware.DataPlane.Wan.Address));
        await page.GotoAsync(_emulator.Url + "#forwarding");
        await page.Locator("#fw-add").ClickAsync();
        var form = page.Locator("#fw-form");
        await Expect(page.Locator("#fw-pasv-start")).ToBeHiddenAsync();
        await page.Locator("#fw-ftps-preset").ClickAsync();
        await Expect(form.Locator("[data-f=name]")).ToHaveValueAsync("FTPS server");
        await Expect(form.Locator("[data-f=externalPort]")).ToHaveValueAsync("21");
        await AssertInViewAsync(page, page.Locator("#fw-pasv-start"), "the passive range start");
        await AssertInViewAsync(page, page.Locator("#fw-pasv-end"), "the passive range end");
        await page.Locator("#fw-pasv-end").FillAsync("50010");
        await Expect(page.Locator("#fw-ftp-note")).ToContainTextAsync($"external (masquerade) address to {wan} and its passive ports to 50000\u201350010");
        await Expect(page.Locator("#fw-ftp-note")).ToContainTextAsync($"pasv_address={wan}, pasv_min_port=50000, pasv_max_port=50010");
        await form.Locator("#fw-device").SelectOptionAsync(new SelectOptionValue { Label = "lan-host-1 \u2013 192.168.1.100 (02:52:54:00:00:30)" });
        await AssertNoSidewaysScrollAsync(page);
        await Shot(page, $"19-ftps-preset-{Size(width)}.png");
        await form.Locator("button[type=submit]").ClickAsync();

        await Expect(page.Locator("#fw-list tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#fw-list")).ToContainTextAsync("FTPS server passive");
        await Expect(page.Locator("#fw-list")).ToContainTextAsync("50000-50010");
        await Expect(page.Locator("#fw-ftps-advice")).ToContainTextAsync($"pasv_address={wan}");
        var rules = _emulator.OnLoop(() => Enumerable.Range(0, _emulator.Host.Firmware.Forwards.Count)
            .Select(i => _emulator.Host.Firmware.Forwards[i]).Select(f => (f.Name, f.ExternalPort, f.ExternalPortEnd, f.InternalAddress, f.InternalPort)).ToArray());
        uint host = Frames.Ip("192.168.1.100");
        Assert.Equal(new[] { ("FTPS server passive", 50000, 50010, host, 50000), ("FTPS server", 21, 21, host, 21) }, rules);
        await AssertNoSidewaysScrollAsync(page);
        await Shot(page, $"20-ftps-saved-{Size(width)}.png");
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task A_forward_balances_over_a_pool_typed_in_the_editor_and_a_bad_member_is_named_next_to_the_field(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        await page.GotoAsync(_emulator.Url + "#forwarding");
        await page.Locator("#fw-add").ClickAsync();
        var form = page.Locator("#fw-form");
        await form.Locator("[data-f=name]").FillAsync("web pool");
        await form.Locator("[data-f=externalPort]").FillAsync("8080");
        await form.Locator("[data-f=internalAddress]").FillAsync("192.168.1.100");
        await form.Locator("[data-f=internalPort]").FillAsync("80");
        var pool = form.Locator("[data-f=pool]");
        await AssertInViewAsync(page, pool, "the pool field");
        await pool.FillAsync("192.168.1.101, 10.0.0.9");
        await form.Locator("button[type=submit]").ClickAsync();
        var error = page.Locator("label", new() { Has = page.Locator("[data-f=pool]") }).Locator(".err");
        await Expect(error).ToHaveTextAsync("10.0.0.9 is not a host on the LAN 192.168.1.0/24");
        await Expect(pool).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertNoSidewaysScrollAsync(page);
        await Shot(page, $"21-pool-error-{Size(width)}.png");

        await pool.FillAsync("192.168.1.101, 192.168.1.102");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#fw-list")).ToContainTextAsync("192.168.1.100, 192.168.1.101, 192.168.1.102");
        Assert.Equal(3, _emulator.OnLoop(() => _emulator.Host.Firmware.Forwards[0].PoolSize));
        await page.Locator("#fw-list tr").First.Locator("button", new() { HasText = "Edit" }).ClickAsync();
        await Expect(pool).ToHaveValueAsync("192.168.1.101, 192.168.1.102");
        await AssertNoSidewaysScrollAsync(page);
        await Shot(page, $"22-pool-edit-{Size(width)}.png");
    }

    /// <summary>Another admin (or another tab) logs in over the API and resets the router to factory defaults.</summary>
    private void FactoryResetFromAnotherSession()
    {
        var other = new ApiClient(_emulator.Port);
        Assert.Equal(200, other.Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}").Status);
        Assert.Equal(200, other.Send("POST", "/api/factory-reset", "{}").Status);
        Assert.Contains("\"setup\":true", new ApiClient(_emulator.Port).Send("GET", "/api/session").Body);
    }

    private static async Task ExpectSetupAfterResetAsync(IPage page)
    {
        await Expect(page.Locator("#auth-title")).ToHaveTextAsync("Set the admin password");
        await Expect(page.Locator("#auth-hint")).ToContainTextAsync("reset to its factory settings");
        await Expect(page.Locator("#confirm-row")).ToBeVisibleAsync();
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task A_factory_reset_from_another_session_sends_the_next_action_to_the_setup_form_not_the_login(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        await page.GotoAsync(_emulator.Url + "#network");
        var form = page.Locator("#net-form");
        await Expect(form.Locator("[data-f=lanAddress]")).ToHaveValueAsync("192.168.1.1");

        FactoryResetFromAnotherSession();
        await form.Locator("button[type=submit]").ClickAsync(); // 401: the reset ended this page's session
        await ExpectSetupAfterResetAsync(page);
        await AssertNoSidewaysScrollAsync(page);
        await Shot(page, $"23-reset-elsewhere-setup-{Size(width)}.png");

        // The form works: the page chooses the first password and is back in.
        await page.Locator("#auth-form [data-f=password]").FillAsync(Password);
        await page.Locator("#auth-form [data-f=confirm]").FillAsync(Password);
        await page.Locator("#auth-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#nav")).ToBeVisibleAsync();
        Assert.NotEmpty(_emulator.OnLoop(() => _emulator.Host.Firmware.Config.AdminHash));
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task A_login_on_a_router_reset_meanwhile_switches_to_the_setup_form(int width, int height)
    {
        IPage page = await OpenAsync(width, height);
        await page.Locator("#logout").ClickAsync();
        await Expect(page.Locator("#auth-title")).ToHaveTextAsync("Log in");

        FactoryResetFromAnotherSession();
        await page.Locator("#auth-form [data-f=password]").FillAsync(Password);
        await page.Locator("#auth-form button[type=submit]").ClickAsync(); // 401: no admin password is set
        await ExpectSetupAfterResetAsync(page);
        await Shot(page, $"24-login-after-reset-setup-{Size(width)}.png");

        // A wrong password on a router that has one still says so under the login form.
        await page.Locator("#auth-form [data-f=password]").FillAsync(Password);
        await page.Locator("#auth-form [data-f=confirm]").FillAsync(Password);
        await page.Locator("#auth-form button[type=submit]").ClickAsync();
        await page.Locator("#logout").ClickAsync();
        await page.Locator("#auth-form [data-f=password]").FillAsync("not the password");
        await page.Locator("#auth-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#auth-form .form-err, #auth-form .err").Filter(new() { HasText = "wrong password" })).ToHaveCountAsync(1);
        await Expect(page.Locator("#auth-title")).ToHaveTextAsync("Log in");
    }

    public async Task DisposeAsync()
    {
        if (_browser != null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        _emulator?.Dispose();
        try { Directory.Delete(_work, true); } catch (IOException) { }
    }
}
