using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using Router.Boards;
using Router.Config;
using Router.Emulator.Simulation;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Web;
using Router.Wire;

namespace Router.Emulator;

/// <summary>
/// The desktop board: the router between an in-memory LAN switch with simulated hosts and an in-memory WAN wire to a
/// simulated ISP that answers for the whole internet, optionally recorded to pcap and disturbed by a fault injector.
/// </summary>
public sealed class EmulatorHost : IDisposable
{
    public static readonly uint LanHostBase = Ipv4Address.Make(192, 168, 1, 100);
    public static readonly uint InternetServer = Ipv4Address.Make(198, 51, 100, 7);

    private readonly List<IDisposable> _disposables = new();
    private readonly List<SimulatedHost> _lanHosts = new();
    private readonly TapInterface _lanTap, _wanTap;
    private int _tick;
    private IDisposable _ownedFlash;
    private readonly HttpBridge _bridge;

    /// <summary>
    /// Builds the board. <paramref name="flash"/> is the flash to boot from (else opened from the options); the host
    /// owns it from then on and closes it on <see cref="Dispose"/>, unless <see cref="Reboot"/> hands it on.
    /// Mistakes on the command line end in <see cref="EmulatorUsageException"/>.
    /// </summary>
    public EmulatorHost(EmulatorOptions options, IClock clock = null, IFlash flash = null)
    {
        Options = options;
        Profile = BoardProfiles.ByName(options.Profile) ?? throw new EmulatorUsageException($"unknown board profile '{options.Profile}': use --profile with one of {string.Join(", ", BoardProfiles.Names)}");
        Clock = clock ?? new SystemClock();
        var settings = new RouterSettings();

        int frame = Profile.Capacities.FrameSize;
        VirtualSwitch lanSwitch = null;
        VirtualWire wanWire = null;
        INetworkInterface lan, wan;
        if (options.UsesTaps)
        {
            if (options.LanTap == null || options.WanTap == null) throw new EmulatorUsageException("--lan-tap and --wan-tap go together: give both");
            // Real hosts on the TAPs' kernel side stand in for the simulated ones.
            _lanTap = Track(TapInterface.OpenSpec(options.LanTap, Mac(0x10)));
            _wanTap = Track(TapInterface.OpenSpec(options.WanTap, Mac(0x20)));
            lan = _lanTap;
            wan = _wanTap;
        }
        else
        {
            lanSwitch = new VirtualSwitch(frame, queueDepth: 256);
            wanWire = VirtualWire.Create(frame, 256, Mac(0x20), Mac(0x01));
            lan = lanSwitch.AddPort(Mac(0x10));
            wan = wanWire.A;
        }
        if (options.Nic == NicKind.W5500)
        {
            Nics = new[] { new W5500Nic(lan, Mac(0x10), Clock), new W5500Nic(wan, Mac(0x20), Clock) };
            lan = Nics[0].Driver;
            wan = Nics[1].Driver;
        }
        if (options.PcapPath != null)
        {
            lan = Track(new PcapWriter(lan, SidePath(options.PcapPath, "lan"), Clock));
            wan = Track(new PcapWriter(wan, SidePath(options.PcapPath, "wan"), Clock));
        }
        if (options.FaultDrop > 0 || options.FaultCorrupt > 0)
        {
            lan = new FaultInjector(lan, Faults(options, options.Seed));
            wan = new FaultInjector(wan, Faults(options, options.Seed + 1));
        }

        Firmware = new RouterFirmware(Profile.Capacities, settings, lan, wan, Clock, new SeededRandom((ulong)options.Seed));
        int sectors = RouterFirmware.FlashSectorsNeeded(Profile.Capacities, Profile.FlashSectorSize, Profile.ConfigSectors);
        Flash = flash ?? (options.FlashPath != null ? OpenFlashFile(options.FlashPath, Profile, sectors) : new MemoryFlash(Profile.FlashSectorSize, sectors));
        _ownedFlash = Flash as IDisposable;
        BootResult = Firmware.Boot(Flash, Profile.ConfigSectors, options.FactoryReset);
        if (options.WanAddress != null) ApplyStaticWan(options.WanAddress, options.WanGateway);
        StartWeb();
        if (options.UsesTaps) return;
        if (options.HttpUrl != null) _bridge = StartBridge(options, lanSwitch.AddPort(Mac(0x2F)));
        var isp = new IspDhcpServer();
        Internet = new SimulatedHost("internet", wanWire.B, isp.Gateway, isp.PrefixLength, 0) { ActAsInternet = true, Dhcp = isp };
        for (int i = 0; i < options.LanHosts; i++)
        {
            _lanHosts.Add(new SimulatedHost($"lan-host-{i + 1}", lanSwitch.AddPort(Mac(0x30 + i)), LanHostBase + (uint)i, settings.LanPrefixLength, settings.LanAddress));
        }
        // With the factory WAN setting (DHCP) the router asks the simulated ISP for its address before traffic starts.
        for (int i = 0; i < 10 && Firmware.DataPlane.Wan.Address == 0; i++) Step();
        if (options.LanHostsUseDhcp)
        {
            foreach (var host in _lanHosts) host.StartDhcp();
            Step();
        }
    }

    public EmulatorOptions Options { get; }
    public BoardProfile Profile { get; }
    public IClock Clock { get; }
    public RouterFirmware Firmware { get; }
    public IFlash Flash { get; }
    public Router.Config.LoadResult BootResult { get; }
    /// <summary>The simulated internet; null when the WAN port is a TAP.</summary>
    public SimulatedHost Internet { get; }
    /// <summary>The firmware's web UI, served on port 80 of the router's LAN address by its own TCP.</summary>
    public WebUi Web { get; private set; }
    /// <summary>The desktop's way to the web UI in memory (<c>--http</c>); null on TAPs or without an HTTP address.</summary>
    public HttpBridge Bridge => _bridge;
    public bool RebootRequested => Web.Context.RebootRequested;
    public IReadOnlyList<SimulatedHost> LanHosts => _lanHosts;
    /// <summary>The LAN and WAN W5500s with <c>--nic w5500</c>, else empty.</summary>
    public W5500Nic[] Nics { get; } = Array.Empty<W5500Nic>();

    /// <summary>
    /// Restarts the board as a power cycle would: everything is closed and built again over the same flash (kept
    /// open and handed to the new host), with a fresh clock, on the web address this host actually bound.
    /// </summary>
    public EmulatorHost Reboot()
    {
        IFlash flash = Flash;
        _ownedFlash = null;
        string url = _bridge != null ? new UriBuilder(Options.HttpUrl) { Port = _bridge.Port }.Uri.ToString() : Options.HttpUrl;
        Dispose();
        return new EmulatorHost(Options with { FactoryReset = false, Rebooted = true, HttpUrl = url }, flash: flash);
    }

    /// <summary>The flash file for this profile, or a one-line explanation when the file belongs to another board.</summary>
    private static FileFlash OpenFlashFile(string path, BoardProfile profile, int sectors)
    {
        long size = (long)profile.FlashSectorSize * sectors;
        long existing = File.Exists(path) ? new FileInfo(path).Length : 0;
        if (existing != 0 && existing != size)
        {
            string owner = null;
            foreach (string name in BoardProfiles.Names)
            {
                BoardProfile other = BoardProfiles.ByName(name);
                if ((long)other.FlashSectorSize * RouterFirmware.FlashSectorsNeeded(other.Capacities, other.FlashSectorSize, other.ConfigSectors) == existing) owner = name;
            }
            throw new EmulatorUsageException($"flash file {path} is {existing} bytes, {(owner != null ? "board " + owner + "'s flash" : "not a flash image of any board")}; board {profile.Name} needs {size}: " +
                $"pass --flash {DefaultFlashPath(profile.Name)} (each board keeps its own file){(owner != null ? ", or --profile " + owner : "")}");
        }
        try
        {
            return FileFlash.Open(path, profile.FlashSectorSize, sectors);
        }
        catch (IOException e)
        {
            throw new EmulatorUsageException($"cannot open flash file {path}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new EmulatorUsageException($"cannot open flash file {path}: {e.Message}");
        }
    }

    /// <summary>The flash file a board profile uses when --flash is not given: one per board, since their layouts differ.</summary>
    public static string DefaultFlashPath(string profile) => $"router-flash-{profile}.bin";

    /// <summary>What the router's last RunOnce said it may wait (ms) before its next deadline.</summary>
    private uint _wait;

    /// <summary>Runs the router and the simulated hosts until nothing moves (the router has no work pending). Returns how much moved.</summary>
    public int Step()
    {
        int total = 0;
        for (int round = 0; round < 64; round++)
        {
            foreach (var nic in Nics) nic.Chip.Pump(); // a TAP does not announce frames: the chips take them in here
            _wait = Firmware.RunOnce();
            int moved = (_wait == 0 ? 1 : 0) + (Internet?.Step() ?? 0) + (_bridge?.Step(Clock.NowMilliseconds) ?? 0);
            foreach (var host in _lanHosts) moved += host.Step();
            total += moved;
            if (moved == 0) break;
        }
        return total;
    }

    /// <summary>
    /// Called when <see cref="Step"/> found nothing to do: on TAPs, waits in poll(2) until a frame arrives or the
    /// router's next deadline (what RunOnce returned), like a board on its NIC interrupt; in memory, sleeps 1 ms, since
    /// the simulated hosts and the HTTP bridge have no signal and are polled.
    /// </summary>
    public void Idle()
    {
        if (_lanTap != null) TapInterface.WaitReadable(_lanTap, _wanTap, (int)Math.Max(1, _wait));
        else Thread.Sleep(1);
    }

    /// <summary>Each LAN host pings the internet server and sends it a UDP echo request, so counters move.</summary>
    public void GenerateTraffic()
    {
        _tick++;
        for (int i = 0; i < _lanHosts.Count; i++)
        {
            _lanHosts[i].Ping(InternetServer, 0x100 + i, _tick);
            _lanHosts[i].SendUdp(InternetServer, 40000 + i, SimulatedHost.EchoPort, BitConverter.GetBytes(_tick));
        }
    }

    public string StatusLine()
    {
        var c = Firmware.DataPlane.Counters;
        var ct = Firmware.DataPlane.Connections;
        long pings = 0, replies = 0, echoes = 0;
        foreach (var h in _lanHosts)
        {
            pings += h.PingsSent;
            replies += h.PingRepliesReceived;
            echoes += h.UdpEchoesReceived;
        }
        string line = $"t={Clock.NowMilliseconds / 1000.0,6:F1}s conntrack {ct.Count}/{ct.Capacity} rx {c[Counters.FramesReceived]} fwd {c[Counters.Forwarded]} " +
                      $"consumed {c[Counters.Consumed]} dropped {c.DroppedTotal}";
        if (Nics.Length == 2)
        {
            line += $" | spi transactions lan {Nics[0].Chip.SpiTransactions} wan {Nics[1].Chip.SpiTransactions}";
        }
        return _lanTap != null ? line : line + $" | lan hosts: pings {pings} replies {replies} udp echoes {echoes}";
    }

    private static FaultInjectorOptions Faults(EmulatorOptions options, int seed) => new()
    {
        Seed = seed,
        DropProbability = options.FaultDrop,
        CorruptProbability = options.FaultCorrupt,
        Direction = FaultDirection.Both,
    };

    /// <summary>Puts a static WAN address in force for this run (a lab's WAN has no DHCP server); not saved to flash.</summary>
    private void ApplyStaticWan(string addressAndPrefix, string gateway)
    {
        string[] parts = addressAndPrefix.Split('/');
        if (parts.Length != 2 || !Ipv4Address.TryParse(parts[0], out uint address) || !int.TryParse(parts[1], out int prefix))
            throw new EmulatorUsageException($"--wan-address '{addressAndPrefix}' is not ADDRESS/PREFIX: write it like 203.0.113.2/24");
        uint gatewayAddress = 0;
        if (gateway != null && !Ipv4Address.TryParse(gateway, out gatewayAddress)) throw new EmulatorUsageException($"--wan-gateway '{gateway}' is not an IPv4 address: write it like 203.0.113.1");
        var config = Firmware.Config.Clone();
        config.WanMode = RouterConfig.WanStatic;
        config.WanAddress = address;
        config.WanPrefixLength = prefix;
        config.WanGateway = gatewayAddress;
        var result = Firmware.Apply(config);
        if (!result.IsValid) throw new EmulatorUsageException("--wan-address/--wan-gateway rejected: " + result);
    }

    public static byte[] Mac(int n) => new byte[] { 0x02, 0x52, 0x54, 0x00, 0x00, (byte)n };

    private static string SidePath(string path, string side)
    {
        string directory = Path.GetDirectoryName(path);
        string name = Path.GetFileNameWithoutExtension(path) + "-" + side + Path.GetExtension(path);
        return string.IsNullOrEmpty(directory) ? name : Path.Combine(directory, name);
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    /// <summary>The web UI, run by the firmware's loop like on a board.</summary>
    private void StartWeb()
    {
        Web = new WebUi(Firmware, Firmware.Store, new SystemRandomSource(), new EmbeddedAssetSource(typeof(WebUi).Assembly, WebAssetBundle.ResourcePrefix), Profile.Name, WebUi.LimitsFor(Profile.Capacities));
        Web.Events.Add(Clock.NowMilliseconds, "boot: " + BootResult.Reason);
        Firmware.LoopService = Web;
    }

    /// <summary>
    /// Relays desktop connections to <paramref name="options"/>' HTTP address into the LAN as a simulated host's TCP
    /// connections to the router's port 80. The address it listens on becomes a name the web UI accepts in Host.
    /// </summary>
    private HttpBridge StartBridge(EmulatorOptions options, INetworkInterface port)
    {
        string usage = $"--http wants http://ADDRESS:PORT with an IPv4 address, e.g. http://127.0.0.1:8080, not '{options.HttpUrl}'";
        if (!Uri.TryCreate(options.HttpUrl, UriKind.Absolute, out Uri uri) || uri.Scheme != "http" || uri.AbsolutePath != "/") throw new EmulatorUsageException(usage);
        // "localhost" is what people type; the bridge binds an address, so it stands for the loopback address.
        string address = uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns ? "127.0.0.1" : uri.Host;
        if (!System.Net.IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork) throw new EmulatorUsageException(usage);
        HttpBridge bridge;
        try
        {
            bridge = new HttpBridge(port, Firmware.Settings, address, uri.Port, rebind: options.Rebooted);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            Dispose();
            throw new EmulatorUsageException($"{address}:{uri.Port} is already in use (another emulator still running?): stop it, or pick a free port with --http http://{address}:{uri.Port + 1}");
        }
        catch (SocketException e)
        {
            Dispose();
            throw new EmulatorUsageException($"cannot serve the web UI at {address}:{uri.Port}: {e.Message}; pick another address with --http");
        }
        Web.Hosts.Allow((address + ":" + bridge.Port).ToLowerInvariant());
        if (address == "127.0.0.1") Web.Hosts.Allow("localhost:" + bridge.Port);
        return bridge;
    }

    public void Dispose()
    {
        _bridge?.Dispose();
        foreach (var d in _disposables) d.Dispose();
        _disposables.Clear();
        _ownedFlash?.Dispose();
        _ownedFlash = null;
    }
}
