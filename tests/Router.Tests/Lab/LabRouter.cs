using System;
using System.Threading;
using Router.Boards;
using Router.Config;
using Router.Emulator;
using Router.Hal.Desktop;
using Router.Web;

namespace Router.Tests.Lab;

/// <summary>
/// The router under test, in process: <see cref="RouterFirmware"/> with the desktop profile on the lab's two TAP
/// devices, its loop on a dedicated thread (busy while frames flow, poll(2) for up to 1 ms when idle) — the same loop
/// as the emulator's <c>--lan-tap/--wan-tap</c> mode. In process, so a test configures the firmware directly
/// (forwards, triggers, the FTP helper) through its configuration before traffic starts, and reads its counters after <see cref="Stop"/>.
/// </summary>
public sealed class LabRouter : IDisposable
{
    private readonly TapInterface _lan, _wan;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private Exception _failure;

    private LabRouter(LabFixture lab, Action<RouterConfig> configure, bool web)
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
        var profile = BoardProfiles.ByName("desktop");
        Firmware = new RouterFirmware(profile.Capacities, new RouterSettings(), _lan, _wan, new SystemClock(), new SystemRandomSource());
        if (web)
        {
            // As a board boots: flash (here in memory) with factory defaults, then the lab's static WAN, saved.
            int sectors = RouterFirmware.FlashSectorsNeeded(profile.Capacities, profile.FlashSectorSize, profile.ConfigSectors);
            Firmware.Boot(new MemoryFlash(profile.FlashSectorSize, sectors), profile.ConfigSectors, factoryReset: true);
            RouterConfig wan = Firmware.Config.Clone();
            wan.WanMode = RouterConfig.WanStatic;
            wan.WanAddress = Router.Wire.Ipv4Address.Make(203, 0, 113, 2);
            wan.WanPrefixLength = 24;
            wan.WanGateway = Router.Wire.Ipv4Address.Make(203, 0, 113, 1);
            ValidationResult applied = Firmware.Apply(wan);
            if (!applied.IsValid) throw new ArgumentException("lab WAN rejected: " + applied);
            Firmware.SaveConfig();
            Web = new WebUi(Firmware, Firmware.Store, new SystemRandomSource(), profile.Name, WebUi.LimitsFor(profile.Capacities));
            Web.Context.PasswordIterations = 2000; // keep tests quick; the format carries the count
            Firmware.LoopService = Web.Server;
        }
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

    /// <summary>Starts the router with its defaults, edited by <paramref name="configure"/> (forwards, triggers, FTP helper).</summary>
    public static LabRouter Start(LabFixture lab, Action<RouterConfig> configure = null) => new(lab, configure, web: false);

    /// <summary>Starts the router with its web UI on port 80 of its LAN address, served by its own TCP from the loop.</summary>
    public static LabRouter StartWithWeb(LabFixture lab) => new(lab, null, web: true);

    public RouterFirmware Firmware { get; }
    /// <summary>The web UI when started by <see cref="StartWithWeb"/>, else null.</summary>
    public WebUi Web { get; }

    /// <summary>The data plane's counters; exact once <see cref="Stop"/> returned.</summary>
    public Counters Counters => Firmware.DataPlane.Counters;

    private void Loop()
    {
        try
        {
            while (!_stopping)
            {
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
