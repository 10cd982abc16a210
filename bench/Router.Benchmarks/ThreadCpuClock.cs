using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace Router.Benchmarks;

/// <summary>
/// Times by the CPU time of the measuring thread (Linux CLOCK_THREAD_CPUTIME_ID) instead of the wall clock. On a small
/// machine shared with other work (a load average many times the core count), wall time mostly measures how long the
/// scheduler kept the benchmark off the CPU; thread CPU time measures the work itself (cache and TLB disturbance from
/// the other processes still shows as noise).
/// </summary>
public sealed class ThreadCpuClock : IClock
{
    private const int ClockThreadCpuTime = 3;

    public string Title => "thread CPU time";
    public bool IsAvailable => System.OperatingSystem.IsLinux();
    public Frequency Frequency => Frequency.GHz;

    public long GetTimestamp()
    {
        clock_gettime(ClockThreadCpuTime, out Timespec t);
        return t.Seconds * 1_000_000_000L + t.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clockId, out Timespec time);
}
