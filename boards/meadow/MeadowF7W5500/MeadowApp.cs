using System.IO;
using System.Threading.Tasks;
using Meadow;
using Meadow.Devices;
using Router.Boards;
using Router.Device;
using Router.Device.Hal;
using Router.Drivers.W5500;
using Router.Hal;
using Router.MeadowF7W5500.Hal;

namespace Router.MeadowF7W5500
{
    /// <summary>
    /// Meadow F7v2 Feather + two W5500s: Meadow OS constructs this app, calls <see cref="Initialize"/> (open the devices,
    /// boot the router) and then <see cref="Run"/> (the packet loop). The wiring is <see cref="MeadowWiring"/>.
    /// </summary>
    public sealed class MeadowApp : App<F7FeatherV2>
    {
        private RouterBoard _board;

        public override Task Initialize()
        {
            F7FeatherV2 device = Device;
            BoardProfile profile = BoardProfiles.MeadowF7v2();
            var wiring = new MeadowWiring(device);
            IClock clock = new MeadowClock();
            byte[] factory = MeadowMac.FromUniqueId(device.Information.UniqueID);
            // Both chip selects are created (driven high) before either chip is brought up (RouterBoard's rule).
            W5500Driver lan = new W5500Driver(wiring.LanSpi, wiring.LanReset, wiring.LanInterrupt, clock, RouterBoard.PortMac(factory, 1));
            W5500Driver wan = new W5500Driver(wiring.WanSpi, wiring.WanReset, wiring.WanInterrupt, clock, RouterBoard.PortMac(factory, 2));
            // The app's data directory on Meadow's internal flash file system (/meadow0/Data), kept across app deployments.
            string flashPath = Path.Combine(MeadowOS.FileSystem.DataDirectory, "router.flash");
            Directory.CreateDirectory(MeadowOS.FileSystem.DataDirectory);
            var flash = new FileNorFlash(flashPath, profile.FlashSectorSize, RouterBoard.FlashSectors(profile));
            _board = new RouterBoard(profile, lan, wan, flash, clock, new MeadowRandomSource(), new MeadowAssetSource(), new MeadowReboot(device.PlatformOS));
            return Task.CompletedTask;
        }

        /// <summary>The packet loop: never returns (Meadow OS runs it on the app's main thread).</summary>
        public override Task Run()
        {
            _board.Run();
            return Task.CompletedTask;
        }
    }
}
