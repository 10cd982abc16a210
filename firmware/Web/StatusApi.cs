using Router.Helpers.Ftp;
using Router.Wire;

namespace Router.Web
{
    /// <summary>GET /api/status: addresses, uptime, conntrack use, every counter, FTP helper state and recent events.</summary>
    public sealed class StatusApi
    {
        /// <summary>The JSON names and fixed texts of the status (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable Names = new TextTable(
            "uptimeSeconds|board|lan|address|prefixLength|wan|gateway|dns1|dns2|mode|conntrack|used|capacity|forwards|triggers|" +
            "counters|dropped|history|intervalSeconds|ftp|events|t|text|name|value|Enabled|yes|no|Control ports|Expectation timeout| s|Sessions| of | in use", '|');
        private const int UptimeSeconds = 0, Board = 1, Lan = 2, Address = 3, PrefixLength = 4, Wan = 5, Gateway = 6, Dns1 = 7,
            Dns2 = 8, Mode = 9, Conntrack = 10, Used = 11, Capacity = 12, Forwards = 13, Triggers = 14, CountersName = 15,
            Dropped = 16, History = 17, IntervalSeconds = 18, Ftp = 19, Events = 20, T = 21, Text = 22, Name = 23, Value = 24,
            Enabled = 25, Yes = 26, No = 27, ControlPorts = 28, ExpectationTimeout = 29, Seconds = 30,
            SessionsName = 31, Of = 32, InUse = 33;
        private static readonly TextTable FtpCounterNames = new TextTable(FtpCounters.NameList, ',');
        /// <summary>The pieces of coded events' texts (see <see cref="StatusEvent.Pieces"/>).</summary>
        private static readonly TextTable EventPieces = new TextTable(StatusEvent.Pieces, '|');

        private readonly WebContext _web;
        private readonly StatusSnapshot _status;
        private readonly string[] _eventTexts;
        private readonly long[] _eventTimes;
        private readonly int[] _eventKinds;
        private readonly uint[] _eventAddresses;

        public StatusApi(WebContext web, int eventSlots)
        {
            _web = web;
            _status = new StatusSnapshot(web.Firmware.Capacities.PortTriggers);
            _eventTexts = new string[eventSlots];
            _eventTimes = new long[eventSlots];
            _eventKinds = new int[eventSlots];
            _eventAddresses = new uint[eventSlots];
        }

        public void Get(HttpResponse response)
        {
            _status.Capture(_web.Firmware);
            StatusSnapshot s = _status;
            JsonWriter w = ApiReply.Begin(_web, response);
            w.BeginObject();
            w.Property(Names, UptimeSeconds, s.UptimeMs / 1000);
            w.Property(Names, Board, _web.BoardName);
            w.Name(Names, Lan);
            w.BeginObject();
            w.PropertyDottedQuad(Names, Address, s.LanAddress);
            w.Property(Names, PrefixLength, s.LanPrefixLength);
            w.EndObject();
            w.Name(Names, Wan);
            w.BeginObject();
            w.PropertyDottedQuad(Names, Address, s.WanAddress);
            w.Property(Names, PrefixLength, s.WanPrefixLength);
            w.PropertyAddress(Names, Gateway, s.WanGateway);
            w.PropertyAddress(Names, Dns1, s.WanDns1);
            w.PropertyAddress(Names, Dns2, s.WanDns2);
            w.Property(Names, Mode, StatusSnapshot.WanModes, StatusSnapshot.WanModeIndex(s.WanMode));
            w.EndObject();
            w.Name(Names, Conntrack);
            w.BeginObject();
            w.Property(Names, Used, s.ConntrackUsed);
            w.Property(Names, Capacity, s.ConntrackCapacity);
            w.EndObject();
            w.Property(Names, Forwards, s.ForwardCount);
            w.Property(Names, Triggers, s.TriggerCount);
            w.Name(Names, CountersName);
            w.BeginObject();
            for (int i = 0; i < Counters.Count; i++) w.Property(Counters.Name(i), s.Counters[i]);
            w.EndObject();
            w.Property(Names, Dropped, s.Dropped);
            WriteHistory(w, _web.Firmware.Traffic);
            WriteFtp(w, _web.Editor.Current.Ftp, _web.Firmware.Ftp.Sessions, s.FtpCounters);
            w.Name(Names, Events);
            w.BeginArray();
            int n = _web.Events.CopyNewestFirst(_eventTexts, _eventTimes, _eventKinds, _eventAddresses);
            for (int i = 0; i < n; i++)
            {
                w.BeginObject();
                w.Property(Names, T, (_eventTimes[i] - _web.Firmware.BootMilliseconds) / 1000);
                if (_eventTexts[i] != null) w.Property(Names, Text, _eventTexts[i]);
                else
                {
                    w.Name(Names, Text);
                    WriteCodedEvent(w, _eventKinds[i], _eventAddresses[i]);
                }
                w.EndObject();
            }
            w.EndArray();
            w.EndObject();
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        /// <summary>A <see cref="StatusEvent"/>'s text, written in place from its pieces (the same text as <see cref="StatusEvent.Text"/>).</summary>
        private static void WriteCodedEvent(JsonWriter w, int kind, uint address)
        {
            w.BeginString();
            int before = StatusEvent.Before(kind);
            if (before < 0)
            {
                w.Word(EventPieces, StatusEvent.UnknownBefore);
                w.Digits(kind);
                w.Word(EventPieces, StatusEvent.UnknownAt);
            }
            else w.Word(EventPieces, before);
            w.Address(address);
            int after = StatusEvent.After(kind);
            if (after >= 0) w.Word(EventPieces, after);
            w.EndString();
        }

        /// <summary>The graphs' samples, oldest first, one a second.</summary>
        private static void WriteHistory(JsonWriter w, TrafficHistory h)
        {
            w.Name(Names, History);
            w.BeginObject();
            w.Property(Names, IntervalSeconds, TrafficHistory.IntervalMs / 1000);
            w.Property(Names, Capacity, TrafficHistory.Samples);
            for (int series = 0; series < TrafficHistory.SeriesCount; series++)
            {
                w.Name(TrafficHistory.Names, series);
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
            w.Name(Names, Ftp);
            w.BeginArray();
            BeginRow(w, Names, Enabled);
            w.String(Names, ftp.Enabled ? Yes : No);
            w.EndObject();
            BeginRow(w, Names, ControlPorts);
            SettingsJson.WritePortList(w, ftp);
            w.EndObject();
            BeginRow(w, Names, ExpectationTimeout);
            w.BeginString();
            w.Digits(ftp.ExpectationTimeoutSeconds);
            w.Word(Names, Seconds);
            w.EndString();
            w.EndObject();
            BeginRow(w, Names, SessionsName);
            w.BeginString();
            w.Digits(sessions.InUseCount);
            w.Word(Names, Of);
            w.Digits(sessions.Capacity);
            w.Word(Names, InUse);
            w.EndString();
            w.EndObject();
            for (int i = 0; i < FtpCounters.Count; i++)
            {
                if (i > FtpCounters.ExpectationsUsed && i != FtpCounters.RefusedNoSlot && counters[i] == 0) continue;
                BeginRow(w, FtpCounterNames, i);
                w.BeginString();
                w.Digits(counters[i]);
                w.EndString();
                w.EndObject();
            }
            w.EndArray();
        }

        /// <summary>Opens a {"name": …, "value": …} row and writes its name; the caller writes the value and closes it.</summary>
        private static void BeginRow(JsonWriter w, TextTable names, int name)
        {
            w.BeginObject();
            w.Property(Names, Name, names, name);
            w.Name(Names, Value);
        }
    }
}
