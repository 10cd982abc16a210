using System;
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Threading;
using Router;
using Router.Emulator;

var profile = new Option<string>("--profile") { Description = "Board profile whose capacities to run with: " + string.Join(", ", Router.Boards.BoardProfiles.Names), DefaultValueFactory = _ => "desktop" };
var pcap = new Option<string>("--pcap") { Description = "Record the router's ports to FILE-lan.pcap and FILE-wan.pcap (Wireshark)" };
var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (default: run until Ctrl+C)" };
var lanHosts = new Option<int>("--lan-hosts") { Description = "Simulated LAN hosts generating traffic", DefaultValueFactory = _ => 2 };
var quiet = new Option<bool>("--quiet") { Description = "Print only the final counters" };
var faultDrop = new Option<double>("--fault-drop") { Description = "Probability of dropping a frame at the router's ports" };
var faultCorrupt = new Option<double>("--fault-corrupt") { Description = "Probability of corrupting a frame at the router's ports" };
var flash = new Option<string>("--flash") { Description = "File holding the board's flash: configuration and DHCP leases survive restarts (default: router-flash-PROFILE.bin)" };
var factoryReset = new Option<bool>("--factory-reset") { Description = "Boot with factory defaults and write them to flash (a button held at boot on a board)" };
var http = new Option<string>("--http") { Description = "Serve the web UI at this LAN-side URL", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
var seed = new Option<int>("--seed") { Description = "Seed for the fault injector and the router's random source", DefaultValueFactory = _ => 1 };
var lanTap = new Option<string>("--lan-tap") { Description = "Route between real TAP devices instead of the in-memory network: the LAN TAP (NAME or NETNS/NAME)" };
var wanTap = new Option<string>("--wan-tap") { Description = "The WAN TAP (NAME or NETNS/NAME); goes with --lan-tap" };
var wanAddress = new Option<string>("--wan-address") { Description = "Static WAN address for this run, ADDRESS/PREFIX (e.g. 203.0.113.2/24), instead of the stored WAN settings" };
var nic = new Option<string>("--nic") { Description = "What drives each port: direct (frames straight to the medium) or w5500 (a W5500 chip model over SPI, through the board's driver)", DefaultValueFactory = _ => "direct" };
var wanGateway = new Option<string>("--wan-gateway") { Description = "WAN gateway with --wan-address (e.g. 203.0.113.1)" };

var root = new RootCommand("Home-router data plane on the desktop emulator") { profile, pcap, seconds, lanHosts, quiet, faultDrop, faultCorrupt, seed, flash, factoryReset, lanTap, wanTap, wanAddress, wanGateway, http, nic };
root.SetAction(parsed =>
{
    var options = new EmulatorOptions
    {
        Profile = parsed.GetValue(profile),
        PcapPath = parsed.GetValue(pcap),
        Seconds = parsed.GetValue(seconds),
        LanHosts = parsed.GetValue(lanHosts),
        LanHostsUseDhcp = true,
        Quiet = parsed.GetValue(quiet),
        FaultDrop = parsed.GetValue(faultDrop),
        FaultCorrupt = parsed.GetValue(faultCorrupt),
        Seed = parsed.GetValue(seed),
        FlashPath = parsed.GetValue(flash) ?? EmulatorHost.DefaultFlashPath(parsed.GetValue(profile)),
        FactoryReset = parsed.GetValue(factoryReset),
        LanTap = parsed.GetValue(lanTap),
        WanTap = parsed.GetValue(wanTap),
        WanAddress = parsed.GetValue(wanAddress),
        WanGateway = parsed.GetValue(wanGateway),
        HttpUrl = parsed.GetValue(http),
        Nic = W5500Nic.Parse(parsed.GetValue(nic)),
    };
    EmulatorRun run;
    try
    {
        run = new EmulatorRun(options, Console.WriteLine);
    }
    catch (EmulatorUsageException e)
    {
        Console.Error.WriteLine("error: " + e.Message);
        return 2;
    }
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    // SIGTERM (kill, a script's cleanup) ends the run like Ctrl+C, final counters included.
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
    if (options.Seconds > 0) stop.CancelAfter(TimeSpan.FromSeconds(options.Seconds));

    var host = run.Host;
    Console.WriteLine($"Router emulator: board {host.Profile.Name} ({host.Profile.Description}), conntrack capacity {host.Profile.Capacities.Connections}");
    string peers = options.UsesTaps ? $"LAN TAP {options.LanTap}, WAN TAP {options.WanTap}" : $"{options.LanHosts} simulated LAN hosts talk to {Router.Wire.Ipv4Address.Format(EmulatorHost.InternetServer)}";
    Console.WriteLine($"LAN {Router.Wire.Ipv4Address.Format(host.Firmware.Settings.LanAddress)}/{host.Firmware.Settings.LanPrefixLength}, WAN {Router.Wire.Ipv4Address.Format(host.Firmware.Settings.WanAddress)}/{host.Firmware.Settings.WanPrefixLength}; {peers}");
    if (options.Nic == NicKind.W5500) Console.WriteLine("Ports: W5500 chip models over SPI (MACRAW, 16 KB RX/TX), interrupt-driven");
    Console.WriteLine($"Config: {host.BootResult.Reason} (flash {options.FlashPath}); web UI at {options.HttpUrl}");
    try
    {
        while (!stop.IsCancellationRequested) run.RunOnce();
    }
    catch (EmulatorUsageException e)
    {
        Console.Error.WriteLine("error: " + e.Message);
        return 2;
    }
    host = run.Host;
    Console.WriteLine(host.StatusLine());
    host.Dispose();
    var c = host.Firmware.DataPlane.Counters;
    for (int i = 0; i < Counters.Count; i++)
    {
        if (c[i] != 0) Console.WriteLine($"  {Counters.Name(i),-28} {c[i]}");
    }
    return 0;
});
return root.Parse(args).Invoke();
