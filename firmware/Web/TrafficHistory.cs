namespace Router.Web
{
    /// <summary>
    /// The live graphs' data: one sample a second of per-direction rates, conntrack use and drops, in a fixed ring of
    /// <see cref="Samples"/> per series. All arrays are made once; <see cref="Sample"/> only does arithmetic and array
    /// stores, so the packet loop can call it every tick without allocating (on nanoCLR too).
    /// Download is what the WAN port received, upload what it sent.
    /// </summary>
    public sealed class TrafficHistory
    {
        public const int Samples = 60;
        public const int IntervalMs = 1000;

        public const int DownloadPackets = 0, UploadPackets = 1, DownloadBytes = 2, UploadBytes = 3, Connections = 4, Drops = 5, SeriesCount = 6;

        /// <summary>Per series, <see cref="Samples"/> values; the newest is at <see cref="Newest"/>.</summary>
        public readonly int[][] Series = new int[SeriesCount][];
        /// <summary>Index of the newest sample in every series; <see cref="Count"/> samples are valid.</summary>
        public int Newest = Samples - 1;
        public int Count;
        /// <summary>Clock milliseconds of the newest sample.</summary>
        public long NewestAt;

        private long _framesIn, _framesOut, _bytesIn, _bytesOut, _drops;
        private long _next;

        public TrafficHistory()
        {
            for (int i = 0; i < SeriesCount; i++) Series[i] = new int[Samples];
        }

        /// <summary>The series' JSON names, indexed by series (one literal: see <see cref="TextTable"/>).</summary>
        public static readonly TextTable Names = new TextTable("downloadPackets uploadPackets downloadBytes uploadBytes connections drops", ' ');

        /// <summary>Clock milliseconds when the next sample is due.</summary>
        public long NextSampleAt { get { return _next; } }

        /// <summary>Packet loop: records a sample when one is due (once per <see cref="IntervalMs"/>). Returns true when it did.</summary>
        public bool Sample(RouterFirmware firmware, long now)
        {
            if (now < _next) return false;
            Link.NetworkPort wan = firmware.DataPlane.Wan;
            Counters counters = firmware.DataPlane.Counters;
            long drops = counters.DroppedTotal;
            if (_next != 0)
            {
                // Rates per second over the time that actually passed (a busy loop may sample late).
                long elapsed = now - (_next - IntervalMs);
                if (elapsed <= 0) elapsed = IntervalMs;
                Newest = Newest + 1 == Samples ? 0 : Newest + 1;
                if (Count < Samples) Count++;
                Series[DownloadPackets][Newest] = Rate(wan.FramesIn - _framesIn, elapsed);
                Series[UploadPackets][Newest] = Rate(wan.FramesOut - _framesOut, elapsed);
                Series[DownloadBytes][Newest] = Rate(wan.BytesIn - _bytesIn, elapsed);
                Series[UploadBytes][Newest] = Rate(wan.BytesOut - _bytesOut, elapsed);
                Series[Connections][Newest] = firmware.DataPlane.Connections.Count;
                Series[Drops][Newest] = Rate(drops - _drops, elapsed);
                NewestAt = now;
            }
            _framesIn = wan.FramesIn;
            _framesOut = wan.FramesOut;
            _bytesIn = wan.BytesIn;
            _bytesOut = wan.BytesOut;
            _drops = drops;
            _next = now + IntervalMs;
            return true;
        }

        private static int Rate(long delta, long elapsedMs)
        {
            long perSecond = (delta * 1000 + elapsedMs / 2) / elapsedMs;
            return perSecond > int.MaxValue ? int.MaxValue : (int)perSecond;
        }

        /// <summary>The <paramref name="age"/>th newest sample of a series (0 = newest); valid for age below <see cref="Count"/>.</summary>
        public int Value(int series, int age)
        {
            int i = Newest - age;
            if (i < 0) i += Samples;
            return Series[series][i];
        }
    }
}
