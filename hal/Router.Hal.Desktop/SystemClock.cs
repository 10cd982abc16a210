using System.Diagnostics;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>Monotonic milliseconds since construction, from <see cref="Stopwatch"/>. Thread-safe, allocation-free.</summary>
public sealed class SystemClock : IClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public long NowMilliseconds
    {
        get
        {
            long ticks = Stopwatch.GetTimestamp() - _start;
            long frequency = Stopwatch.Frequency;
            // Split to avoid overflowing ticks * 1000 on long uptimes.
            return ticks / frequency * 1000 + ticks % frequency * 1000 / frequency;
        }
    }
}
