using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Router.Emulator;
using Router.Hal.Desktop;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Web;

/// <summary>
/// The packet loop's worst tick while a user sets the password, logs in and saves configuration, under traffic
/// (4 LAN hosts ping and send UDP through the router every tick). CoreCLR, desktop: a figure for comparing loop
/// designs, not a board's timing. Prints the longest single RunOnce and the frames queued at its start.
/// </summary>
public sealed class RunOnceLatencyTests
{
    private readonly ITestOutputHelper _output;

    public RunOnceLatencyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void LongestRunOnceWhileALoginAndAConfigSaveRunUnderTraffic()
    {
        using var host = new EmulatorHost(new EmulatorOptions { LanHosts = 4, HttpUrl = "http://127.0.0.1:0" });
        var lan = (VirtualPort)host.Firmware.DataPlane.Lan.Device;
        var wan = (VirtualPort)host.Firmware.DataPlane.Wan.Device;
        int port = PortOf(host);
        var user = Task.Run(() =>
        {
            var api = new ApiClient(port);
            Assert.Equal(200, api.Send("POST", "/api/setup", "{\"password\":\"measure me 123\"}").Status);
            Assert.Equal(200, api.Send("POST", "/api/logout", "{}").Status);
            Assert.Equal(200, api.Send("POST", "/api/login", "{\"password\":\"measure me 123\"}").Status);
            Assert.Equal(200, api.Send("POST", "/api/forwards", "{\"name\":\"web\",\"enabled\":true,\"protocol\":\"tcp\",\"externalPort\":\"8080\",\"externalPortEnd\":\"\",\"internalAddress\":\"192.168.1.100\",\"internalPort\":\"80\",\"allowedSource\":\"\"}").Status);
            Assert.Equal(200, api.Send("PUT", "/api/ftp", "{\"enabled\":true,\"controlPorts\":\"21, 2121\"}").Status);
        });
        var ticks = new System.Collections.Generic.List<long>();
        long worst = 0;
        int waitingAtWorst = 0;
        var deadline = Stopwatch.StartNew();
        while (!user.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            host.GenerateTraffic();
            host.Internet.Step();
            foreach (var h in host.LanHosts) h.Step();
            int waiting = lan.PendingFrames + wan.PendingFrames;
            long start = Stopwatch.GetTimestamp();
            host.Firmware.RunOnce();
            long elapsed = Stopwatch.GetTimestamp() - start;
            ticks.Add(elapsed);
            if (elapsed > worst)
            {
                worst = elapsed;
                waitingAtWorst = waiting;
            }
            StepBridge(host);
        }
        Assert.True(user.IsCompleted, "the user's requests did not finish within 60 s");
        if (user.Exception != null) throw user.Exception.InnerException ?? user.Exception;
        ticks.Sort();
        double us(long t) => t * 1_000_000.0 / Stopwatch.Frequency;
        _output.WriteLine($"RunOnce under traffic during setup + login + 2 config saves: {ticks.Count} ticks, median {us(ticks[ticks.Count / 2]):F0} us, " +
            $"p99 {us(ticks[ticks.Count * 99 / 100]):F0} us, longest {us(worst):F0} us with {waitingAtWorst} frames waiting at its start");
    }

    private static int PortOf(EmulatorHost host) => host.Bridge.Port;

    private static void StepBridge(EmulatorHost host) => host.Bridge.Step(host.Clock.NowMilliseconds);
}
