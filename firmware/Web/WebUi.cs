using Router.Config;
using Router.Hal;

namespace Router.Web
{
    /// <summary>
    /// The web UI's request handler and composition: static files, then the JSON API behind a routing table. Until an
    /// admin password exists only setup is allowed. Every other API call needs a session cookie, every state change
    /// also its CSRF token, and request bodies must be JSON (a cross-site form cannot send that without a preflight).
    /// Requests must name the router in Host (and Origin, on state changes): see <see cref="HostPolicy"/>.
    /// <see cref="Server"/> listens on port 80 of the router's own TCP; set firmware.LoopService to this web UI (it runs the server).
    /// </summary>
    public sealed class WebUi : IHttpHandler, ILoopService
    {
        private const int RouteSession = 0, RouteSetup = 1, RouteLogin = 2, RouteLogout = 3, RouteStatus = 4,
            RouteForwards = 5, RouteForward = 6, RouteTriggers = 7, RouteTrigger = 8, RouteFtp = 9, RouteNetwork = 10,
            RoutePassword = 11, RouteBackup = 12, RouteRestore = 13, RouteFactoryReset = 14, RouteReboot = 15, RouteDevices = 16,
            RouteConnections = 17, RouteCount = 18;
        private const int Get = 1 << HttpMethod.Get, Post = 1 << HttpMethod.Post, Put = 1 << HttpMethod.Put, Delete = 1 << HttpMethod.Delete;
        public const int EventSlots = 16;
        public const int SessionSlots = 4;
        public const int HostNameSlots = 4;

        /// <summary>Refusals answered on every request path (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable Texts = new TextTable(
            "use the router's address|cross-origin request refused|method not allowed|not found|no such API|" +
            "send application/json|send application/octet-stream|set the admin password first|log in first|" +
            "missing or wrong CSRF token; reload the page|/api/", '|');
        private const int UseRouterAddress = 0, CrossOrigin = 1, MethodNotAllowed = 2, NotFound = 3, NoSuchApi = 4, SendJson = 5,
            SendOctets = 6, SetPasswordFirst = 7, LogInFirst = 8, WrongCsrf = 9, ApiPrefix = 10;
        /// <summary>The request body types, as static fields (an <c>ldstr</c> allocates on nanoCLR).</summary>
        private static readonly string JsonType = "application/json";
        private static readonly string OctetsType = "application/octet-stream";

        private readonly string[] _paths = new string[RouteCount];
        private readonly int[] _methods = new int[RouteCount];
        private readonly WebContext _web;
        private readonly StaticFiles _files;
        private readonly AuthApi _auth;
        private readonly StatusApi _status;
        private readonly RulesApi _rules;
        private readonly SettingsApi _settings;
        private readonly AdminApi _admin;
        private readonly DevicesApi _devices;
        private readonly ConnectionsApi _connections;

        public readonly WebServer Server;
        /// <summary>Names besides the LAN address that requests may use for the router.</summary>
        public readonly HostPolicy Hosts;

        /// <param name="assets">Where the board keeps the web UI's compressed files (<see cref="WebAssetBundle"/> indices).</param>
        public WebUi(RouterFirmware firmware, ConfigStore store, IRandomSource random, IAssetSource assets, string boardName, HttpLimits limits)
        {
            _files = new StaticFiles(assets);
            EventLog events = new EventLog(EventSlots);
            firmware.Ftp.Events = events; // the helper reports forwarded FTPS servers here
            _web = new WebContext(firmware, store, random, boardName, events, SessionSlots);
            _web.MaxBodyBytes = limits.MaxBodyBytes;
            _auth = new AuthApi(_web);
            _status = new StatusApi(_web, EventSlots);
            _rules = new RulesApi(_web);
            _settings = new SettingsApi(_web);
            _admin = new AdminApi(_web);
            _devices = new DevicesApi(_web);
            _connections = new ConnectionsApi(_web);
            Route(RouteSession, "/api/session", Get);
            Route(RouteSetup, "/api/setup", Post);
            Route(RouteLogin, "/api/login", Post);
            Route(RouteLogout, "/api/logout", Post);
            Route(RouteStatus, "/api/status", Get);
            Route(RouteForwards, "/api/forwards", Get | Post);
            Route(RouteForward, "/api/forwards/", Put | Delete);
            Route(RouteTriggers, "/api/triggers", Get | Post);
            Route(RouteTrigger, "/api/triggers/", Put | Delete);
            Route(RouteFtp, "/api/ftp", Get | Put);
            Route(RouteNetwork, "/api/network", Get | Put);
            Route(RoutePassword, "/api/password", Post);
            Route(RouteBackup, "/api/backup", Get);
            Route(RouteRestore, "/api/restore", Post);
            Route(RouteFactoryReset, "/api/factory-reset", Post);
            Route(RouteReboot, "/api/reboot", Post);
            Route(RouteDevices, "/api/devices", Get);
            Route(RouteConnections, "/api/connections", Get);
            Hosts = new HostPolicy(firmware.DataPlane.Lan, HostNameSlots);
            Server = new WebServer(limits, firmware.Clock, firmware.Tcp, WebServer.HttpPort, this);
            events.Add(firmware.Clock.NowMilliseconds, "web UI started (" + StaticFiles.TotalBytes.ToString() + " bytes of compressed pages)");
        }

        private const int LanChangePollMs = 10;

        public WebContext Context { get { return _web; } }

        /// <summary>One tick of the web UI: the server's pass over its connections, then a saved LAN change once its reply has left.</summary>
        public void Service()
        {
            Server.Service();
            _web.Editor.ApplyDeferred(Server.ResponsesInFlight, _web.Now);
        }

        /// <summary>The server's next deadline; while a LAN change waits for its reply to leave, every few milliseconds.</summary>
        public long NextDeadline(long now)
        {
            long next = Server.NextDeadline(now);
            if (_web.Editor.LanChangePending && next > now + LanChangePollMs) next = now + LanChangePollMs;
            return next;
        }
        public EventLog Events { get { return _web.Events; } }

        /// <summary>The board's connection slots, each with a buffer large enough for the longest rule list this board can hold, as JSON.</summary>
        public static HttpLimits LimitsFor(Capacities capacities)
        {
            HttpLimits limits = new HttpLimits();
            int rules = capacities.PortForwards > capacities.PortTriggers ? capacities.PortForwards : capacities.PortTriggers;
            int needed = limits.MaxHeadBytes + 1024 + 320 * rules;
            limits.BufferBytes = capacities.HttpBufferBytes;
            if (needed > limits.BufferBytes) limits.BufferBytes = needed;
            return limits;
        }

        private void Route(int route, string path, int methods)
        {
            _paths[route] = path;
            _methods[route] = methods;
        }

        public void Handle(HttpRequest request, HttpResponse response)
        {
            int method = request.Method == HttpMethod.Head ? HttpMethod.Get : request.Method;
            if (!Hosts.HostAllowed(request))
            {
                response.KeepAlive = false;
                response.SendText(HttpStatus.MisdirectedRequest, Texts, UseRouterAddress);
                return;
            }
            if (HttpMethod.IsStateChanging(method) && !Hosts.OriginAllowed(request))
            {
                response.SendText(HttpStatus.Forbidden, Texts, CrossOrigin);
                return;
            }
            if (!Texts.IsPrefixOf(request.Buffer, request.PathOffset, request.PathLength, ApiPrefix))
            {
                if (method != HttpMethod.Get)
                {
                    response.Allow(Get);
                    response.SendText(HttpStatus.MethodNotAllowed, Texts, MethodNotAllowed);
                }
                else if (!_files.TryServe(request, response)) response.SendText(HttpStatus.NotFound, Texts, NotFound);
                return;
            }
            int index = -1;
            int route = Find(request, out index);
            if (route < 0)
            {
                ApiReply.Error(_web, response, HttpStatus.NotFound, Texts, -1, NoSuchApi);
                return;
            }
            if ((_methods[route] & (1 << method)) == 0)
            {
                response.Allow(_methods[route]);
                ApiReply.Error(_web, response, HttpStatus.MethodNotAllowed, Texts, -1, MethodNotAllowed);
                return;
            }
            if (request.BodyLength > 0 || method == HttpMethod.Post || method == HttpMethod.Put)
            {
                bool octets = route == RouteRestore;
                if (!request.ContentTypeIs(octets ? OctetsType : JsonType))
                {
                    ApiReply.Error(_web, response, HttpStatus.UnsupportedMediaType, Texts, -1, octets ? SendOctets : SendJson);
                    return;
                }
            }
            if (route == RouteSession) { _auth.Session(request, response); return; }
            if (route == RouteSetup) { _auth.Setup(request, response); return; }
            if (route == RouteLogin) { _auth.Login(request, response); return; }

            int session = _web.Sessions.Find(request, _web.Now);
            if (session < 0)
            {
                ApiReply.Error(_web, response, HttpStatus.Unauthorized, Texts, -1, _auth.SetupRequired ? SetPasswordFirst : LogInFirst);
                return;
            }
            if (HttpMethod.IsStateChanging(method) && !_web.Sessions.CsrfMatches(session, request))
            {
                ApiReply.Error(_web, response, HttpStatus.Forbidden, Texts, -1, WrongCsrf);
                return;
            }
            Dispatch(route, method, index, session, request, response);
        }

        private void Dispatch(int route, int method, int index, int session, HttpRequest request, HttpResponse response)
        {
            switch (route)
            {
                case RouteLogout: _auth.Logout(session, response); break;
                case RouteStatus: _status.Get(response); break;
                case RouteForwards:
                    if (method == HttpMethod.Get) _rules.ListForwards(response);
                    else _rules.SaveForward(request, response, -1);
                    break;
                case RouteForward:
                    if (method == HttpMethod.Put) _rules.SaveForward(request, response, index);
                    else _rules.DeleteForward(response, index);
                    break;
                case RouteTriggers:
                    if (method == HttpMethod.Get) _rules.ListTriggers(response);
                    else _rules.SaveTrigger(request, response, -1);
                    break;
                case RouteTrigger:
                    if (method == HttpMethod.Put) _rules.SaveTrigger(request, response, index);
                    else _rules.DeleteTrigger(response, index);
                    break;
                case RouteFtp:
                    if (method == HttpMethod.Get) _settings.GetFtp(response);
                    else _settings.PutFtp(request, response);
                    break;
                case RouteNetwork:
                    if (method == HttpMethod.Get) _settings.GetNetwork(response);
                    else _settings.PutNetwork(request, response);
                    break;
                case RoutePassword: _auth.ChangePassword(session, request, response); break;
                case RouteBackup: _admin.Backup(response); break;
                case RouteRestore: _admin.Restore(request, response); break;
                case RouteFactoryReset: _admin.FactoryReset(response); break;
                case RouteDevices: _devices.Get(request, response); break;
                case RouteConnections: _connections.Get(request, response); break;
                default: _admin.Reboot(response); break;
            }
        }

        /// <summary>The route for the request's path (paths ending in '/' take a decimal index), or -1.</summary>
        private int Find(HttpRequest request, out int index)
        {
            index = -1;
            for (int i = 0; i < RouteCount; i++)
            {
                string path = _paths[i];
                if (path[path.Length - 1] == '/')
                {
                    index = request.PathIndexAfter(path);
                    if (index >= 0) return i;
                }
                else if (request.PathIs(path)) return i;
            }
            return -1;
        }
    }
}
