using Router.Config;

namespace Router.Web
{
    /// <summary>
    /// The web UI's only way to change the configuration: edit a <see cref="Draft"/>, then <see cref="Commit"/>
    /// validates it with the config layer's own validator, puts it in force and starts saving it to flash. The save runs
    /// one flash operation per loop tick (this is the loop job that steps it); the request's answer is held until the
    /// save that contains its change has completed (<see cref="IPendingReply"/>), so a success reply still means
    /// "in force and stored". Commits made while a save runs are stored by one more save of the newest configuration.
    /// If a save fails, the configuration last stored is put back in force and every answer waiting on it says so:
    /// in the end, a draft that cannot be saved changes nothing. A factory reset is a commit of the defaults whose save
    /// also erases the other flash slot (<see cref="ConfigStore.BeginFactoryReset"/>), on the same machinery.
    /// </summary>
    public sealed class ConfigEditor : ILoopJob, IPendingReply
    {
        /// <summary>How long a saved LAN change waits for the replies in flight before it applies anyway.</summary>
        public const int RenumberWaitMs = 2000;

        private readonly WebContext _web;
        private readonly RouterFirmware _firmware;
        private readonly ConfigStore _store;
        private readonly EventLog _events;
        private RouterConfig _current;
        /// <summary>A new LAN address or prefix, in force once the replies in flight have left (<see cref="ApplyDeferred"/>).</summary>
        private RouterConfig _deferred;
        private long _deferredAt;
        /// <summary>The configuration the flash holds (last save that completed), and the one being written.</summary>
        private RouterConfig _stored;
        private RouterConfig _saving;
        /// <summary>Each commit's number; the newest commit that is stored; the one the running save covers; whether a newer one waits.</summary>
        private int _committed;
        private int _storedUpTo;
        private int _savingUpTo;
        private bool _saveAgain;
        /// <summary>The save that follows the running one is a factory reset (requested while a save ran).</summary>
        private bool _resetAgain;
        /// <summary>Commits in (<see cref="_failedAfter"/>, <see cref="_failedUpTo"/>] were lost to a failed save and rolled back.</summary>
        private int _failedAfter;
        private int _failedUpTo;
        private string _failure;

        public ConfigEditor(WebContext web, RouterFirmware firmware, ConfigStore store, EventLog events)
        {
            _web = web;
            _firmware = firmware;
            _store = store;
            _events = events;
            _current = firmware.Config.Clone();
            _stored = _current;
            firmware.AddJob(this);
        }

        /// <summary>The configuration in force. Read only: never modify it.</summary>
        public RouterConfig Current { get { return _current; } }

        /// <summary>True while a change is in force but not yet stored.</summary>
        public bool Saving { get { return _storedUpTo != _committed; } }

        public RouterConfig Draft()
        {
            return _current.Clone();
        }

        /// <summary>
        /// Validates <paramref name="draft"/>, puts it in force and starts storing it; <paramref name="response"/> (if
        /// any) is held until it is stored. Whatever the handler writes into the response is sent then, unless the save
        /// fails, in which case it is replaced by a 500 saying the previous settings are back.
        /// </summary>
        public ValidationResult Commit(RouterConfig draft, string eventText, HttpResponse response)
        {
            return Commit(draft, eventText, response, false);
        }

        /// <summary>
        /// Factory reset: the defaults are committed like any change (in force at once, <paramref name="response"/>
        /// held), and their save goes on to erase the other flash slot one sector per tick, so the answer leaves once
        /// no old setting is left in flash. If the flash refuses the defaults, the stored configuration comes back and
        /// the answer is a 500.
        /// </summary>
        public ValidationResult FactoryReset(HttpResponse response)
        {
            return Commit(RouterConfig.For(_firmware.Capacities), "factory reset", response, true);
        }

        private ValidationResult Commit(RouterConfig draft, string eventText, HttpResponse response, bool factoryReset)
        {
            ValidationResult check = _firmware.Validate(draft);
            if (!check.IsValid) return check;
            if (_store != null && !_store.Busy)
            {
                if (!Begin(draft, factoryReset)) return ValidationResult.Error("", "could not save to flash (" + SaveProblem(_store.LastResult) + "); nothing changed");
                _saving = draft;
                _savingUpTo = _committed + 1;
            }
            else if (_store != null)
            {
                _saveAgain = true; // the running save holds an older configuration; this one follows it
                if (factoryReset) _resetAgain = true; // and so does the erase of the old slot, whatever is committed after
            }
            _committed++;
            if (_store == null) _storedUpTo = _committed;
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
            if (_store != null && response != null) response.Wait(this, _committed);
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
            if (Pending) _deferredAt = now; // its reply waits for the save: the wait for the reply starts after it
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

        public bool Pending { get { return _store != null && _store.Busy; } }

        /// <summary>Loop job: one flash operation of the running save; when it completes, records it or rolls back, and starts the next.</summary>
        public void Step(long now)
        {
            if (_store == null || !_store.Busy) return;
            if (!_store.Step()) return;
            if (!_store.LastResult.Succeeded)
            {
                SaveFailed();
                return;
            }
            _stored = _saving;
            _storedUpTo = _savingUpTo;
            _saving = null;
            if (_saveAgain) SaveNewest();
        }

        /// <summary>Starts storing the newest configuration: the commits made while the last save ran.</summary>
        private void SaveNewest()
        {
            bool factoryReset = _resetAgain;
            _saveAgain = false;
            _resetAgain = false;
            if (!Begin(_current, factoryReset))
            {
                SaveFailed();
                return;
            }
            _saving = _current;
            _savingUpTo = _committed;
        }

        /// <summary>The flash refused a save: every change since the last stored configuration is rolled back and its answer says so.</summary>
        private void SaveFailed()
        {
            _failure = SaveProblem(_store.LastResult);
            _failedAfter = _storedUpTo;
            _failedUpTo = _committed;
            _storedUpTo = _committed;
            _saveAgain = false;
            _resetAgain = false;
            _saving = null;
            _current = _stored;
            _deferred = null;
            PutInForce(_stored);
            _events.Add(_firmware.Clock.NowMilliseconds, "could not save to flash (" + _failure + "): the previous settings are back in force");
        }

        private bool Begin(RouterConfig config, bool factoryReset)
        {
            return factoryReset ? _store.BeginFactoryReset(config) : _store.BeginSave(config);
        }

        /// <summary>A held answer goes once its commit is stored, or becomes an error if its save failed.</summary>
        public void Poll(HttpRequest request, HttpResponse response)
        {
            int ticket = response.WaitTicket;
            if (ticket > _failedAfter && ticket <= _failedUpTo) ReplySaveFailed(response);
            else if (ticket <= _storedUpTo) response.Pending = null;
        }

        public void Abandon(HttpResponse response)
        {
            // The change stays in force and its save goes on; only the answer is not needed.
        }

        private void ReplySaveFailed(HttpResponse response)
        {
            response.Reset(response.KeepAlive, response.HeadOnly);
            ApiReply.Error(_web, response, HttpStatus.InternalError, null, "could not save to flash (" + _failure + "); the previous settings are back in force");
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
