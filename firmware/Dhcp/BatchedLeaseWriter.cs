namespace Router.Dhcp
{
    /// <summary>
    /// Writes the lease table to its store only when a binding changed, and at most once per interval: the first change
    /// after a quiet period is saved at once, later ones ride along with the next save. Expiry times are not saved, so
    /// renewals never write.
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

        /// <summary>Saves <paramref name="table"/> if it is dirty and <paramref name="intervalSeconds"/> have passed since the last save.</summary>
        public void Service(DhcpLeaseTable table, uint now, uint intervalSeconds)
        {
            if (!table.Dirty) return;
            if (_hasSaved && now - _savedAt < intervalSeconds) return;
            _hasSaved = true;
            _savedAt = now;
            if (!_store.Save(table))
            {
                _counters.Increment(DhcpCounters.LeaseStoreFailures); // retried after the interval
                return;
            }
            table.MarkClean();
            _counters.Increment(DhcpCounters.LeaseStoreWrites);
        }
    }
}
