using Router.Config;

namespace Router.Web
{
    /// <summary>
    /// First-run password setup, login with back-off, logout and password change. A new session's id goes out as an
    /// HttpOnly, SameSite=Strict cookie; its CSRF token goes in the JSON body for the page to echo in X-CSRF-Token.
    /// Every password hash runs on <see cref="WebContext.Hasher"/> a slice per loop tick: the request waits
    /// (<see cref="IPendingReply"/>) and is answered in <see cref="Poll"/> once its hash is done; a request that finds
    /// the hasher taken waits for it and then runs again from its still-unread request. A factory reset cancels the hash
    /// in flight (<see cref="PasswordHasher.Cancel"/>) and ends the sessions, so a login or password change begun against
    /// the old credential is answered 401 and never lands on the defaults.
    /// </summary>
    public sealed class AuthApi : IPendingReply
    {
        /// <summary>The session answer's JSON names (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable SessionNames = new TextTable("setup loggedIn maxUploadBytes csrf", ' ');
        private const int SetupName = 0, LoggedIn = 1, MaxUploadBytes = 2, Csrf = 3;
        /// <summary>What a waiting response waits for (<see cref="HttpResponse.WaitTicket"/>); <see cref="Queued"/> is added while the hasher is taken.</summary>
        private const int HashingLogin = 1, HashingSetup = 2, HashingCurrent = 3, HashingNew = 4, Queued = 16;

        private readonly WebContext _web;
        /// <summary>The hash the login or password check compares with; the new password, its salt and count while a change hashes.</summary>
        private byte[] _expected;
        private string _newPassword;
        private byte[] _newSalt;
        private int _newIterations;

        public AuthApi(WebContext web)
        {
            _web = web;
        }

        public bool SetupRequired
        {
            get { return !AdminCredential.IsSet(_web.Editor.Current.AdminHash); }
        }

        /// <summary>GET /api/session: whether a password must be set first, and whether this browser is logged in.</summary>
        public void Session(HttpRequest request, HttpResponse response)
        {
            int session = _web.Sessions.Find(request, _web.Now);
            JsonWriter w = ApiReply.Begin(_web, response);
            w.BeginObject();
            w.Property(SessionNames, SetupName, SetupRequired);
            w.Property(SessionNames, LoggedIn, session >= 0);
            w.Property(SessionNames, MaxUploadBytes, _web.MaxBodyBytes);
            if (session >= 0) w.Property(SessionNames, Csrf, _web.Sessions.Csrf(session));
            w.EndObject();
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        /// <summary>POST /api/setup {password}: only while no password is set; logs the browser in.</summary>
        public void Setup(HttpRequest request, HttpResponse response)
        {
            if (!SetupRequired)
            {
                ApiReply.Error(_web, response, HttpStatus.Conflict, null, "the admin password is already set");
                return;
            }
            string password = ReadField(request, "password");
            if (_web.Reader.Failed)
            {
                ApiReply.Malformed(_web, response);
                return;
            }
            StartNewHash(password, HashingSetup, request, response);
        }

        /// <summary>POST /api/login {password}.</summary>
        public void Login(HttpRequest request, HttpResponse response)
        {
            long now = _web.Now;
            long wait = _web.Throttle.WaitMs(request.ClientAddress, now);
            if (wait > 0)
            {
                response.AddHeader("Retry-After: " + ((wait + 999) / 1000).ToString());
                ApiReply.Error(_web, response, HttpStatus.TooManyRequests, "password", "too many failed attempts; try again in " + ((wait + 999) / 1000).ToString() + " s");
                return;
            }
            string password = ReadField(request, "password");
            if (_web.Reader.Failed)
            {
                ApiReply.Malformed(_web, response);
                return;
            }
            if (SetupRequired)
            {
                // Nothing to check a password against (first run, or a factory reset while this login waited): not a failed guess.
                ApiReply.Error(_web, response, HttpStatus.Unauthorized, "password", "no admin password is set (factory defaults): set one first");
                return;
            }
            RouterConfig c = _web.Editor.Current;
            if (!AdminCredential.CanVerify(password, c.AdminSalt, c.AdminHash))
            {
                LoginFailed(request, response);
                return;
            }
            if (!_web.Hasher.TryStart(response, password, c.AdminSalt, AdminCredential.Iterations(c.AdminHash)))
            {
                response.Wait(this, HashingLogin + Queued);
                return;
            }
            _expected = c.AdminHash;
            response.Wait(this, HashingLogin);
        }

        private void LoginFailed(HttpRequest request, HttpResponse response)
        {
            long now = _web.Now;
            _web.Throttle.Failed(request.ClientAddress, now);
            _web.Events.Add(now, "failed login");
            ApiReply.Error(_web, response, HttpStatus.Unauthorized, "password", "wrong password");
        }

        public void Logout(int session, HttpResponse response)
        {
            _web.Sessions.End(session);
            response.AddHeader(SessionTable.ClearCookieHeader);
            ApiReply.Ok(_web, response, null);
        }

        /// <summary>POST /api/password {current, password}: other sessions end; this one continues with a new CSRF token.</summary>
        public void ChangePassword(int session, HttpRequest request, HttpResponse response)
        {
            string current = null, password = null;
            if (ApiReply.OpenBody(_web, request))
            {
                JsonReader r = _web.Reader;
                while (r.NextProperty())
                {
                    if (r.NameIs("current")) current = r.ReadText();
                    else if (r.NameIs("password")) password = r.ReadText();
                    else r.SkipValue();
                }
            }
            if (_web.Reader.Failed)
            {
                ApiReply.Malformed(_web, response);
                return;
            }
            RouterConfig c = _web.Editor.Current;
            if (!AdminCredential.CanVerify(current, c.AdminSalt, c.AdminHash))
            {
                WrongCurrentPassword(response);
                return;
            }
            if (!_web.Hasher.TryStart(response, current, c.AdminSalt, AdminCredential.Iterations(c.AdminHash)))
            {
                response.Wait(this, HashingCurrent + Queued);
                return;
            }
            _expected = c.AdminHash;
            _newPassword = password; // checked and hashed once the current one is confirmed
            response.Wait(this, HashingCurrent);
        }

        private void WrongCurrentPassword(HttpResponse response)
        {
            ApiReply.Error(_web, response, HttpStatus.UnprocessableEntity, "current", "is not the current password");
        }

        /// <summary>Checks a new password and starts hashing it with a new salt (or queues behind the hash in progress).</summary>
        private void StartNewHash(string password, int purpose, HttpRequest request, HttpResponse response)
        {
            string problem = AdminCredential.CheckPassword(password);
            if (problem != null)
            {
                _web.Hasher.Release(response);
                ApiReply.Error(_web, response, HttpStatus.UnprocessableEntity, "password", problem);
                return;
            }
            byte[] salt = AdminCredential.NewSalt(_web.Random);
            if (!_web.Hasher.TryStart(response, password, salt, _web.PasswordIterations))
            {
                response.Wait(this, purpose + Queued);
                return;
            }
            _newSalt = salt;
            _newIterations = _web.PasswordIterations;
            response.Wait(this, purpose);
        }

        /// <summary>
        /// Loop tick while a request waits: nothing until its hash is done; a queued one runs again once the hasher is
        /// free (its request is still unread in the connection's buffer).
        /// </summary>
        public void Poll(HttpRequest request, HttpResponse response)
        {
            int ticket = response.WaitTicket;
            if (ticket >= Queued)
            {
                if (_web.Hasher.Owner != null) return;
                Retry(ticket - Queued, request, response);
                return;
            }
            if (_web.Hasher.Owner == response && !_web.Hasher.DoneFor(response)) return;
            Finish(ticket, request, response); // done, or cancelled by a factory reset
        }

        /// <summary>
        /// A request whose session, or the credential its hash was checking or replacing, ended while it waited (a
        /// factory reset, or another password change): 401 as for any ended session, with nothing changed.
        /// </summary>
        private void Ended(HttpResponse response)
        {
            response.AddHeader(SessionTable.ClearCookieHeader);
            ApiReply.Error(_web, response, HttpStatus.Unauthorized, null, SetupRequired
                ? "a factory reset ended this request: nothing was changed; set the admin password first"
                : "the session ended while this request waited: nothing was changed; log in again");
        }

        public void Abandon(HttpResponse response)
        {
            _web.Hasher.Release(response);
        }

        /// <summary>
        /// A queued request's turn: handled again from the start (CSRF was checked when it came in; a password change's
        /// session is looked up again, since a factory reset or another change may have ended it meanwhile).
        /// </summary>
        private void Retry(int purpose, HttpRequest request, HttpResponse response)
        {
            response.Reset(response.KeepAlive, response.HeadOnly);
            if (purpose == HashingLogin) Login(request, response);
            else if (purpose == HashingSetup) Setup(request, response);
            else if (_web.Sessions.Find(request, _web.Now) < 0) Ended(response);
            else ChangePassword(-1, request, response);
        }

        /// <summary>
        /// A hash is done: answers the login, or stores the new password, or goes on to hash the new one. Or a factory
        /// reset cancelled it: the credential it was checked against is gone, so the request ends with nothing changed
        /// (the shared fields may belong to whoever took the hasher since, so they are left alone).
        /// </summary>
        private void Finish(int purpose, HttpRequest request, HttpResponse response)
        {
            response.Pending = null;
            if (_web.Hasher.Owner != response)
            {
                Ended(response);
                return;
            }
            bool matches = _expected != null && AdminCredential.Matches(_web.Hasher.Key, _expected);
            if (purpose == HashingLogin)
            {
                _web.Hasher.Release(response);
                _expected = null;
                if (!matches)
                {
                    LoginFailed(request, response);
                    return;
                }
                _web.Throttle.Succeeded(request.ClientAddress);
                _web.Events.Add(_web.Now, "admin logged in");
                StartSession(response);
                return;
            }
            if (purpose == HashingCurrent)
            {
                _expected = null;
                string password = _newPassword;
                _newPassword = null;
                if (!matches)
                {
                    _web.Hasher.Release(response);
                    WrongCurrentPassword(response);
                    return;
                }
                StartNewHash(password, HashingNew, request, response); // the same owner goes on
                return;
            }
            byte[] hashBlob = AdminCredential.Blob(_newIterations, _web.Hasher.Key);
            _web.Hasher.Release(response);
            RouterConfig draft = _web.Editor.Draft();
            draft.AdminSalt = _newSalt;
            draft.AdminHash = hashBlob;
            _newSalt = null;
            ValidationResult result = _web.Editor.Commit(draft, purpose == HashingSetup ? "admin password set" : "admin password changed", response);
            if (!result.IsValid)
            {
                ApiReply.Invalid(_web, response, result);
                return;
            }
            if (purpose == HashingNew) _web.Sessions.EndAllExcept(-1);
            StartSession(response); // sent once the password is stored
        }

        private void StartSession(HttpResponse response)
        {
            int session = _web.Sessions.Create(_web.Now);
            response.AddHeader("Set-Cookie: " + SessionTable.CookieName + "=" + _web.Sessions.Id(session) + "; Path=/; HttpOnly; SameSite=Strict");
            JsonWriter w = ApiReply.Begin(_web, response);
            w.BeginObject();
            w.Property("csrf", _web.Sessions.Csrf(session));
            w.EndObject();
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        /// <summary>Reads one text field of the request's JSON object (null if absent); check Reader.Failed afterwards.</summary>
        private string ReadField(HttpRequest request, string name)
        {
            string value = null;
            if (!ApiReply.OpenBody(_web, request)) return null;
            JsonReader r = _web.Reader;
            while (r.NextProperty())
            {
                if (r.NameIs(name)) value = r.ReadText();
                else r.SkipValue();
            }
            return value;
        }
    }
}
