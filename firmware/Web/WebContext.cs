using Router.Config;
using Router.Hal;

namespace Router.Web
{
    /// <summary>What the API handlers share. Everything here is used from the web thread only, except <see cref="Channel"/> and <see cref="Events"/>.</summary>
    public sealed class WebContext
    {
        public readonly RouterFirmware Firmware;
        public readonly IClock Clock;
        public readonly IRandomSource Random;
        public readonly string BoardName;
        public readonly EventLog Events;
        public readonly ControlChannel Channel;
        public readonly ConfigEditor Editor;
        public readonly SessionTable Sessions;
        public readonly LoginThrottle Throttle = new LoginThrottle();
        public readonly JsonWriter Json = new JsonWriter();
        public readonly JsonReader Reader = new JsonReader();
        /// <summary>PBKDF2 iterations for new passwords.</summary>
        public int PasswordIterations = AdminCredential.DefaultIterations;
        /// <summary>Set when the admin asked for a reboot; the board (or emulator) acts on it.</summary>
        public bool RebootRequested;
        /// <summary>The largest request body the server reads (a restore file included); larger ones get 413.</summary>
        public int MaxBodyBytes;

        public WebContext(RouterFirmware firmware, ConfigStore store, IRandomSource random, string boardName, EventLog events, int sessionSlots)
        {
            Firmware = firmware;
            Clock = firmware.Clock;
            Random = random;
            BoardName = boardName;
            Events = events;
            Channel = new ControlChannel(firmware, events);
            Editor = new ConfigEditor(firmware, store, Channel, events);
            Sessions = new SessionTable(sessionSlots, random);
        }

        public long Now { get { return Clock.NowMilliseconds; } }
    }
}
