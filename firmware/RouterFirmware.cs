using Router.Config;
using Router.Dhcp;
using Router.Hal;
using Router.Helpers.Ftp;
using Router.Nat;
using Router.Rules;
using Router.Tcp;

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
        /// <summary>The WAN DHCP client's port: no forward or trigger may take it.</summary>
        public const int DhcpClientPort = 68;

        public readonly Capacities Capacities;
        public readonly RouterSettings Settings;
        public readonly DataPlane DataPlane;
        public readonly IClock Clock;
        public readonly long BootMilliseconds;
        public readonly DhcpServer DhcpServer;
        public readonly DhcpClient DhcpClient;
        /// <summary>The services behind the data plane's local hook; further services add themselves here.</summary>
        public readonly LocalServices LocalServices = new LocalServices(4);
        /// <summary>The router's own TCP on its LAN address (the web UI listens on it).</summary>
        public readonly TcpEndpoint Tcp;
        /// <summary>The FTP helper (ALG); it follows <see cref="RouterConfig.Ftp"/> of the configuration in force.</summary>
        public readonly FtpHelper Ftp;

        /// <summary>Rates and drops once a second in a fixed ring (the status page's graphs); sampled by <see cref="RunOnce"/>.</summary>
        public readonly Web.TrafficHistory Traffic = new Web.TrafficHistory();

        public readonly PortForwardTable Forwards;
        public readonly PortTriggerTable Triggers;
        /// <summary>Ports the router itself serves on the WAN address; services register theirs at boot.</summary>
        public readonly ServicePorts ServicePorts = new ServicePorts();
        /// <summary>The configuration in force. Edit a <see cref="RouterConfig.Clone"/> and pass it to <see cref="Apply"/>.</summary>
        public readonly RouterConfig Config;
        private ConfigStore _store;
        /// <summary>The config store attached at boot (the web UI saves through it), or null.</summary>
        public ConfigStore Store { get { return _store; } }

        /// <summary>Run by the packet loop after each poll, before TCP sends (the web server); null when none.</summary>
        public ILoopService LoopService;

        /// <summary>Most jobs the loop steps (<see cref="AddJob"/>): the web UI's password hasher and config saver.</summary>
        public const int MaxJobs = 4;
        /// <summary>
        /// The longest <see cref="RunOnce"/> lets a board sleep with nothing due: the W5500 drivers check the chips'
        /// health every 100 ms from their receive path, and a missed interrupt edge is noticed by that poll at the latest.
        /// </summary>
        public const uint MaxWaitMilliseconds = 100;
        private readonly ILoopJob[] _jobs = new ILoopJob[MaxJobs];
        private int _jobCount;
        /// <summary>Frames the last <see cref="RunOnce"/> took in.</summary>
        public int LastFrames;

        public RouterFirmware(Capacities capacities, RouterSettings settings, INetworkInterface lan, INetworkInterface wan, IClock clock, IRandomSource random)
        {
            Capacities = capacities;
            Settings = settings;
            Clock = clock;
            BootMilliseconds = clock.NowMilliseconds;
            DataPlane = new DataPlane(capacities, settings, lan, wan, clock, random);
            Config = RouterConfig.For(capacities);
            // The server reads the DHCP settings of the configuration in force, so applying a configuration updates it.
            DhcpServer = new DhcpServer(DataPlane.Lan, DataPlane.Sender, settings, Config.Dhcp, capacities.DhcpLeases);
            DhcpClient = new DhcpClient(DataPlane, random);
            LocalServices.Add(DhcpServer);
            LocalServices.Add(DhcpClient);
            DataPlane.SetLocalService(LocalServices);
            DataPlane.SetAddressOwners(DhcpServer);
            Tcp = new TcpEndpoint(capacities, DataPlane.Sender, DataPlane.Lan, DataPlane.Counters, random);
            DataPlane.SetTcp(Tcp);

            NatEngine nat = DataPlane.Nat;
            Forwards = new PortForwardTable(capacities.PortForwards, DataPlane.Connections);
            Triggers = new PortTriggerTable(capacities.PortTriggers, DataPlane.Connections);
            nat.AddInboundRule(Forwards);
            nat.AddInboundRule(Triggers);
            nat.AddOutboundObserver(Triggers);
            PortReservationSet reserved = new PortReservationSet();
            reserved.Add(Forwards);
            reserved.Add(Triggers);
            reserved.Add(ServicePorts);
            nat.Mappings.Reservations = reserved;
            ServicePorts.Add(RuleProtocol.Udp, DhcpClientPort, "WAN DHCP client");

            Config.CaptureFrom(settings, DataPlane.Connections.Timeouts);
            // The helper reads the FTP settings of the configuration in force, so applying a configuration updates it.
            Ftp = new FtpHelper(capacities, DataPlane.Nat, settings, Config.Ftp, random);
            Ftp.Register();
        }

        /// <summary>Adds long work the loop does a slice of per tick (boot time; at most <see cref="MaxJobs"/>).</summary>
        public void AddJob(ILoopJob job)
        {
            if (_jobCount == _jobs.Length) throw new System.InvalidOperationException("more loop jobs than MaxJobs");
            _jobs[_jobCount++] = job;
        }

        /// <summary>
        /// One iteration of the main loop, bounded work: up to <see cref="PollBudget"/> frames per port, timers, one
        /// slice of each loop job (a password hash, a flash operation), the web server, TCP. Returns how many
        /// milliseconds the board may wait for a frame before calling again (smoltcp's poll delay): 0 when work is
        /// pending (frames were taken, a job has slices left), else the time to the earliest timer, at most
        /// <see cref="MaxWaitMilliseconds"/>. <see cref="LastFrames"/> tells how many frames this call processed.
        /// </summary>
        public uint RunOnce()
        {
            int processed = DataPlane.Poll(PollBudget);
            LastFrames = processed;
            long now = Clock.NowMilliseconds;
            DhcpClient.Tick(now);
            DhcpServer.Tick(now);
            Traffic.Sample(this, now);
            bool pending = processed > 0;
            for (int i = 0; i < _jobCount; i++)
            {
                ILoopJob job = _jobs[i];
                job.Step(now);
                if (job.Pending) pending = true;
            }
            if (LoopService != null) LoopService.Service();
            Tcp.Service(now);
            if (pending) return 0;
            return WaitBefore(NextDeadline(now), now);
        }

        /// <summary>The earliest clock time something in the loop is due: TCP timers, DHCP, pending ARP, the web server, once-a-second housekeeping.</summary>
        public long NextDeadline(long now)
        {
            long next = (now / 1000 + 1) * 1000; // triggers expire and traffic is sampled on whole seconds
            next = Earliest(next, Traffic.NextSampleAt);
            next = Earliest(next, Tcp.NextDeadline);
            next = Earliest(next, DhcpClient.NextDeadline(now));
            next = Earliest(next, DhcpServer.NextDeadline(now));
            next = Earliest(next, DataPlane.NextDeadline(now));
            if (LoopService != null) next = Earliest(next, LoopService.NextDeadline(now));
            return next;
        }

        private static long Earliest(long a, long b)
        {
            return b < a ? b : a;
        }

        private static uint WaitBefore(long deadline, long now)
        {
            if (deadline <= now) return 0;
            long wait = deadline - now;
            return wait > MaxWaitMilliseconds ? MaxWaitMilliseconds : (uint)wait;
        }

        /// <summary>Sectors of flash the router uses: the configuration's two slots, then the DHCP lease store.</summary>
        public static int FlashSectorsNeeded(Capacities capacities, int sectorSize, int configSectors)
        {
            return configSectors + FlashLeaseStore.SectorsNeeded(capacities.DhcpLeases, sectorSize);
        }

        /// <summary>
        /// Boot from flash laid out as <see cref="FlashSectorsNeeded"/> says: loads and applies the configuration (or factory
        /// defaults, see <see cref="LoadConfig"/>) and restores the DHCP leases.
        /// </summary>
        public LoadResult Boot(IFlash flash, int configSectors, bool factoryReset)
        {
            LoadResult result = LoadConfig(new ConfigStore(flash, 0, configSectors), factoryReset);
            StoreLeases(flash, configSectors);
            return result;
        }

        /// <summary>Keeps DHCP leases in <paramref name="flash"/> from <paramref name="firstSector"/> (<see cref="FlashLeaseStore.SectorsNeeded"/> sectors, apart from the configuration).</summary>
        public void StoreLeases(IFlash flash, int firstSector)
        {
            DhcpServer.UseStore(new FlashLeaseStore(flash, firstSector, Capacities.DhcpLeases), Clock.NowMilliseconds);
        }
        /// <summary>Checks a candidate configuration against this board without applying it.</summary>
        public ValidationResult Validate(RouterConfig candidate)
        {
            return ConfigValidator.Validate(candidate, Capacities, ServicePorts);
        }

        /// <summary>
        /// Validates <paramref name="candidate"/> and, if it is valid, puts it in force at once: addresses, timeouts,
        /// forwards, triggers and the DHCP server's settings. Flows of removed or changed rules are cut; the others keep
        /// running. DHCP bindings the new settings would not renew are forgotten (see <see cref="Dhcp.DhcpServer.ForgetBindingsOutsideSettings"/>). An invalid
        /// candidate changes nothing. Does not save: call <see cref="SaveConfig"/>.
        /// </summary>
        public ValidationResult Apply(RouterConfig candidate)
        {
            ValidationResult check = Validate(candidate);
            if (!check.IsValid) return check;
            if (candidate != Config && !Config.CopyFrom(candidate)) return ValidationResult.Error("forwards", "more rules or reservations than this board holds");
            Config.ApplyTo(Settings, DataPlane.Connections.Timeouts);
            DataPlane.ApplySettings();
            Forwards.Replace(Config.Forwards, Config.ForwardCount);
            Triggers.Replace(Config.Triggers, Config.TriggerCount);
            DataPlane.Nat.Mappings.CutReserved();
            DhcpServer.ForgetBindingsOutsideSettings(Clock.NowMilliseconds);
            return check;
        }

        /// <summary>
        /// Boot: attaches the config store and puts the stored configuration in force, or factory defaults when the
        /// flash is blank, corrupt or holds settings this board rejects, or when <paramref name="factoryReset"/> is set
        /// (the emulator flag, a button held at boot), in which case the defaults are also written to flash.
        /// </summary>
        public LoadResult LoadConfig(ConfigStore store, bool factoryReset)
        {
            _store = store;
            RouterConfig candidate = RouterConfig.For(Capacities);
            LoadResult result;
            if (factoryReset)
            {
                SaveResult saved = store.FactoryReset(candidate);
                result = new LoadResult();
                result.Status = LoadResult.FactoryReset;
                result.Slot = saved.Slot;
                result.Generation = saved.Generation;
                result.Reason = saved.Succeeded ? "factory reset: defaults written" : "factory reset: defaults in force, but writing them failed";
            }
            else
            {
                result = store.Load(candidate);
            }
            ValidationResult check = Apply(candidate);
            if (!check.IsValid)
            {
                result.Status = LoadResult.Invalid;
                result.Reason = "stored config rejected (" + check.ToString() + "): factory defaults";
                candidate.Reset();
                Apply(candidate);
            }
            return result;
        }

        /// <summary>Writes the configuration in force to flash (validated again, so nothing invalid is ever stored).</summary>
        public SaveResult SaveConfig()
        {
            if (_store == null)
            {
                SaveResult none = new SaveResult();
                none.Status = SaveResult.NoStore;
                return none;
            }
            ValidationResult check = Validate(Config);
            if (!check.IsValid)
            {
                SaveResult invalid = new SaveResult();
                invalid.Status = SaveResult.Invalid;
                invalid.Validation = check;
                return invalid;
            }
            return _store.Save(Config);
        }

        /// <summary>The flash budget of the configuration in force, or null without a config store.</summary>
        public ConfigUsage ConfigUsage()
        {
            return _store == null ? null : _store.Usage(Config);
        }
    }
}
