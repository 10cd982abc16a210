namespace Router.Web
{
    /// <summary>
    /// Growing back-off after failed logins, kept per client address: after a client's Nth consecutive failure
    /// (N ≥ <see cref="FreeAttempts"/>) its next attempt is refused for 2^(N-FreeAttempts) seconds, capped at
    /// <see cref="MaxDelayMs"/>. Attempts during the wait are refused without checking the password, so guessing is
    /// bounded by the clock, and a guessing host cannot lock the admin out from another host. The table is fixed; when it
    /// is full a new client replaces the entry that is least throttled (so an active guesser keeps its back-off).
    /// </summary>
    public sealed class LoginThrottle
    {
        public const int FreeAttempts = 3;
        public const long MaxDelayMs = 5 * 60 * 1000;
        public const int DefaultClients = 8;

        private readonly uint[] _address;
        private readonly int[] _failures;
        private readonly long[] _blockedUntil;
        private int _count;

        public LoginThrottle() : this(DefaultClients) { }

        public LoginThrottle(int clients)
        {
            _address = new uint[clients];
            _failures = new int[clients];
            _blockedUntil = new long[clients];
        }

        public int Capacity { get { return _address.Length; } }

        /// <summary>Consecutive failures of <paramref name="client"/> (0 when it has none on record).</summary>
        public int Failures(uint client)
        {
            int i = Find(client);
            return i < 0 ? 0 : _failures[i];
        }

        /// <summary>Milliseconds until <paramref name="client"/> may try again; 0 means now.</summary>
        public long WaitMs(uint client, long now)
        {
            int i = Find(client);
            return i < 0 || now >= _blockedUntil[i] ? 0 : _blockedUntil[i] - now;
        }

        public void Failed(uint client, long now)
        {
            int i = Find(client);
            if (i < 0) i = Take(client, now);
            int failures = ++_failures[i];
            if (failures < FreeAttempts) return;
            long delay = 1000;
            for (int n = FreeAttempts; n < failures && delay < MaxDelayMs; n++) delay *= 2;
            if (delay > MaxDelayMs) delay = MaxDelayMs;
            _blockedUntil[i] = now + delay;
        }

        public void Succeeded(uint client)
        {
            int i = Find(client);
            if (i < 0) return;
            _count--;
            _address[i] = _address[_count];
            _failures[i] = _failures[_count];
            _blockedUntil[i] = _blockedUntil[_count];
        }

        private int Find(uint client)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_address[i] == client) return i;
            }
            return -1;
        }

        /// <summary>A fresh entry for <paramref name="client"/>: a free one, else the one whose block ends first.</summary>
        private int Take(uint client, long now)
        {
            int i = _count;
            if (i < _address.Length)
            {
                _count++;
            }
            else
            {
                i = 0;
                for (int j = 1; j < _count; j++)
                {
                    if (Weight(j, now) < Weight(i, now)) i = j;
                }
            }
            _address[i] = client;
            _failures[i] = 0;
            _blockedUntil[i] = 0;
            return i;
        }

        /// <summary>How throttled an entry is now: entries no longer blocked weigh by their failures only.</summary>
        private long Weight(int i, long now)
        {
            long wait = _blockedUntil[i] > now ? _blockedUntil[i] - now : 0;
            return wait * 64 + _failures[i];
        }
    }
}
