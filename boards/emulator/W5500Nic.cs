using System;
using Router.Drivers.W5500;
using Router.Hal;
using Router.Hal.Desktop.Chips;

namespace Router.Emulator;

/// <summary>Which device stands behind each router port.</summary>
public enum NicKind
{
    /// <summary>Frames go straight between the router and the medium (virtual wire or TAP).</summary>
    Direct,
    /// <summary>A W5500 chip model on the medium, driven over SPI by the W5500 driver, as on a board.</summary>
    W5500,
}

/// <summary>
/// One board port as built on real hardware: a W5500 (here the chip model, with its INTn and RSTn lines) attached to a
/// medium, and the W5500 driver the router uses as its <see cref="INetworkInterface"/>.
/// </summary>
public sealed class W5500Nic
{
    public W5500Nic(INetworkInterface medium, byte[] macAddress, IClock clock)
    {
        Chip = new W5500Model(medium);
        Driver = new W5500Driver(Chip, Chip.ResetPin, Chip.InterruptPin, clock, macAddress);
        W5500BringUp result = Driver.Start();
        if (result != W5500BringUp.Ok) throw new InvalidOperationException(W5500Driver.Describe(result, Driver.LastVersion));
    }

    public W5500Model Chip { get; }
    public W5500Driver Driver { get; }

    public static NicKind Parse(string name) => name switch
    {
        null or "" or "direct" => NicKind.Direct,
        "w5500" => NicKind.W5500,
        _ => throw new EmulatorUsageException($"--nic '{name}': use --nic direct or --nic w5500"),
    };
}
