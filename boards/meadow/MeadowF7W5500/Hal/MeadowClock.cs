using System.Diagnostics;
using Router.Hal;

namespace Router.MeadowF7W5500.Hal
{
    /// <summary><see cref="IClock"/>: milliseconds from the monotonic <see cref="Stopwatch"/> (setting the RTC does not move it).</summary>
    public sealed class MeadowClock : IClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public long NowMilliseconds { get { return _watch.ElapsedMilliseconds; } }
    }
}
