using System.Threading;

namespace Router.Web
{
    /// <summary>
    /// The most recent events in a fixed ring (older ones are overwritten): texts from the web thread, and kind codes
    /// with an address from the packet loop (<see cref="IStatusEventSink"/>), turned into text only when read. Written
    /// from both threads, so each access holds a small lock for a few array operations.
    /// </summary>
    public sealed class EventLog : IStatusEventSink
    {
        private readonly string[] _entries;
        private readonly long[] _times;
        // For a coded event (text null): its StatusEvent kind and address.
        private readonly byte[] _kinds;
        private readonly uint[] _addresses;
        private readonly object _lock = new object();
        private int _next;
        private int _count;

        public EventLog(int capacity)
        {
            _entries = new string[capacity];
            _times = new long[capacity];
            _kinds = new byte[capacity];
            _addresses = new uint[capacity];
        }

        public int Capacity { get { return _entries.Length; } }

        public void Add(long nowMs, string text)
        {
            Monitor.Enter(_lock);
            try
            {
                Put(nowMs, text, 0, 0);
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        /// <summary>
        /// Records a <see cref="StatusEvent"/> without allocating. The same event again as the newest entry only
        /// refreshes its time, so a busy FTPS server does not push every other event out.
        /// </summary>
        public void Record(long nowMs, int kind, uint address)
        {
            Monitor.Enter(_lock);
            try
            {
                int newest = (_next - 1 + _entries.Length) % _entries.Length;
                if (_count > 0 && _entries[newest] == null && _kinds[newest] == kind && _addresses[newest] == address) _times[newest] = nowMs;
                else Put(nowMs, null, kind, address);
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        private void Put(long nowMs, string text, int kind, uint address)
        {
            _entries[_next] = text;
            _times[_next] = nowMs;
            _kinds[_next] = (byte)kind;
            _addresses[_next] = address;
            _next = (_next + 1) % _entries.Length;
            if (_count < _entries.Length) _count++;
        }

        /// <summary>
        /// Copies the events, newest first, into the arrays without allocating: a text event's text, or null in
        /// <paramref name="texts"/> and its <see cref="StatusEvent"/> kind and address for a coded one. Returns how many.
        /// </summary>
        public int CopyNewestFirst(string[] texts, long[] times, int[] kinds, uint[] addresses)
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
                    kinds[i] = _kinds[index];
                    addresses[i] = _addresses[index];
                }
                return n;
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        /// <summary>Copies the events, newest first, into the arrays (coded ones as their text, which allocates); returns how many.</summary>
        public int CopyNewestFirst(string[] texts, long[] times)
        {
            Monitor.Enter(_lock);
            try
            {
                int n = _count < texts.Length ? _count : texts.Length;
                for (int i = 0; i < n; i++)
                {
                    int index = (_next - 1 - i + _entries.Length) % _entries.Length;
                    texts[i] = _entries[index] ?? StatusEvent.Text(_kinds[index], _addresses[index]);
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
