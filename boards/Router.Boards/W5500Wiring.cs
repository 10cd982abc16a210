namespace Router.Boards
{
    /// <summary>
    /// How a board wires two W5500s (LAN = #1, WAN = #2) to its MCU: one SPI bus shared by both, a chip select, an
    /// interrupt line (INTn, active low) and a reset line (RSTn, active low) per chip. Pins are the numbers nanoFramework's
    /// GpioController and SpiConnectionSettings take (ESP32: the GPIO number; STM32: port index × 16 + pin, PA0 = 0,
    /// PB0 = 16, …). docs/boards.md has the wiring tables.
    /// </summary>
    public sealed class W5500Wiring
    {
        /// <summary>nanoFramework SPI bus id (ESP32: 1 = the bus whose pins <c>SPI1_*</c> routes; STM32: 2 = SPI2).</summary>
        public readonly int SpiBus;
        /// <summary>The bus's SCLK, MOSI and MISO pins (ESP32 routes them with SetPinFunction; STM32 has them fixed by the image).</summary>
        public readonly int Sclk, Mosi, Miso;
        /// <summary>SPI clock in Hz (the W5500 takes up to 80 MHz in theory; 20 MHz is reliable on jumper wires).</summary>
        public readonly int ClockHz;
        public readonly int LanChipSelect, LanInterrupt, LanReset;
        public readonly int WanChipSelect, WanInterrupt, WanReset;
        /// <summary>Human names of the pins above, for the boot log and docs (e.g. "GPIO18", "PA12 (D13)").</summary>
        public readonly string[] PinNames;

        public W5500Wiring(int spiBus, int sclk, int mosi, int miso, int clockHz,
            int lanChipSelect, int lanInterrupt, int lanReset, int wanChipSelect, int wanInterrupt, int wanReset, string[] pinNames)
        {
            SpiBus = spiBus;
            Sclk = sclk;
            Mosi = mosi;
            Miso = miso;
            ClockHz = clockHz;
            LanChipSelect = lanChipSelect;
            LanInterrupt = lanInterrupt;
            LanReset = lanReset;
            WanChipSelect = wanChipSelect;
            WanInterrupt = wanInterrupt;
            WanReset = wanReset;
            PinNames = pinNames;
        }
    }
}
