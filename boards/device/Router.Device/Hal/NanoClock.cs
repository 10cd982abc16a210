using Router.Hal;

namespace Router.Device.Hal
{
    /// <summary>
    /// <see cref="IClock"/> over nanoFramework's <c>System.Environment.TickCount64</c> (nanoFramework.Runtime.Native):
    /// milliseconds since the CLR started, from the system tick, so setting the RTC (SNTP, Rtc.SetSystemTime) cannot
    /// move it. DateTime.UtcNow would.
    /// </summary>
    public sealed class NanoClock : IClock
    {
        public long NowMilliseconds
        {
            get { return System.Environment.TickCount64; }
        }
    }
}
