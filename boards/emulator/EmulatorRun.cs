using System;
using Router.Hal;

namespace Router.Emulator;

/// <summary>
/// The emulator's main loop, one pass per <see cref="RunOnce"/>: reboots when the web UI asked for it, makes the
/// simulated LAN hosts talk every <see cref="TrafficIntervalMs"/>, runs the router and prints a status line every
/// second. The timers follow the host's clock, so they start again with it after a reboot.
/// </summary>
public sealed class EmulatorRun : IDisposable
{
    public const int TrafficIntervalMs = 250;
    public const int StatusIntervalMs = 1000;

    private readonly Action<string> _print;
    private long _nextTraffic, _nextStatus;

    public EmulatorRun(EmulatorOptions options, Action<string> print, IClock clock = null)
    {
        _print = print;
        Host = new EmulatorHost(options, clock);
        ResetTimers();
    }

    public EmulatorHost Host { get; private set; }
    public int Reboots { get; private set; }

    public void RunOnce()
    {
        if (Host.RebootRequested)
        {
            _print("Rebooting (web UI request)");
            Host = Host.Reboot();
            Reboots++;
            ResetTimers();
        }
        long now = Host.Clock.NowMilliseconds;
        if (now >= _nextTraffic)
        {
            Host.GenerateTraffic();
            _nextTraffic = now + TrafficIntervalMs;
        }
        if (Host.Step() == 0) Host.Idle();
        if (now >= _nextStatus && !Host.Options.Quiet)
        {
            _print(Host.StatusLine());
            _nextStatus = now + StatusIntervalMs;
        }
    }

    private void ResetTimers()
    {
        _nextTraffic = Host.Clock.NowMilliseconds;
        _nextStatus = _nextTraffic + StatusIntervalMs;
    }

    public void Dispose() => Host.Dispose();
}
