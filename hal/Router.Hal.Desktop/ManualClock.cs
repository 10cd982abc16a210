using System;
using System.Threading;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>
/// A clock tests move by hand: time stands still until <see cref="Advance"/> or a set of <see cref="NowMilliseconds"/>.
/// Monotonic like every <see cref="IClock"/>: moving it backwards throws. Thread-safe.
/// </summary>
public sealed class ManualClock : IClock
{
    private long _now;

    public ManualClock(long startMilliseconds = 0)
    {
        if (startMilliseconds < 0) throw new ArgumentOutOfRangeException(nameof(startMilliseconds));
        _now = startMilliseconds;
    }

    /// <summary>Current time. Setting it to an earlier value throws <see cref="ArgumentOutOfRangeException"/>.</summary>
    public long NowMilliseconds
    {
        // A 64-bit read is atomic on the 64-bit runtimes this runs on; Volatile keeps it fresh without a locked instruction
        // on the packet path (the data plane reads the clock for every packet).
        get => Volatile.Read(ref _now);
        set
        {
            long current = Interlocked.Read(ref _now);
            while (true)
            {
                if (value < current) throw new ArgumentOutOfRangeException(nameof(value), $"Clock cannot go back from {current} to {value} ms.");
                long seen = Interlocked.CompareExchange(ref _now, value, current);
                if (seen == current) return;
                current = seen;
            }
        }
    }

    /// <summary>Moves time forward by <paramref name="milliseconds"/> (&gt;= 0) and returns the new time.</summary>
    public long Advance(long milliseconds)
    {
        if (milliseconds < 0) throw new ArgumentOutOfRangeException(nameof(milliseconds));
        return Interlocked.Add(ref _now, milliseconds);
    }
}
