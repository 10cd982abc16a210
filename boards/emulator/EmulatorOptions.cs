namespace Router.Emulator;

/// <summary>What the emulator was asked to do on its command line.</summary>
public sealed record EmulatorOptions
{
    public string Profile { get; init; } = "desktop";
    public string PcapPath { get; init; }
    /// <summary>Run time in seconds; 0 runs until Ctrl+C.</summary>
    public double Seconds { get; init; }
    public int LanHosts { get; init; } = 2;
    /// <summary>The simulated LAN hosts ask the router's DHCP server for their address (with a host name) at start, so they show as devices with leases.</summary>
    public bool LanHostsUseDhcp { get; init; }
    public bool Quiet { get; init; }
    public double FaultDrop { get; init; }
    public double FaultCorrupt { get; init; }
    public int Seed { get; init; } = 1;
    /// <summary>TAP device for the LAN port ("NAME" or "NETNS/NAME"); with <see cref="WanTap"/> replaces the in-memory network.</summary>
    public string LanTap { get; init; }
    public string WanTap { get; init; }
    public bool UsesTaps => LanTap != null || WanTap != null;
    /// <summary>File holding the emulated board's flash (configuration and DHCP leases); null keeps it in memory.</summary>
    public string FlashPath { get; init; }
    public bool FactoryReset { get; init; }
    /// <summary>Web UI address (LAN side); null runs without it.</summary>
    public string HttpUrl { get; init; }
    /// <summary>Set on an in-process reboot: the web UI may bind over the previous run's lingering connections.</summary>
    public bool Rebooted { get; init; }
    /// <summary>Static WAN "ADDRESS/PREFIX" put in force for this run (not saved); null keeps the stored WAN settings.</summary>
    public string WanAddress { get; init; }
    public string WanGateway { get; init; }
    /// <summary>What stands behind each router port: the medium directly, or a W5500 chip model driven over SPI.</summary>
    public NicKind Nic { get; init; }
}
