namespace Router.Ip
{
    /// <summary>A token bucket for rate-limiting generated ICMP errors (RFC 1812 section 4.3.2.8).</summary>
    public sealed class TokenBucket
    {
        private readonly int _burst;
        private readonly int _millisecondsPerToken;
        private int _tokens;
        private long _refilledAt;

        public TokenBucket(int perSecond, int burst)
        {
            _burst = burst;
            _millisecondsPerToken = 1000 / (perSecond < 1 ? 1 : perSecond);
            _tokens = burst;
        }

        public bool TryTake(long now)
        {
            long earned = (now - _refilledAt) / _millisecondsPerToken;
            if (earned > 0)
            {
                _tokens = (int)(_tokens + earned > _burst ? _burst : _tokens + earned);
                _refilledAt += earned * _millisecondsPerToken;
                if (_tokens == _burst) _refilledAt = now;
            }
            if (_tokens == 0) return false;
            _tokens--;
            return true;
        }
    }
}
