using Router.Config;

namespace Router.Web
{
    /// <summary>
    /// The web thread's view of the configuration and the only way it changes it: edit a <see cref="Draft"/>, then
    /// <see cref="Commit"/> validates it with the config layer's own validator, saves it to flash, and only then hands
    /// it to the packet loop. A draft that fails validation or cannot be saved changes nothing.
    /// </summary>
    public sealed class ConfigEditor
    {
        private readonly RouterFirmware _firmware;
        private readonly ConfigStore _store;
        private readonly ControlChannel _channel;
        private readonly EventLog _events;
        private RouterConfig _current;

        public ConfigEditor(RouterFirmware firmware, ConfigStore store, ControlChannel channel, EventLog events)
        {
            _firmware = firmware;
            _store = store;
            _channel = channel;
            _events = events;
            _current = firmware.Config.Clone();
        }

        /// <summary>The configuration in force (or about to be). Read only: never modify it.</summary>
        public RouterConfig Current { get { return _current; } }

        public RouterConfig Draft()
        {
            return _current.Clone();
        }

        public ValidationResult Commit(RouterConfig draft, string eventText)
        {
            ValidationResult check = _firmware.Validate(draft);
            if (!check.IsValid) return check;
            if (_store != null)
            {
                SaveResult saved = _store.Save(draft);
                if (!saved.Succeeded) return ValidationResult.Error("", "could not save to flash (" + SaveProblem(saved) + "); nothing changed");
            }
            _current = draft;
            _channel.Post(draft);
            _events.Add(_firmware.Clock.NowMilliseconds, eventText);
            return check;
        }

        /// <summary>Writes factory defaults to flash and puts them in force.</summary>
        public bool FactoryReset()
        {
            RouterConfig defaults = RouterConfig.For(_firmware.Capacities);
            if (_store != null && !_store.FactoryReset(defaults).Succeeded) return false;
            _current = defaults;
            _channel.Post(defaults);
            _events.Add(_firmware.Clock.NowMilliseconds, "factory reset");
            return true;
        }

        private static string SaveProblem(SaveResult saved)
        {
            if (saved.Status == SaveResult.TooLarge) return "too large for the flash slot";
            if (saved.Status == SaveResult.VerifyFailed) return "verify after write failed";
            return "rejected";
        }
    }
}
