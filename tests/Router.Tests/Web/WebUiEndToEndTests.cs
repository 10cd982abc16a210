using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Router.Rules;
using Router.Wire;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Router.Tests.Web;

/// <summary>
/// The web UI in headless Chromium (Debian's /usr/bin/chromium driven by Playwright), against the emulator with its
/// flash in a file: first password, login, a port forward that really forwards, the FTP helper on port 2121, a bad
/// input that saves nothing, a DHCP reservation on the LAN page, and a restart that keeps it all. Screenshots go to TestResults/web-e2e/.
/// </summary>
public sealed class WebUiEndToEndTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Password = "router admin 42";
    private static readonly uint WanAddress = Ipv4Address.Make(203, 0, 113, 2);
    private static readonly uint LanHost = Ipv4Address.Make(192, 168, 1, 100);

    private readonly string _work = Directory.CreateTempSubdirectory("router-web-e2e-").FullName;

    public static string ArtifactDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Router.sln"))) dir = dir.Parent;
            string path = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", "web-e2e");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    internal static async Task<IBrowserContext> LaunchAsync(IPlaywright playwright, string profileDirectory, int width, int height)
    {
        if (!File.Exists(Chromium))
        {
            Assert.Fail($"{Chromium} is missing: install Debian's chromium package (apt-get install -y chromium). The web UI end-to-end tests cannot run without it.");
        }
        return await playwright.Chromium.LaunchPersistentContextAsync(profileDirectory, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync" },
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, name), FullPage = true });

    private static async Task LogInAsync(IPage page, string title)
    {
        await Expect(page.Locator("#auth-title")).ToHaveTextAsync(title);
        await page.Locator("#auth-form [data-f=password]").FillAsync(Password);
        if (title.StartsWith("Set")) await page.Locator("#auth-form [data-f=confirm]").FillAsync(Password);
        await page.Locator("#auth-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#nav")).ToBeVisibleAsync();
        await Expect(page.Locator("#st-wan")).ToContainTextAsync("203.0.113.2/24");
    }

    /// <summary>Sends a SYN from the internet to WAN:8080 and reports whether the LAN host received it on port 80.</summary>
    private static bool InboundReachesLanHost(RunningEmulator emulator, int sourcePort)
    {
        emulator.OnLoop(() => { emulator.Host.Internet.SendTcp(WanAddress, sourcePort, 8080, TcpSegment.Syn, 1000); return 0; });
        for (int attempt = 0; attempt < 100; attempt++)
        {
            bool seen = emulator.OnLoop(() => emulator.Host.LanHosts[0].Received.Any(f =>
            {
                if (Ipv4Packet.Protocol(f, 14) != IpProtocol.Tcp || Ipv4Packet.Destination(f, 14) != LanHost) return false;
                int tcp = Ipv4Packet.PayloadOffset(f, 14);
                return TcpSegment.DestinationPort(f, tcp) == 80 && TcpSegment.SourcePort(f, tcp) == sourcePort && TcpSegment.HasFlag(f, tcp, TcpSegment.Syn);
            }));
            if (seen) return true;
            System.Threading.Thread.Sleep(10);
        }
        return false;
    }

    [Fact]
    public async Task Setup_login_forward_ftp_bad_input_and_restart_through_the_browser()
    {
        string flash = Path.Combine(_work, "flash.bin");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright, Path.Combine(_work, "profile"), 1280, 900);
        IPage page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();

        var emulator = new RunningEmulator(flashPath: flash);
        try
        {
            // First run forces the password; then log out and in again.
            await page.GotoAsync(emulator.Url);
            await LogInAsync(page, "Set the admin password");
            await page.Locator("#logout").ClickAsync();
            await LogInAsync(page, "Log in");
            await Expect(page.Locator("#st-events")).ToContainTextAsync("admin logged in");
            await Shot(page, "01-status.png");

            // No forward yet: an inbound connection to WAN:8080 is dropped.
            Assert.False(InboundReachesLanHost(emulator, 40001));

            // Add a port forward; it is applied at once.
            await page.Locator("nav a[data-tab=forwarding]").ClickAsync();
            await page.Locator("#fw-add").ClickAsync();
            var form = page.Locator("#fw-form");
            await form.Locator("[data-f=name]").FillAsync("web server");
            await form.Locator("[data-f=protocol]").SelectOptionAsync("tcp");
            await form.Locator("[data-f=externalPort]").FillAsync("8080");
            await form.Locator("[data-f=internalAddress]").FillAsync("192.168.1.100");
            await form.Locator("[data-f=internalPort]").FillAsync("80");
            await form.Locator("button[type=submit]").ClickAsync();
            await Expect(page.Locator("#fw-list tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("#fw-list")).ToContainTextAsync("web server");
            emulator.WaitSettled();
            Assert.True(InboundReachesLanHost(emulator, 40002), "a SYN to WAN:8080 should reach 192.168.1.100:80 through the new forward");
            await Shot(page, "02-forwarding.png");

            // Bad input: the error sits next to its field and nothing is saved.
            int configBytes = emulator.Host.Profile.FlashSectorSize * emulator.Host.Profile.ConfigSectors;
            byte[] flashBefore = File.ReadAllBytes(flash)[..configBytes];
            await page.Locator("#fw-add").ClickAsync();
            await form.Locator("[data-f=name]").FillAsync("broken");
            await form.Locator("[data-f=externalPort]").FillAsync("80x");
            await form.Locator("[data-f=internalAddress]").FillAsync("192.168.1.101");
            await form.Locator("[data-f=internalPort]").FillAsync("80");
            await form.Locator("button[type=submit]").ClickAsync();
            var portLabel = form.Locator("label", new LocatorLocatorOptions { Has = page.Locator("[data-f=externalPort]") });
            await Expect(portLabel.Locator(".err")).ToHaveTextAsync("must be a whole number");
            await Expect(form.Locator("[data-f=externalPort]")).ToHaveAttributeAsync("aria-invalid", "true");
            await form.Locator("[data-f=externalPort]").FillAsync("9000");
            await form.Locator("[data-f=internalAddress]").FillAsync("10.0.0.5");
            await form.Locator("button[type=submit]").ClickAsync();
            var hostLabel = form.Locator("label", new LocatorLocatorOptions { Has = page.Locator("[data-f=internalAddress]") });
            await Expect(hostLabel.Locator(".err")).ToContainTextAsync("is not a host on the LAN");
            await Shot(page, "03-bad-input.png");
            await Expect(page.Locator("#fw-list tr")).ToHaveCountAsync(1);
            Assert.Equal(1, emulator.Host.Web.Context.Editor.Current.ForwardCount);
            Assert.Equal(flashBefore, File.ReadAllBytes(flash)[..configBytes]);
            await form.Locator(".cancel").ClickAsync();

            // The FTP helper on port 2121.
            await page.Locator("nav a[data-tab=ftp]").ClickAsync();
            var ftp = page.Locator("#ftp-form");
            await Expect(ftp.Locator("[data-f=controlPorts]")).ToHaveValueAsync("21");
            await ftp.Locator("[data-f=enabled]").UncheckAsync();
            await ftp.Locator("button[type=submit]").ClickAsync();
            await Expect(ftp.Locator(".ok")).ToHaveTextAsync("Saved and applied.");
            await ftp.Locator("[data-f=enabled]").CheckAsync();
            await ftp.Locator("[data-f=controlPorts]").FillAsync("2121");
            await ftp.Locator("button[type=submit]").ClickAsync();
            await Expect(ftp.Locator(".ok")).ToHaveTextAsync("Saved and applied.");
            emulator.WaitSettled();
            var inForce = emulator.OnLoop(() => emulator.Host.Firmware.Config.Ftp);
            Assert.True(inForce.Enabled);
            Assert.Equal(1, inForce.ControlPortCount);
            Assert.Equal(2121, inForce.ControlPort(0));
            Assert.True(emulator.OnLoop(() => emulator.Host.Firmware.Ftp.Settings.IsControlPort(2121) && !emulator.Host.Firmware.Ftp.Settings.IsControlPort(21)),
                "the running FTP helper inspects port 2121 only");
            await Shot(page, "04-ftp.png");

            // A DHCP reservation on the LAN page: errors sit next to their field or row; a good save survives a reload.
            await page.Locator("nav a[data-tab=network]").ClickAsync();
            var net = page.Locator("#net-form");
            await Expect(net.Locator("[data-f='dhcp.poolStart']")).ToHaveValueAsync("192.168.1.100");
            var rows = net.Locator("#dhcp-res tr");
            byte[] flashBeforeDhcp = File.ReadAllBytes(flash)[..configBytes];
            await Expect(rows).ToHaveCountAsync(0);
            await net.Locator("#res-add").ClickAsync();
            await rows.Nth(0).Locator("[data-r=mac]").FillAsync("02:00:00:00:00:0A");
            await rows.Nth(0).Locator("[data-r=address]").FillAsync("192.168.1.20");
            await net.Locator("#res-add").ClickAsync();
            await rows.Nth(1).Locator("[data-r=mac]").FillAsync("02:00:00:00:00:0a");
            await rows.Nth(1).Locator("[data-r=address]").FillAsync("192.168.1.21");
            await net.Locator("button[type=submit]").ClickAsync();
            await Expect(rows.Nth(1).Locator(".err")).ToHaveTextAsync(["is already reserved in an earlier entry", ""]);
            await Expect(rows.Nth(1).Locator("[data-r=mac]")).ToHaveAttributeAsync("aria-invalid", "true");
            await rows.Nth(1).Locator("button").ClickAsync();
            await net.Locator("[data-f='dhcp.poolStart']").FillAsync("10.0.0.5");
            await net.Locator("button[type=submit]").ClickAsync();
            var poolLabel = net.Locator("label", new LocatorLocatorOptions { Has = page.Locator("[data-f='dhcp.poolStart']") });
            await Expect(poolLabel.Locator(".err")).ToHaveTextAsync("must be a host address of the LAN prefix");
            Assert.Equal(flashBeforeDhcp, File.ReadAllBytes(flash)[..configBytes]);
            Assert.Equal(0, emulator.Host.Web.Context.Editor.Current.Dhcp.Reservations.Count);
            await net.Locator("[data-f='dhcp.poolStart']").FillAsync("192.168.1.100");
            await net.Locator("button[type=submit]").ClickAsync();
            await Expect(net.Locator(".ok")).ToHaveTextAsync("Saved and applied.");
            await page.ReloadAsync();
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows.Nth(0).Locator("[data-r=mac]")).ToHaveValueAsync("02:00:00:00:00:0a");
            await Expect(rows.Nth(0).Locator("[data-r=address]")).ToHaveValueAsync("192.168.1.20");
            emulator.WaitSettled();
            Assert.Equal(Ipv4Address.Make(192, 168, 1, 20), emulator.OnLoop(() => emulator.Host.Firmware.Config.Dhcp.Reservations.Address(0)));
            await Shot(page, "07-lan-dhcp.png");
        }
        finally
        {
            emulator.Dispose();
        }

        // Restart: a new RouterFirmware over the same flash file. The session is gone, the configuration is not.
        using var restarted = new RunningEmulator(flashPath: flash);
        Assert.Equal(Router.Config.LoadResult.Loaded, restarted.Host.BootResult.Status);
        await page.GotoAsync(restarted.Url);
        await LogInAsync(page, "Log in");
        await page.Locator("nav a[data-tab=forwarding]").ClickAsync();
        await Expect(page.Locator("#fw-list")).ToContainTextAsync("web server");
        await Expect(page.Locator("#fw-list")).ToContainTextAsync("192.168.1.100");
        Assert.True(InboundReachesLanHost(restarted, 40003), "the stored forward is in force after the restart");
        await page.Locator("nav a[data-tab=ftp]").ClickAsync();
        await Expect(page.Locator("#ftp-form [data-f=controlPorts]")).ToHaveValueAsync("2121");
        await Expect(page.Locator("#ftp-form [data-f=enabled]")).ToBeCheckedAsync();
        await Shot(page, "05-after-restart.png");

        // The same page on a phone-sized screen.
        IPage phone = await browser.NewPageAsync();
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync(restarted.Url + "#status");
        await Expect(phone.Locator("#st-wan")).ToContainTextAsync("203.0.113.2/24");
        await Shot(phone, "06-status-phone.png");
        await phone.GotoAsync(restarted.Url + "#network");
        await Expect(phone.Locator("#dhcp-res [data-r=mac]")).ToHaveValueAsync("02:00:00:00:00:0a");
        await Shot(phone, "08-lan-dhcp-phone.png");
    }

    public void Dispose()
    {
        try { Directory.Delete(_work, true); } catch (IOException) { }
    }
}
