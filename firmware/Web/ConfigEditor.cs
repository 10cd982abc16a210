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
        /// <summary>How long a saved LAN change waits for the replies in flight before it applies anyway.</summary>
        public const int RenumberWaitMs = 2000;

        private readonly RouterFirmware _firmware;
        private readonly ConfigStore _store;
        private readonly EventLog _events;
        private RouterConfig _current;
        private RouterConfig _deferred;
        private long _deferredAt;

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
            if (MovesLan(draft))
            {
                // The reply to this save must still leave from the old address: apply once it has (ApplyDeferred).
                _deferred = draft;
                _deferredAt = _firmware.Clock.NowMilliseconds;
            }
            else
            {
                _deferred = null;
                PutInForce(draft);
            }
            _events.Add(_firmware.Clock.NowMilliseconds, eventText);
            return check;
        }

        /// <summary>A saved LAN change waits here until the web replies in flight have been acknowledged.</summary>
        public bool LanChangePending { get { return _deferred != null; } }

        /// <summary>
        /// Puts a saved LAN change in force once no reply is in flight, or after <see cref="RenumberWaitMs"/>
        /// (a client that never acknowledges must not hold it back). Returns whether it applied one.
        /// </summary>
        public bool ApplyDeferred(bool repliesInFlight, long now)
        {
            if (_deferred == null) return false;
            if (repliesInFlight && now - _deferredAt < RenumberWaitMs) return false;
            RouterConfig config = _deferred;
            _deferred = null;
            PutInForce(config);
            return true;
        }

        private bool MovesLan(RouterConfig draft)
        {
            RouterConfig inForce = _firmware.Config;
            return draft.LanAddress != inForce.LanAddress || draft.LanPrefixLength != inForce.LanPrefixLength;
        }

        /// <summary>Writes factory defaults to flash and puts them in force.</summary>
        public bool FactoryReset()
        {
            RouterConfig defaults = RouterConfig.For(_firmware.Capacities);
            if (_store != null && !_store.FactoryReset(defaults).Succeeded) return false;
            _current = defaults;
            _deferred = null;
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
