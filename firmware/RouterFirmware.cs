using Router.Dhcp;
using Router.Hal;
using Router.Helpers.Ftp;

namespace Router
{
    /// <summary>
    /// The composition root shared by every board and the emulator: builds the data plane and the services around it
    /// from a board's capacities and its HAL devices, and runs the main loop.
    /// </summary>
    public sealed class RouterFirmware
    {
        /// <summary>Frames taken from each port per loop iteration before housekeeping runs.</summary>
        public const int PollBudget = 32;

        public readonly Capacities Capacities;
        public readonly RouterSettings Settings;
        public readonly DataPlane DataPlane;
        public readonly IClock Clock;
        public readonly long BootMilliseconds;
        public readonly DhcpServer DhcpServer;
        public readonly DhcpClient DhcpClient;
        /// <summary>The services behind the data plane's local hook; further services add themselves here.</summary>
        public readonly LocalServices LocalServices = new LocalServices(4);
        /// <summary>The FTP helper (ALG); its settings change at run time through <see cref="FtpHelper.Settings"/>.</summary>
        public readonly FtpHelper Ftp;

        public RouterFirmware(Capacities capacities, RouterSettings settings, INetworkInterface lan, INetworkInterface wan, IClock clock, IRandomSource random)
        {
            Capacities = capacities;
            Settings = settings;
            Clock = clock;
            BootMilliseconds = clock.NowMilliseconds;
            DataPlane = new DataPlane(capacities, settings, lan, wan, clock, random);
            DhcpServer = new DhcpServer(DataPlane.Lan, DataPlane.Sender, settings, new DhcpServerSettings(capacities.DhcpReservations), capacities.DhcpLeases);
            DhcpClient = new DhcpClient(DataPlane, random);
            LocalServices.Add(DhcpServer);
            LocalServices.Add(DhcpClient);
            DataPlane.SetLocalService(LocalServices);
            Ftp = new FtpHelper(capacities, DataPlane.Nat, settings, new FtpHelperSettings(), random);
            Ftp.Register();
        }

        /// <summary>One iteration of the main loop. Returns the number of frames processed.</summary>
        public int RunOnce()
        {
            int processed = DataPlane.Poll(PollBudget);
            long now = Clock.NowMilliseconds;
            DhcpClient.Tick(now);
            DhcpServer.Tick(now);
            return processed;
        }

        /// <summary>Keeps DHCP leases in <paramref name="flash"/> from <paramref name="firstSector"/> (<see cref="FlashLeaseStore.SectorsNeeded"/> sectors, apart from the configuration).</summary>
        public void StoreLeases(IFlash flash, int firstSector)
        {
            DhcpServer.UseStore(new FlashLeaseStore(flash, firstSector, Capacities.DhcpLeases), Clock.NowMilliseconds);
        }
    }
}
