using System;
using Meadow.Devices;
using Meadow.Hardware;
using Meadow.Units;
using Router.MeadowF7W5500.Hal;

namespace Router.MeadowF7W5500
{
    /// <summary>
    /// The Feather pins of the two W5500s (docs/boards.md has the table): SPI3 on the Feather's SCK/COPI/CIPO header pins,
    /// per chip a chip select, an INTn line on a pin with its own EXTI line (Meadow allows one interrupt per line number:
    /// D03 = PB8, D05 = PB4) and a RSTn line.
    /// </summary>
    public sealed class MeadowWiring
    {
        /// <summary>
        /// Requested SPI clock; Meadow sets the nearest its SPI3 prescaler gives. 12 MHz is safe on jumper wires; the W5500
        /// is specified to 33.3 MHz, so with short wires try higher.
        /// </summary>
        public static readonly Frequency SpiClock = new Frequency(12, Frequency.UnitType.Megahertz);

        public readonly MeadowSpiDevice LanSpi, WanSpi;
        public readonly MeadowInputPin LanInterrupt, WanInterrupt;
        public readonly MeadowOutputPin LanReset, WanReset;

        public MeadowWiring(F7FeatherBase device)
        {
            IF7FeatherPinout pins = device.Pins;
            ISpiBus bus = device.CreateSpiBus(pins.SCK, pins.COPI, pins.CIPO, SpiClock);
            // Chip selects first, both high, before any reset is released.
            LanSpi = new MeadowSpiDevice(bus, device.CreateDigitalOutputPort(pins.D14, true, OutputType.PushPull));
            WanSpi = new MeadowSpiDevice(bus, device.CreateDigitalOutputPort(pins.D13, true, OutputType.PushPull));
            LanReset = new MeadowOutputPin(device.CreateDigitalOutputPort(pins.D10, true, OutputType.PushPull));
            WanReset = new MeadowOutputPin(device.CreateDigitalOutputPort(pins.D11, true, OutputType.PushPull));
            LanInterrupt = new MeadowInputPin(device.CreateDigitalInterruptPort(pins.D03, InterruptMode.EdgeFalling, ResistorMode.InternalPullUp, TimeSpan.Zero, TimeSpan.Zero));
            WanInterrupt = new MeadowInputPin(device.CreateDigitalInterruptPort(pins.D05, InterruptMode.EdgeFalling, ResistorMode.InternalPullUp, TimeSpan.Zero, TimeSpan.Zero));
        }
    }
}
