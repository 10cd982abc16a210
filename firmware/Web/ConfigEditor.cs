using Router.Config;

namespace Router.Web
{
    /// <summary>
    /// The web UI's only way to change the configuration: edit a <see cref="Draft"/>, then <see cref="Commit"/>
    /// validates it with the config layer's own validator, saves it to flash, and only then puts it in force (the web
    /// server runs on the packet loop, so that is a direct call). A draft that fails validation or cannot be saved changes nothing.
    /// </summary>
    public sealed class ConfigEditor
    {
        private readonly RouterFirmware _firmware;
        private readonly ConfigStore _store;
        private readonly EventLog _events;
        private RouterConfig _current;

        public ConfigEditor(RouterFirmware firmware, ConfigStore store, EventLog events)
        {
            _firmware = firmware;
            _store = store;
            _events = events;
            _current = firmware.Config.Clone();
        }

        /// <summary>The configuration in force. Read only: never modify it.</summary>
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
            PutInForce(draft);
            _events.Add(_firmware.Clock.NowMilliseconds, eventText);
            return check;
        }

        /// <summary>Writes factory defaults to flash and puts them in force.</summary>
        public bool FactoryReset()
        {
            RouterConfig defaults = RouterConfig.For(_firmware.Capacities);
            if (_store != null && !_store.FactoryReset(defaults).Succeeded) return false;
            _current = defaults;
            PutInForce(defaults);
            _events.Add(_firmware.Clock.NowMilliseconds, "factory reset");
            return true;
        }

        private void PutInForce(RouterConfig config)
        {
            ValidationResult result = _firmware.Apply(config);
            if (!result.IsValid) _events.Add(_firmware.Clock.NowMilliseconds, "configuration not applied: " + result.ToString());
        }

        private static string SaveProblem(SaveResult saved)
        {
            if (saved.Status == SaveResult.TooLarge) return "too large for the flash slot";
            if (saved.Status == SaveResult.VerifyFailed) return "verify after write failed";
            return "rejected";
        }
    }
}
