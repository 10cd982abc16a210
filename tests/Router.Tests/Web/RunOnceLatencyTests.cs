using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;
using Router.Emulator;
using Router.Hal.Desktop;
using Router.Web;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Web;

/// <summary>
/// The packet loop's worst tick while a user sets the password, logs in and saves configuration, under traffic
/// (4 LAN hosts ping and send UDP through the router every tick). CoreCLR, desktop: a figure for comparing loop
/// designs, not a board's timing. Prints the longest single RunOnce (wall time, and the loop thread's CPU time, which a
/// loaded machine's descheduling does not inflate) and the frames queued at its start. Asserts that no tick does
/// more than half a whole PBKDF2 hash: a loop that hashes a login inside one tick fails.
/// </summary>
public sealed class RunOnceLatencyTests
{
    private readonly ITestOutputHelper _output;

    public RunOnceLatencyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void LongestRunOnceWhileALoginAndAConfigSaveRunUnderTraffic()
    {
        Measure(); // warm-up: every path JIT-compiled once, so first-call compilation is not counted as loop work
        var m = Measure();

        // What one whole password hash costs this thread (CPU), the work a login used to do inside one tick.
        long hashStart = ThreadCpuNanoseconds();
        Pbkdf2.DeriveKey(Encoding.UTF8.GetBytes("measure me 123"), new byte[AdminCredential.SaltBytes], AdminCredential.DefaultIterations, Pbkdf2.HashBytes);
        double hashMs = (ThreadCpuNanoseconds() - hashStart) / 1e6;

        _output.WriteLine($"RunOnce under traffic during setup + login + 2 config saves: {m.Ticks} ticks, wall median {m.MedianUs:F0} us, " +
            $"p99 {m.P99Us:F0} us, longest {m.LongestUs:F0} us with {m.WaitingAtLongest} frames waiting at its start; " +
            $"loop thread CPU per tick: p99 {m.CpuP99Us:F0} us, longest {m.CpuLongestUs:F0} us; one whole PBKDF2 hash ({AdminCredential.DefaultIterations} iterations) {hashMs:F1} ms CPU");
        // A loop that hashes inside one tick spends at least one whole hash in that tick; a sliced one 64 iterations of 10,000.
        Assert.True(m.CpuLongestUs / 1000 < hashMs / 2,
            $"a single RunOnce used {m.CpuLongestUs / 1000:F1} ms of CPU, more than half a whole password hash ({hashMs:F1} ms): the hash is not sliced");
    }

    private sealed record Figures(int Ticks, double MedianUs, double P99Us, double LongestUs, int WaitingAtLongest, double CpuP99Us, double CpuLongestUs);

    private static Figures Measure()
    {
        using var host = new EmulatorHost(new EmulatorOptions { LanHosts = 4, HttpUrl = "http://127.0.0.1:0" });
        var lan = (VirtualPort)host.Firmware.DataPlane.Lan.Device;
        var wan = (VirtualPort)host.Firmware.DataPlane.Wan.Device;
        int port = host.Bridge.Port;
        var user = Task.Run(() =>
        {
            var api = new ApiClient(port);
            Assert.Equal(200, api.Send("POST", "/api/setup", "{\"password\":\"measure me 123\"}").Status);
            Assert.Equal(200, api.Send("POST", "/api/logout", "{}").Status);
            Assert.Equal(200, api.Send("POST", "/api/login", "{\"password\":\"measure me 123\"}").Status);
            Assert.Equal(200, api.Send("POST", "/api/forwards", "{\"name\":\"web\",\"enabled\":true,\"protocol\":\"tcp\",\"externalPort\":\"8080\",\"externalPortEnd\":\"\",\"internalAddress\":\"192.168.1.100\",\"internalPort\":\"80\",\"allowedSource\":\"\"}").Status);
            Assert.Equal(200, api.Send("PUT", "/api/ftp", "{\"enabled\":true,\"controlPorts\":\"21, 2121\"}").Status);
        });
        var ticks = new List<long>();
        var cpu = new List<long>();
        long worst = 0;
        int waitingAtWorst = 0;
        var deadline = Stopwatch.StartNew();
        while (!user.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            host.GenerateTraffic();
            host.Internet.Step();
            foreach (var h in host.LanHosts) h.Step();
            int waiting = lan.PendingFrames + wan.PendingFrames;
            long cpuStart = ThreadCpuNanoseconds();
            long start = Stopwatch.GetTimestamp();
            host.Firmware.RunOnce();
            long elapsed = Stopwatch.GetTimestamp() - start;
            cpu.Add(ThreadCpuNanoseconds() - cpuStart);
            ticks.Add(elapsed);
            if (elapsed > worst)
            {
                worst = elapsed;
                waitingAtWorst = waiting;
            }
            host.Bridge.Step(host.Clock.NowMilliseconds);
        }
        Assert.True(user.IsCompleted, "the user's requests did not finish within 60 s");
        if (user.Exception != null) throw user.Exception.InnerException ?? user.Exception;
        ticks.Sort();
        cpu.Sort();
        double us(long t) => t * 1_000_000.0 / Stopwatch.Frequency;
        return new Figures(ticks.Count, us(ticks[ticks.Count / 2]), us(ticks[ticks.Count * 99 / 100]), us(worst), waitingAtWorst,
            cpu[cpu.Count * 99 / 100] / 1000.0, cpu[^1] / 1000.0);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID (Linux)

    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static extern int ClockGetTime(int clock, out Timespec time);

    /// <summary>CPU time this thread has used (ns): time it spends descheduled on a loaded machine does not count.</summary>
    private static long ThreadCpuNanoseconds()
    {
        if (ClockGetTime(ClockThreadCpuTime, out Timespec t) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: " + Marshal.GetLastWin32Error());
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
