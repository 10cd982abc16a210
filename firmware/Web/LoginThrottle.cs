namespace Router.Web
{
    /// <summary>
    /// Growing back-off after failed logins: after the Nth consecutive failure (N ≥ <see cref="FreeAttempts"/>) the next
    /// attempt is refused for 2^(N-FreeAttempts) seconds, capped at <see cref="MaxDelayMs"/>. Attempts during the wait are
    /// refused without checking the password, so guessing is bounded by the clock. One throttle for the whole device.
    /// </summary>
    public sealed class LoginThrottle
    {
        public const int FreeAttempts = 3;
        public const long MaxDelayMs = 5 * 60 * 1000;

        private int _failures;
        private long _blockedUntil;

        public int Failures { get { return _failures; } }

        /// <summary>Milliseconds until the next attempt is allowed; 0 means now.</summary>
        public long WaitMs(long now)
        {
            return now >= _blockedUntil ? 0 : _blockedUntil - now;
        }

        public void Failed(long now)
        {
            _failures++;
            if (_failures < FreeAttempts) return;
            long delay = 1000;
            for (int i = FreeAttempts; i < _failures && delay < MaxDelayMs; i++) delay *= 2;
            if (delay > MaxDelayMs) delay = MaxDelayMs;
            _blockedUntil = now + delay;
        }

        public void Succeeded()
        {
            _failures = 0;
            _blockedUntil = 0;
        }
    }
}
