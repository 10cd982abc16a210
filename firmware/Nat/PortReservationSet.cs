namespace Router.Nat
{
    /// <summary>Several reservation sources (forwards, triggers, a helper) seen by the allocator as one.</summary>
    public sealed class PortReservationSet : IPortReservations
    {
        private const int MaxSources = 4;

        private readonly IPortReservations[] _sources = new IPortReservations[MaxSources];
        private int _count;

        /// <summary>Adds a source; returns false when the set is full (a wiring error at boot, not a run-time condition).</summary>
        public bool Add(IPortReservations source)
        {
            if (_count == MaxSources) return false;
            _sources[_count++] = source;
            return true;
        }

        public bool IsReserved(int protocol, int externalPort)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_sources[i].IsReserved(protocol, externalPort)) return true;
            }
            return false;
        }
    }
}
