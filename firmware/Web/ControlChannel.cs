using System.Threading;
using Router.Config;

namespace Router.Web
{
    /// <summary>
    /// The one place the web thread and the packet loop meet. Configuration goes one way as a finished, validated
    /// object left in a mailbox (a lock of its own, held for two field writes: nanoFramework's Interlocked has only int
    /// overloads): the loop applies it between polls, so rule tables and
    /// conntrack keep one writer. Status goes the other way as a snapshot the loop refreshes twice a second under a
    /// small lock held only to copy a few hundred bytes; neither side ever does I/O or hashing while holding it.
    /// So the packet loop never waits for the web server beyond that copy.
    /// </summary>
    public sealed class ControlChannel : ILoopService
    {
        public const int SnapshotIntervalMs = 500;

        private readonly RouterFirmware _firmware;
        private readonly EventLog _events;
        private readonly StatusSnapshot _snapshot;
        private readonly TrafficHistory _history = new TrafficHistory();
        private readonly object _lock = new object();
        private readonly object _mailbox = new object();
        private RouterConfig _pending;
        private int _posted;
        private int _applied;
        private long _nextSnapshot;

        public ControlChannel(RouterFirmware firmware, EventLog events)
        {
            _firmware = firmware;
            _events = events;
            _snapshot = new StatusSnapshot(firmware.Capacities.PortTriggers);
            _snapshot.Capture(firmware);
        }

        /// <summary>Web thread: hands over a configuration to put in force. The caller must not change it afterwards.</summary>
        public void Post(RouterConfig config)
        {
            Monitor.Enter(_mailbox);
            try
            {
                _pending = config;
                Interlocked.Increment(ref _posted);
            }
            finally
            {
                Monitor.Exit(_mailbox);
            }
        }

        /// <summary>True once every posted configuration is in force.</summary>
        public bool Settled
        {
            get { return Interlocked.CompareExchange(ref _applied, 0, 0) == Interlocked.CompareExchange(ref _posted, 0, 0); }
        }

        /// <summary>Packet loop: applies a posted configuration, and refreshes the status snapshot when due.</summary>
        public void Service()
        {
            long now = _firmware.Clock.NowMilliseconds;
            // Count and take together: Settled then never runs ahead of what was applied.
            int posted;
            RouterConfig pending;
            Monitor.Enter(_mailbox);
            try
            {
                posted = _posted;
                pending = _pending;
                _pending = null;
            }
            finally
            {
                Monitor.Exit(_mailbox);
            }
            if (pending != null)
            {
                ValidationResult result = _firmware.Apply(pending);
                if (!result.IsValid) _events.Add(now, "configuration not applied: " + result.ToString());
            }
            bool capture = pending != null || now >= _nextSnapshot;
            if (capture || now >= _history.NextSampleAt)
            {
                Monitor.Enter(_lock);
                try
                {
                    _history.Sample(_firmware, now);
                    if (capture) _snapshot.Capture(_firmware);
                }
                finally
                {
                    Monitor.Exit(_lock);
                }
                if (capture) _nextSnapshot = now + SnapshotIntervalMs;
            }
            Interlocked.Exchange(ref _applied, posted);
        }

        /// <summary>Web thread: copies the latest snapshot.</summary>
        public void CopyStatus(StatusSnapshot into)
        {
            CopyStatus(into, null);
        }

        /// <summary>Web thread: copies the latest snapshot and the graphs' samples.</summary>
        public void CopyStatus(StatusSnapshot into, TrafficHistory history)
        {
            Monitor.Enter(_lock);
            try
            {
                into.CopyFrom(_snapshot);
                if (history != null) history.CopyFrom(_history);
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }
    }
}
