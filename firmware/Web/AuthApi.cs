using Router.Config;

namespace Router.Web
{
    /// <summary>
    /// First-run password setup, login with back-off, logout and password change. A new session's id goes out as an
    /// HttpOnly, SameSite=Strict cookie; its CSRF token goes in the JSON body for the page to echo in X-CSRF-Token.
    /// </summary>
    public sealed class AuthApi
    {
        /// <summary>The session answer's JSON names (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable SessionNames = new TextTable("setup loggedIn maxUploadBytes csrf", ' ');
        private const int SetupName = 0, LoggedIn = 1, MaxUploadBytes = 2, Csrf = 3;

        private readonly WebContext _web;

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
            if (!SetPassword(password, "admin password set", response)) return;
            StartSession(response);
        }

        /// <summary>POST /api/login {password}.</summary>
        public void Login(HttpRequest request, HttpResponse response)
        {
            long now = _web.Now;
            long wait = _web.Throttle.WaitMs(now);
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
            RouterConfig c = _web.Editor.Current;
            if (SetupRequired || !AdminCredential.Verify(password, c.AdminSalt, c.AdminHash))
            {
                _web.Throttle.Failed(now);
                _web.Events.Add(now, "failed login");
                ApiReply.Error(_web, response, HttpStatus.Unauthorized, "password", "wrong password");
                return;
            }
            _web.Throttle.Succeeded();
            _web.Events.Add(now, "admin logged in");
            StartSession(response);
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
            if (!AdminCredential.Verify(current, c.AdminSalt, c.AdminHash))
            {
                ApiReply.Error(_web, response, HttpStatus.UnprocessableEntity, "current", "is not the current password");
                return;
            }
            if (!SetPassword(password, "admin password changed", response)) return;
            _web.Sessions.EndAllExcept(-1);
            StartSession(response);
        }

        private bool SetPassword(string password, string eventText, HttpResponse response)
        {
            string problem = AdminCredential.CheckPassword(password);
            if (problem != null)
            {
                ApiReply.Error(_web, response, HttpStatus.UnprocessableEntity, "password", problem);
                return false;
            }
            RouterConfig draft = _web.Editor.Draft();
            AdminCredential.Create(password, _web.Random, _web.PasswordIterations, out draft.AdminSalt, out draft.AdminHash);
            ValidationResult result = _web.Editor.Commit(draft, eventText);
            if (!result.IsValid)
            {
                ApiReply.Invalid(_web, response, result);
                return false;
            }
            return true;
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
