using Router.Config;
using Router.Hal;

namespace Router.Web
{
    /// <summary>What the API handlers share. Everything here runs on the packet loop, like the rest of the firmware.</summary>
    public sealed class WebContext
    {
        public readonly RouterFirmware Firmware;
        public readonly IClock Clock;
        public readonly IRandomSource Random;
        public readonly string BoardName;
        public readonly EventLog Events;
        public readonly ConfigEditor Editor;
        public readonly SessionTable Sessions;
        public readonly LoginThrottle Throttle = new LoginThrottle();
        /// <summary>The one PBKDF2 derivation in progress (login, password set or change), a slice per loop tick.</summary>
        public readonly PasswordHasher Hasher;
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
            Editor = new ConfigEditor(this, firmware, store, events);
            Sessions = new SessionTable(sessionSlots, random);
            Hasher = new PasswordHasher();
            firmware.AddJob(Hasher);
        }

        public long Now { get { return Clock.NowMilliseconds; } }
    }
}
