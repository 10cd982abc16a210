using System;
using System.Device.Gpio;
using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Threading;
using Router.Boards;
using Router.Config;
using Router.Device.Hal;
using Router.Drivers.W5500;
using Router.Hal;
using Router.Web;

namespace Router.Device
{
    /// <summary>
    /// What every board entry point does once its SPI pins are routed: opens the two W5500s (LAN = #1, WAN = #2) from
    /// the profile's <see cref="W5500Wiring"/>, the flash image, the clock and the random source; boots
    /// <see cref="RouterFirmware"/>; and runs its loop, sleeping on the W5500s' interrupt lines until a frame arrives or
    /// the loop's next deadline (what <see cref="RouterFirmware.RunOnce"/> returns) when there is nothing to do.
    /// </summary>
    public sealed class RouterBoard : IFrameReadyListener
    {
        private readonly AutoResetEvent _wake = new AutoResetEvent(false);

        public readonly BoardProfile Profile;
        public readonly W5500Driver Lan;
        public readonly W5500Driver Wan;
        public readonly IFlash Flash;
        public readonly RouterFirmware Firmware;
        public readonly LoadResult BootResult;
        /// <summary>The web UI on port 80 of the LAN address, over the router's own TCP, run by the loop.</summary>
        public readonly WebUi Web;

        /// <summary>
        /// Wires and boots the router. <paramref name="flashPath"/> is the flash image on the board's storage drive.
        /// Throws with the driver's message when a W5500 does not come up (wiring, power, SPI mode).
        /// </summary>
        public RouterBoard(BoardProfile profile, string flashPath)
        {
            W5500Wiring pins = profile.Wiring;
            if (pins == null) throw new ArgumentException("Board profile " + profile.Name + " has no W5500 wiring.");
            Profile = profile;
            IClock clock = new NanoClock();
            IRandomSource random = new NanoRandomSource();
            GpioController gpio = new GpioController();

            // Both chip selects are driven (deasserted) before either chip is brought up, so the other chip's floating CS
            // cannot put it on MISO during the first bring-up.
            Lan = Create(pins.SpiBus, pins.LanChipSelect, pins.LanInterrupt, pins.LanReset, pins.ClockHz, gpio, clock, PortMac(1));
            Wan = Create(pins.SpiBus, pins.WanChipSelect, pins.WanInterrupt, pins.WanReset, pins.ClockHz, gpio, clock, PortMac(2));
            Start(Lan, "LAN (W5500 #1)");
            Start(Wan, "WAN (W5500 #2)");

            int sectors = RouterFirmware.FlashSectorsNeeded(profile.Capacities, profile.FlashSectorSize, profile.ConfigSectors);
            Flash = new FileNorFlash(flashPath, profile.FlashSectorSize, sectors);

            Firmware = new RouterFirmware(profile.Capacities, new RouterSettings(), Lan, Wan, clock, random);
            BootResult = Firmware.Boot(Flash, profile.ConfigSectors, false);
            Debug.WriteLine("router: " + profile.Description + ", config " + BootResult.Reason);
            Web = new WebUi(Firmware, Firmware.Store, random, WebFiles(), profile.Name, WebUi.LimitsFor(profile.Capacities));
            Firmware.LoopService = Web;
        }

        /// <summary>The packet loop; never returns.</summary>
        public void Run()
        {
            while (true)
            {
                uint wait = Firmware.RunOnce();
                if (wait > 0 && !Lan.FrameReady && !Wan.FrameReady) _wake.WaitOne((int)wait, false);
                if (Web.Context.RebootRequested) nanoFramework.Runtime.Native.Power.RebootDevice();
            }
        }

        /// <summary>From a W5500's INTn edge (GPIO event thread): wake the loop, nothing more.</summary>
        public void OnFrameReady(INetworkInterface port)
        {
            _wake.Set();
        }

        /// <summary>The web UI's compressed files, read from the application image's resources (WebAssets.resx) in slices.</summary>
        private static IAssetSource WebFiles()
        {
            Enum[] ids = new Enum[WebAssetBundle.AssetCount];
            int[] lengths = new int[WebAssetBundle.AssetCount];
            ids[WebAssetBundle.AppCssAsset] = WebAssets.BinaryResources.AppCss;
            lengths[WebAssetBundle.AppCssAsset] = WebAssetBundle.AppCssGzipLength;
            ids[WebAssetBundle.AppJsAsset] = WebAssets.BinaryResources.AppJs;
            lengths[WebAssetBundle.AppJsAsset] = WebAssetBundle.AppJsGzipLength;
            ids[WebAssetBundle.IndexHtmlAsset] = WebAssets.BinaryResources.IndexHtml;
            lengths[WebAssetBundle.IndexHtmlAsset] = WebAssetBundle.IndexHtmlGzipLength;
            return new ResourceAssetSource(WebAssets.ResourceManager, ids, lengths);
        }

        private static W5500Driver Create(int bus, int chipSelect, int interrupt, int reset, int clockHz, GpioController gpio, IClock clock, byte[] mac)
        {
            return new W5500Driver(new NanoSpiDevice(bus, chipSelect, clockHz), new NanoOutputPin(gpio, reset), new NanoInputPin(gpio, interrupt), clock, mac);
        }

        private void Start(W5500Driver driver, string role)
        {
            W5500BringUp result = driver.Start();
            if (result != W5500BringUp.Ok) throw new InvalidOperationException(role + ": " + W5500Driver.Describe(result, driver.LastVersion));
            driver.SetFrameReadyListener(this);
        }

        /// <summary>
        /// A stable MAC per port: the board's own factory address (first network interface nanoFramework reports) made
        /// locally administered, its last byte offset by the port number; a fixed locally administered base without one.
        /// </summary>
        private static byte[] PortMac(int port)
        {
            byte[] mac = new byte[] { 0x02, 0x00, 0x00, 0x00, 0x00, 0x00 };
            NetworkInterface[] nics = NetworkInterface.GetAllNetworkInterfaces();
            if (nics.Length > 0 && nics[0].PhysicalAddress != null && nics[0].PhysicalAddress.Length == 6) Array.Copy(nics[0].PhysicalAddress, mac, 6);
            mac[0] = (byte)((mac[0] | 0x02) & 0xFE); // locally administered, unicast
            mac[5] = (byte)(mac[5] + port);
            return mac;
        }
    }
}
