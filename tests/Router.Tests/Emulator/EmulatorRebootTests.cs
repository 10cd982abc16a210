using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Router.Emulator;
using Router.Tests.Web;
using Xunit;

namespace Router.Tests.Emulator;

/// <summary>
/// Reboot from the web UI as the emulator runs it (<see cref="EmulatorRun"/> on a thread of its own, flash in a file):
/// saving works afterwards, and the simulated traffic and status line carry on at once on the new clock.
/// </summary>
public sealed class EmulatorRebootTests : IDisposable
{
    private const string Password = "correct horse 1";
    private const string Forward = "{\"name\":\"web\",\"enabled\":true,\"protocol\":\"tcp\",\"externalPort\":\"8080\",\"externalPortEnd\":\"\",\"internalAddress\":\"192.168.1.100\",\"internalPort\":\"80\",\"allowedSource\":\"\"}";
    private readonly string _work = Directory.CreateTempSubdirectory("router-reboot-").FullName;

    [Fact]
    public void After_a_reboot_saves_succeed_and_traffic_and_status_resume_at_once()
    {
        var lines = new ConcurrentQueue<(long At, string Line)>();
        var clock = Stopwatch.StartNew();
        using var run = new EmulatorRun(new EmulatorOptions { LanHosts = 1, HttpUrl = "http://127.0.0.1:0", FlashPath = Path.Combine(_work, "flash.bin") },
            line => lines.Enqueue((clock.ElapsedMilliseconds, line)));
        run.Host.Web.Context.PasswordIterations = 2000;
        int port = run.Host.Bridge.Port;
        bool stop = false;
        var loop = new Thread(() => { while (!Volatile.Read(ref stop)) run.RunOnce(); }) { IsBackground = true };
        loop.Start();
        try
        {
            var api = new ApiClient(port);
            Assert.Equal(200, api.Send("POST", "/api/setup", "{\"password\":\"" + Password + "\"}").Status);
            Thread.Sleep(2500); // a first run long enough that its timers lie well beyond a fresh clock's start
            Assert.Equal(200, api.Send("POST", "/api/reboot", "{}").Status);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Volatile.Read(ref stop) == false && run.Reboots == 0 && DateTime.UtcNow < deadline) Thread.Sleep(5);
            Assert.Equal(1, run.Reboots);
            long rebootedAt = lines.Single(l => l.Line.StartsWith("Rebooting")).At;

            // Traffic: within 700 ms of the reboot the LAN host has pinged again (every 250 ms).
            Thread.Sleep(700);
            Assert.True(run.Host.LanHosts[0].PingsSent >= 2, $"pings after the reboot: {run.Host.LanHosts[0].PingsSent}");
            // Status line: printed within about a second of the reboot, not after the old uptime.
            Thread.Sleep(800);
            Assert.Contains(lines, l => l.At > rebootedAt && l.Line.StartsWith("t="));

            // The same port, a new session, and a save that reaches the flash.
            var again = new ApiClient(port);
            Assert.Equal(200, again.Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}").Status);
            var saved = again.Send("POST", "/api/forwards", Forward);
            Assert.True(saved.Status == 200, saved.Status + " " + saved.Body);
        }
        finally
        {
            Volatile.Write(ref stop, true);
            loop.Join(5000);
        }

        // A cold start over the same file sees the forward saved after the reboot.
        using var cold = new EmulatorHost(new EmulatorOptions { LanHosts = 0, FlashPath = Path.Combine(_work, "flash.bin") });
        Assert.Equal(1, cold.Firmware.Config.ForwardCount);
    }

    public void Dispose()
    {
        try { Directory.Delete(_work, true); } catch (IOException) { }
    }
}
