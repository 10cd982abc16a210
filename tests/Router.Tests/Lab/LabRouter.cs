using System;
using System.Threading;
using Router.Boards;
using Router.Config;
using Router.Emulator;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Web;

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

    private LabRouter(LabFixture lab, NicKind nic, Action<RouterConfig> configure, Capacities capacities, bool web)
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
        var profile = BoardProfiles.ByName("desktop");
        Firmware = new RouterFirmware(capacities ?? profile.Capacities, new RouterSettings(), lan, wan, clock, new SystemRandomSource());
        if (web)
        {
            // As a board boots: flash (here in memory) with factory defaults, then the lab's static WAN, saved.
            int sectors = RouterFirmware.FlashSectorsNeeded(profile.Capacities, profile.FlashSectorSize, profile.ConfigSectors);
            Firmware.Boot(new MemoryFlash(profile.FlashSectorSize, sectors), profile.ConfigSectors, factoryReset: true);
            RouterConfig staticWan = Firmware.Config.Clone();
            staticWan.WanMode = RouterConfig.WanStatic;
            staticWan.WanAddress = Router.Wire.Ipv4Address.Make(203, 0, 113, 2);
            staticWan.WanPrefixLength = 24;
            staticWan.WanGateway = Router.Wire.Ipv4Address.Make(203, 0, 113, 1);
            ValidationResult applied = Firmware.Apply(staticWan);
            if (!applied.IsValid) throw new ArgumentException("lab WAN rejected: " + applied);
            Firmware.SaveConfig();
            Web = new WebUi(Firmware, Firmware.Store, new SystemRandomSource(), new EmbeddedAssetSource(typeof(WebUi).Assembly, WebAssetBundle.ResourcePrefix), profile.Name, WebUi.LimitsFor(profile.Capacities));
            Web.Context.PasswordIterations = 2000; // keep tests quick; the format carries the count
            Firmware.LoopService = Web;
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

    /// <summary>
    /// Starts the router with its defaults, edited by <paramref name="configure"/> (forwards, triggers, FTP helper), with
    /// a board's <paramref name="capacities"/> (default: the desktop profile).
    /// </summary>
    public static LabRouter Start(LabFixture lab, Action<RouterConfig> configure = null, Capacities capacities = null) => new(lab, NicKind.Direct, configure, capacities, web: false);

    /// <summary>As <see cref="Start(LabFixture, Action{RouterConfig}, Capacities)"/>, with the ports behind <paramref name="nic"/>.</summary>
    public static LabRouter Start(LabFixture lab, NicKind nic, Action<RouterConfig> configure = null) => new(lab, nic, configure, null, web: false);

    public NicKind Nic { get; }

    /// <summary>The W5500s (LAN, WAN) with <see cref="NicKind.W5500"/>, else empty.</summary>
    public W5500Nic[] Nics => _nics;

    /// <summary>Starts the router with its web UI on port 80 of its LAN address, served by its own TCP from the loop.</summary>
    public static LabRouter StartWithWeb(LabFixture lab) => new(lab, NicKind.Direct, null, null, web: true);

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
                foreach (var nic in _nics) nic.Chip.Pump(); // frames waiting on the TAPs reach the chips (INTn falls)
                uint wait = Firmware.RunOnce(); // the loop's next deadline, as a board waits on INTn
                if (wait > 0) TapInterface.WaitReadable(_lan, _wan, (int)wait);
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
