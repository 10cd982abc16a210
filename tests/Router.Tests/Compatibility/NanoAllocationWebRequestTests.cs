using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Compatibility
{
    /// <summary>
    /// The nanoCLR allocation gate on one kind of web request at a time: the walk starts where a complete request is
    /// parsed and handled (<c>HttpRequestParser.Parse</c>, <c>WebUi.Handle</c>, <c>WebServer.Answer</c> for the
    /// refusals) and stops at every other route's handler, so what it reports is what that request can allocate on the
    /// board (each reported instruction counted once; loops would repeat them). The firmware gate
    /// (<see cref="NanoAllocationFirmwareTests"/>) covers every route at once from <c>RunOnce</c>; this one gives the
    /// per-request figure of docs/web-server.md and names the route that regressed.
    /// </summary>
    public class NanoAllocationWebRequestTests
    {
        /// <summary>Every handler <c>WebUi</c> routes to (and the static files), by route.</summary>
        private static readonly string[] Handlers =
        {
            "Router.Web.StaticFiles::TryServe",
            "Router.Web.AuthApi::Session", "Router.Web.AuthApi::Setup", "Router.Web.AuthApi::Login", "Router.Web.AuthApi::Logout",
            "Router.Web.AuthApi::ChangePassword",
            "Router.Web.StatusApi::Get", "Router.Web.DevicesApi::Get", "Router.Web.ConnectionsApi::Get",
            "Router.Web.RulesApi::ListForwards", "Router.Web.RulesApi::ListTriggers", "Router.Web.RulesApi::SaveForward",
            "Router.Web.RulesApi::SaveTrigger", "Router.Web.RulesApi::DeleteForward", "Router.Web.RulesApi::DeleteTrigger",
            "Router.Web.SettingsApi::GetFtp", "Router.Web.SettingsApi::GetNetwork", "Router.Web.SettingsApi::PutFtp",
            "Router.Web.SettingsApi::PutNetwork",
            "Router.Web.AdminApi::Backup", "Router.Web.AdminApi::Restore", "Router.Web.AdminApi::FactoryReset", "Router.Web.AdminApi::Reboot",
        };

        private static readonly string[] RequestEntryPoints =
        {
            "Router.Web.HttpRequestParser::Parse", "Router.Web.WebUi::Handle", "Router.Web.WebServer::Answer",
        };

        private static readonly Lazy<NanoAllocationGate> Gate = new Lazy<NanoAllocationGate>(() =>
            NanoAllocationGate.FromDirectory(AppContext.BaseDirectory, NanoAllocationPolicy.Assemblies, null));

        private readonly ITestOutputHelper _output;

        public NanoAllocationWebRequestTests(ITestOutputHelper output) { _output = output; }

        [Theory]
        [InlineData("GET /api/status (status page and its graphs, polled)", "Router.Web.StatusApi::Get")]
        [InlineData("GET / , /app.css, /app.js (a static file)", "Router.Web.StaticFiles::TryServe")]
        [InlineData("GET /api/session", "Router.Web.AuthApi::Session")]
        [InlineData("POST /api/logout", "Router.Web.AuthApi::Logout")]
        [InlineData("GET /api/devices", "Router.Web.DevicesApi::Get")]
        [InlineData("GET /api/connections", "Router.Web.ConnectionsApi::Get")]
        [InlineData("GET /api/forwards", "Router.Web.RulesApi::ListForwards")]
        [InlineData("GET /api/triggers", "Router.Web.RulesApi::ListTriggers")]
        [InlineData("GET /api/ftp", "Router.Web.SettingsApi::GetFtp")]
        [InlineData("GET /api/network", "Router.Web.SettingsApi::GetNetwork")]
        [InlineData("POST /api/reboot", "Router.Web.AdminApi::Reboot")]
        [InlineData("a refusal (400-505) or an unknown route", null)]
        public void A_steady_state_request_allocates_nothing_on_nanoCLR(string request, string handler)
        {
            NanoAllocationGate gate = Gate.Value;
            var otherRoutes = Handlers.Where(h => h != handler).ToDictionary(h => h, h => "another route's handler", StringComparer.Ordinal);
            AllocationGateResult result = gate.Analyse(RequestEntryPoints, otherRoutes, new Dictionary<string, string>());
            if (handler != null) Assert.Contains(gate.Resolve(handler), m => result.Reached.ContainsKey(m));
            _output.WriteLine(request + ": " + result.Violations.Count + " allocating instruction(s), " + NanoAllocationReport.Bytes(result.Violations)
                + " of nanoCLR heap if each ran once; " + result.Reached.Count + " methods reached");
            foreach (AllocationViolation v in result.Violations) _output.WriteLine("  " + v);
            Assert.Empty(result.Violations);
        }
    }
}
