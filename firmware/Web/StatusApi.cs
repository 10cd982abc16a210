using Router.Helpers.Ftp;
using Router.Wire;

namespace Router.Web
{
    /// <summary>GET /api/status: addresses, uptime, conntrack use, every counter, FTP helper state and recent events.</summary>
    public sealed class StatusApi
    {
        private readonly WebContext _web;
        private readonly StatusSnapshot _status;
        private readonly string[] _eventTexts;
        private readonly long[] _eventTimes;

        public StatusApi(WebContext web, int eventSlots)
        {
            _web = web;
            _status = new StatusSnapshot(web.Firmware.Capacities.PortTriggers);
            _eventTexts = new string[eventSlots];
            _eventTimes = new long[eventSlots];
        }

        public void Get(HttpResponse response)
        {
            _status.Capture(_web.Firmware);
            StatusSnapshot s = _status;
            JsonWriter w = ApiReply.Begin(_web, response);
            w.BeginObject();
            w.Property("uptimeSeconds", s.UptimeMs / 1000);
            w.Property("board", _web.BoardName);
            w.Name("lan");
            w.BeginObject();
            w.Property("address", Ipv4Address.Format(s.LanAddress));
            w.Property("prefixLength", s.LanPrefixLength);
            w.EndObject();
            w.Name("wan");
            w.BeginObject();
            w.Property("address", Ipv4Address.Format(s.WanAddress));
            w.Property("prefixLength", s.WanPrefixLength);
            w.PropertyAddress("gateway", s.WanGateway);
            w.PropertyAddress("dns1", s.WanDns1);
            w.PropertyAddress("dns2", s.WanDns2);
            w.Property("mode", StatusSnapshot.WanModeName(s.WanMode));
            w.EndObject();
            w.Name("conntrack");
            w.BeginObject();
            w.Property("used", s.ConntrackUsed);
            w.Property("capacity", s.ConntrackCapacity);
            w.EndObject();
            w.Property("forwards", s.ForwardCount);
            w.Property("triggers", s.TriggerCount);
            w.Name("counters");
            w.BeginObject();
            for (int i = 0; i < Counters.Count; i++) w.Property(Counters.Name(i), s.Counters[i]);
            w.EndObject();
            w.Property("dropped", s.Dropped);
            WriteHistory(w, _web.Firmware.Traffic);
            WriteFtp(w, _web.Editor.Current.Ftp, _web.Firmware.Ftp.Sessions, s.FtpCounters);
            w.Name("events");
            w.BeginArray();
            int n = _web.Events.CopyNewestFirst(_eventTexts, _eventTimes);
            for (int i = 0; i < n; i++)
            {
                w.BeginObject();
                w.Property("t", (_eventTimes[i] - _web.Firmware.BootMilliseconds) / 1000);
                w.Property("text", _eventTexts[i]);
                w.EndObject();
            }
            w.EndArray();
            w.EndObject();
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        /// <summary>The graphs' samples, oldest first, one a second.</summary>
        private static void WriteHistory(JsonWriter w, TrafficHistory h)
        {
            w.Name("history");
            w.BeginObject();
            w.Property("intervalSeconds", TrafficHistory.IntervalMs / 1000);
            w.Property("capacity", TrafficHistory.Samples);
            for (int series = 0; series < TrafficHistory.SeriesCount; series++)
            {
                w.Name(TrafficHistory.Name(series));
                w.BeginArray();
                for (int age = h.Count - 1; age >= 0; age--) w.Number(h.Value(series, age));
                w.EndArray();
            }
            w.EndObject();
        }

        /// <summary>
        /// The FTP helper's settings, its session slots (the board's limit of FTP control connections inspected at once)
        /// and counters as name/value rows: the main counters and sessions refused for want of a slot always, the others
        /// when not zero.
        /// </summary>
        private static void WriteFtp(JsonWriter w, FtpHelperSettings ftp, FtpSessions sessions, long[] counters)
        {
            w.Name("ftp");
            w.BeginArray();
            Row(w, "Enabled", ftp.Enabled ? "yes" : "no");
            Row(w, "Control ports", SettingsJson.PortList(ftp));
            Row(w, "Expectation timeout", ftp.ExpectationTimeoutSeconds.ToString() + " s");
            Row(w, "Sessions", sessions.InUseCount.ToString() + " of " + sessions.Capacity.ToString() + " in use");
            for (int i = 0; i < FtpCounters.Count; i++)
            {
                if (i <= FtpCounters.ExpectationsUsed || i == FtpCounters.RefusedNoSlot || counters[i] != 0) Row(w, FtpCounters.Name(i), counters[i].ToString());
            }
            w.EndArray();
        }

        private static void Row(JsonWriter w, string name, string value)
        {
            w.BeginObject();
            w.Property("name", name);
            w.Property("value", value);
            w.EndObject();
        }
    }
}
