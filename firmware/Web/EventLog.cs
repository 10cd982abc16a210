using System.Threading;

namespace Router.Web
{
    /// <summary>
    /// The most recent events as short strings in a fixed ring (older ones are overwritten). Written from the packet
    /// loop and the web thread, so each access holds a small lock for a few array operations.
    /// </summary>
    public sealed class EventLog
    {
        private readonly string[] _entries;
        private readonly long[] _times;
        private readonly object _lock = new object();
        private int _next;
        private int _count;

        public EventLog(int capacity)
        {
            _entries = new string[capacity];
            _times = new long[capacity];
        }

        public int Capacity { get { return _entries.Length; } }

        public void Add(long nowMs, string text)
        {
            Monitor.Enter(_lock);
            try
            {
                _entries[_next] = text;
                _times[_next] = nowMs;
                _next = (_next + 1) % _entries.Length;
                if (_count < _entries.Length) _count++;
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        /// <summary>Copies the events, newest first, into the arrays; returns how many.</summary>
        public int CopyNewestFirst(string[] texts, long[] times)
        {
            Monitor.Enter(_lock);
            try
            {
                int n = _count < texts.Length ? _count : texts.Length;
                for (int i = 0; i < n; i++)
                {
                    int index = (_next - 1 - i + _entries.Length) % _entries.Length;
                    texts[i] = _entries[index];
                    times[i] = _times[index];
                }
                return n;
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }
    }
}
