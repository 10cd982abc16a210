using System;
using System.Collections.Concurrent;
using System.Threading;
using Router.Emulator;
using Router.Hal;

namespace Router.Tests.Web;

/// <summary>
/// An emulator host with its HTTP bridge on an ephemeral loopback port and its packet loop (which runs the web server)
/// on a thread of its own, as the emulator runs them. Simulated hosts are not thread-safe, so test code touching them runs via <see cref="OnLoop"/>.
/// </summary>
public sealed class RunningEmulator : IDisposable
{
    private readonly Thread _loop;
    private readonly ConcurrentQueue<Action> _work = new();
    private volatile bool _stop;

    public RunningEmulator(string flashPath = null, IFlash flash = null, int lanHosts = 1, int port = 0, string profile = null)
    {
        var options = new EmulatorOptions { LanHosts = lanHosts, LanHostsUseDhcp = true, HttpUrl = "http://127.0.0.1:" + port, FlashPath = flashPath };
        if (profile != null) options = options with { Profile = profile };
        Host = new EmulatorHost(options, flash: flash);
        Host.Web.Context.PasswordIterations = 2000; // keep tests quick; the format carries the count
        _loop = new Thread(Run) { IsBackground = true, Name = "packet-loop" };
        _loop.Start();
    }

    public EmulatorHost Host { get; }
    public int Port => Host.Bridge.Port;
    public string Url => "http://127.0.0.1:" + Port + "/";

    private void Run()
    {
        long nextTraffic = 0;
        while (!_stop)
        {
            while (_work.TryDequeue(out Action action)) action();
            long now = Host.Clock.NowMilliseconds;
            if (now >= nextTraffic)
            {
                Host.GenerateTraffic(); // pings and UDP echoes, so status counters move as in the emulator
                nextTraffic = now + 250;
            }
            if (Host.Step() == 0) Thread.Sleep(1);
        }
    }

    /// <summary>Runs <paramref name="action"/> on the packet-loop thread and waits for it.</summary>
    public T OnLoop<T>(Func<T> action)
    {
        T result = default;
        using var done = new ManualResetEventSlim();
        _work.Enqueue(() => { result = action(); done.Set(); });
        if (!done.Wait(5000)) throw new TimeoutException("packet loop did not run the action");
        return result;
    }

    public void Dispose()
    {
        _stop = true;
        _loop.Join(5000);
        Host.Dispose();
    }
}
