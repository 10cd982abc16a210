namespace Router.Dhcp
{
    /// <summary>
    /// Writes the lease table to its store only when a binding changed, and at most once per interval: the first change
    /// after a quiet period is saved at once, later ones ride along with the next save. Expiry times are not saved, so
    /// renewals never write. A save runs one flash operation per call (per loop tick); bindings that change while it
    /// runs make the table dirty again and go with the next save.
    /// </summary>
    public sealed class BatchedLeaseWriter
    {
        private readonly ILeaseStore _store;
        private readonly DhcpCounters _counters;
        private bool _hasSaved;
        private uint _savedAt;

        public BatchedLeaseWriter(ILeaseStore store, DhcpCounters counters)
        {
            _store = store;
            _counters = counters;
        }

        /// <summary>True while a save has flash operations left.</summary>
        public bool Busy { get { return _store.Busy; } }

        /// <summary>Steps the save in progress, or starts one if <paramref name="table"/> is dirty and <paramref name="intervalSeconds"/> have passed since the last.</summary>
        public void Service(DhcpLeaseTable table, uint now, uint intervalSeconds)
        {
            if (_store.Busy)
            {
                if (!_store.Step()) return;
                if (_store.LastSaveSucceeded)
                {
                    _counters.Increment(DhcpCounters.LeaseStoreWrites);
                    return;
                }
                table.Dirty = true; // retried after the interval
                _counters.Increment(DhcpCounters.LeaseStoreFailures);
                return;
            }
            if (!table.Dirty) return;
            if (_hasSaved && now - _savedAt < intervalSeconds) return;
            _hasSaved = true;
            _savedAt = now;
            _store.BeginSave(table);
            table.MarkClean();
        }

        /// <summary>When <see cref="Service"/> has work (seconds): now while a save runs, the interval's end while changes wait, else uint.MaxValue.</summary>
        public uint NextDue(DhcpLeaseTable table, uint now, uint intervalSeconds)
        {
            if (_store.Busy) return now;
            if (!table.Dirty) return uint.MaxValue;
            if (!_hasSaved || now - _savedAt >= intervalSeconds) return now;
            return _savedAt + intervalSeconds;
        }
    }
}
