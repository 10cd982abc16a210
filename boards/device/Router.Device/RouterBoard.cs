using System;
using System.Diagnostics;
using System.Threading;
using Router.Boards;
using Router.Config;
using Router.Drivers.W5500;
using Router.Hal;
using Router.Web;

namespace Router.Device
{
    /// <summary>
    /// What every board entry point does once its devices are open (nanoFramework boards: <see cref="NanoBoard"/>; Meadow:
    /// boards/meadow): brings up the two W5500s (LAN = #1, WAN = #2), boots <see cref="RouterFirmware"/> from the flash,
    /// starts the web UI, and runs the loop, sleeping on the W5500s' interrupt lines until a frame arrives or the loop's next deadline
    /// (what <see cref="RouterFirmware.RunOnce"/> returns) when there is nothing to do.
    /// Platform-neutral: it uses only the HAL contracts, so nanoFramework and Meadow compile this same file.
    /// </summary>
    public sealed class RouterBoard : IFrameReadyListener
    {
        private readonly AutoResetEvent _wake = new AutoResetEvent(false);
        private readonly IDeviceReboot _reboot;

        public readonly BoardProfile Profile;
        public readonly W5500Driver Lan;
        public readonly W5500Driver Wan;
        public readonly IFlash Flash;
        public readonly RouterFirmware Firmware;
        public readonly LoadResult BootResult;
        /// <summary>The web UI on port 80 of the LAN address, over the router's own TCP, run by the loop.</summary>
        public readonly WebUi Web;

        /// <summary>
        /// Brings up both chips and boots the router. Throws with the driver's message when a W5500 does not come up
        /// (wiring, power, SPI mode). Both drivers must be constructed (their chip selects driven high) before this runs,
        /// so the other chip's floating CS cannot put it on MISO during the first bring-up.
        /// </summary>
        public RouterBoard(BoardProfile profile, W5500Driver lan, W5500Driver wan, IFlash flash, IClock clock, IRandomSource random, IAssetSource webFiles, IDeviceReboot reboot)
        {
            Profile = profile;
            Lan = lan;
            Wan = wan;
            Flash = flash;
            _reboot = reboot;
            Start(Lan, "LAN (W5500 #1)");
            Start(Wan, "WAN (W5500 #2)");

            Firmware = new RouterFirmware(profile.Capacities, new RouterSettings(), Lan, Wan, clock, random);
            BootResult = Firmware.Boot(Flash, profile.ConfigSectors, false);
            Debug.WriteLine("router: " + profile.Description + ", config " + BootResult.Reason);
            Web = new WebUi(Firmware, Firmware.Store, random, webFiles, profile.Name, WebUi.LimitsFor(profile.Capacities));
            Firmware.LoopService = Web;
        }

        /// <summary>The flash image's size in sectors for <paramref name="profile"/> (config slots and the lease store).</summary>
        public static int FlashSectors(BoardProfile profile)
        {
            return RouterFirmware.FlashSectorsNeeded(profile.Capacities, profile.FlashSectorSize, profile.ConfigSectors);
        }

        /// <summary>The packet loop; never returns.</summary>
        public void Run()
        {
            while (true)
            {
                uint wait = Firmware.RunOnce();
                if (wait > 0 && !Lan.FrameReady && !Wan.FrameReady) _wake.WaitOne((int)wait, false);
                if (Web.Context.RebootRequested) _reboot.Reboot();
            }
        }

        /// <summary>From a W5500's INTn edge (GPIO event thread): wake the loop, nothing more.</summary>
        public void OnFrameReady(INetworkInterface port)
        {
            _wake.Set();
        }


        private void Start(W5500Driver driver, string role)
        {
            W5500BringUp result = driver.Start();
            if (result != W5500BringUp.Ok) throw new InvalidOperationException(role + ": " + W5500Driver.Describe(result, driver.LastVersion));
            driver.SetFrameReadyListener(this);
        }

        /// <summary>
        /// A stable MAC per port from the board's own factory address (null or not 6 bytes: a fixed locally administered
        /// base), made locally administered and unicast, its last byte offset by the port number.
        /// </summary>
        public static byte[] PortMac(byte[] factory, int port)
        {
            byte[] mac = new byte[] { 0x02, 0x00, 0x00, 0x00, 0x00, 0x00 };
            if (factory != null && factory.Length == 6) Array.Copy(factory, mac, 6);
            mac[0] = (byte)((mac[0] | 0x02) & 0xFE);
            mac[5] = (byte)(mac[5] + port);
            return mac;
        }
    }
}
