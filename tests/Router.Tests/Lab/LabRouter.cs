using System;
using System.Threading;
using Router.Boards;
using Router.Config;
using Router.Emulator;
using Router.Hal;
using Router.Hal.Desktop;

namespace Router.Tests.Lab;

/// <summary>
/// The router under test, in process: <see cref="RouterFirmware"/> with the desktop profile on the lab's two TAP
/// devices, its loop on a dedicated thread (busy while frames flow, poll(2) for up to 1 ms when idle) — the same loop
/// as the emulator's <c>--lan-tap/--wan-tap</c> mode. In process, so a test configures the firmware directly
/// (forwards, triggers, the FTP helper) through its configuration before traffic starts, and reads its counters after <see cref="Stop"/>.
/// With <see cref="NicKind.W5500"/> each TAP is the wire of a W5500 chip model the router drives over SPI (the
/// emulator's <c>--nic w5500</c>): the same tests then cover the board's frame path.
/// </summary>
public sealed class LabRouter : IDisposable
{
    private readonly TapInterface _lan, _wan;
    private readonly W5500Nic[] _nics = Array.Empty<W5500Nic>();
    private readonly Thread _thread;
    private volatile bool _stopping;
    private Exception _failure;

    private LabRouter(LabFixture lab, NicKind nic, Action<RouterConfig> configure, Capacities capacities)
    {
        _lan = TapInterface.Open(LabFixture.TapName, EmulatorHost.Mac(0x10), lab.LanNamespace);
        try
        {
            _wan = TapInterface.Open(LabFixture.TapName, EmulatorHost.Mac(0x20), lab.WanNamespace);
        }
        catch
        {
            _lan.Dispose();
            throw;
        }
        INetworkInterface lan = _lan, wan = _wan;
        var clock = new SystemClock();
        if (nic == NicKind.W5500)
        {
            _nics = new[] { new W5500Nic(_lan, EmulatorHost.Mac(0x10), clock), new W5500Nic(_wan, EmulatorHost.Mac(0x20), clock) };
            lan = _nics[0].Driver;
            wan = _nics[1].Driver;
        }
        Nic = nic;
        Firmware = new RouterFirmware(capacities ?? BoardProfiles.ByName("desktop").Capacities, new RouterSettings(), lan, wan, clock, new SystemRandomSource());
        if (configure != null)
        {
            // Through the configuration path a user takes: edit a copy, validate, apply.
            RouterConfig config = Firmware.Config.Clone();
            configure(config);
            ValidationResult result = Firmware.Apply(config);
            if (!result.IsValid) throw new ArgumentException("lab configuration rejected: " + result);
        }
        _thread = new Thread(Loop) { Name = "lab router", IsBackground = true };
        _thread.Start();
    }

    /// <summary>
    /// Starts the router with its defaults, edited by <paramref name="configure"/> (forwards, triggers, FTP helper), with
    /// a board's <paramref name="capacities"/> (default: the desktop profile).
    /// </summary>
    public static LabRouter Start(LabFixture lab, Action<RouterConfig> configure = null, Capacities capacities = null) => new(lab, NicKind.Direct, configure, capacities);

    /// <summary>As <see cref="Start(LabFixture, Action{RouterConfig}, Capacities)"/>, with the ports behind <paramref name="nic"/>.</summary>
    public static LabRouter Start(LabFixture lab, NicKind nic, Action<RouterConfig> configure = null) => new(lab, nic, configure, null);

    public NicKind Nic { get; }

    /// <summary>The W5500s (LAN, WAN) with <see cref="NicKind.W5500"/>, else empty.</summary>
    public W5500Nic[] Nics => _nics;

    public RouterFirmware Firmware { get; }

    /// <summary>The data plane's counters; exact once <see cref="Stop"/> returned.</summary>
    public Counters Counters => Firmware.DataPlane.Counters;

    private void Loop()
    {
        try
        {
            while (!_stopping)
            {
                foreach (var nic in _nics) nic.Chip.Pump(); // frames waiting on the TAPs reach the chips (INTn falls)
                if (Firmware.RunOnce() == 0) TapInterface.WaitReadable(_lan, _wan, 1);
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    /// <summary>Stops the loop (rethrowing what killed it, if anything) and detaches from the TAPs.</summary>
    public void Stop()
    {
        _stopping = true;
        _thread.Join();
        _lan.Dispose();
        _wan.Dispose();
        if (_failure != null) throw new InvalidOperationException("the router loop failed", _failure);
    }

    public void Dispose()
    {
        if (!_stopping) Stop();
    }
}
