using nanoFramework.Hardware.Esp32;
using Router.Boards;
using Router.Device;

namespace Router.Esp32W5500
{
    /// <summary>ESP32 DevKitC-class + two W5500s: routes the SPI pins, then boots the router (docs/boards.md has the wiring).</summary>
    public static class Program
    {
        public static void Main()
        {
            BoardProfile profile = BoardProfiles.Esp32W5500();
            W5500Wiring pins = profile.Wiring;
            // The ESP32 GPIO matrix routes any pin to a bus: give bus 1 (SPI1_*) its clock and data lines.
            Configuration.SetPinFunction(pins.Sclk, DeviceFunction.SPI1_CLOCK);
            Configuration.SetPinFunction(pins.Mosi, DeviceFunction.SPI1_MOSI);
            Configuration.SetPinFunction(pins.Miso, DeviceFunction.SPI1_MISO);
            // I: is the internal flash partition nanoFramework's ESP32 images mount.
            NanoBoard.Create(profile, "I:\\router.flash").Run();
        }
    }
}
