using System;
using System.Text;
using Router.Config;
using Router.Emulator;
using Router.Hal.Desktop;
using Router.Rules;
using Router.Web;
using Router.Wire;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Web;

/// <summary>
/// Steady-state web requests on CoreCLR: parsing, Host policy, session lookup, routing and every GET the pages poll or
/// list, answered by the router's own <see cref="WebUi"/> in place, allocate nothing (measured with
/// GC.GetAllocatedBytesForCurrentThread over many requests). On CoreCLR a literal or a struct costs nothing, so this
/// does not prove the nanoCLR side: <c>NanoAllocationWebRequestTests</c> and the IL gate do that. It catches string
/// building, ToString, concatenation, boxing and new objects, which allocate on both.
/// </summary>
public sealed class WebRequestAllocationTests
{
    private const int Requests = 200;
    private readonly ITestOutputHelper _output;

    public WebRequestAllocationTests(ITestOutputHelper output) { _output = output; }

    [Theory]
    [InlineData("GET /api/status")]
    [InlineData("GET /app.js")]
    [InlineData("GET /")]
    [InlineData("HEAD /app.css")]
    [InlineData("GET /api/session")]
    [InlineData("GET /api/devices")]
    [InlineData("GET /api/devices?page=1")]
    [InlineData("GET /api/connections?page=0")]
    [InlineData("GET /api/forwards")]
    [InlineData("GET /api/triggers")]
    [InlineData("GET /api/ftp")]
    [InlineData("GET /api/network")]
    [InlineData("GET /api/nothing")]
    [InlineData("DELETE /api/status")]
    public void A_steady_state_request_allocates_nothing_on_CoreCLR(string requestLine)
    {
        var clock = new ManualClock(0);
        using var host = new EmulatorHost(new EmulatorOptions { LanHosts = 2 }, clock);
        for (int i = 0; i < 400; i++)
        {
            clock.Advance(50);
            if (i % 5 == 0) host.GenerateTraffic();
            host.Step(); // the hosts lease addresses and talk: devices, connections and graphs have rows
        }
        Assert.True(host.Firmware.DataPlane.Connections.Count > 0);
        WebUi web = host.Web;
        AddRules(web);
        // A coded event from the packet path (an FTPS server): /api/status writes its text from pieces.
        web.Context.Events.Record(clock.NowMilliseconds, StatusEvent.FtpsServer, Ipv4Address.Make(192, 168, 1, 100));
        int session = web.Context.Sessions.Create(clock.NowMilliseconds);
        byte[] wire = Encoding.ASCII.GetBytes(requestLine + " HTTP/1.1\r\nHost: 192.168.1.1\r\nCookie: sid=" + web.Context.Sessions.Id(session) +
            "\r\nX-CSRF-Token: " + web.Context.Sessions.Csrf(session) + "\r\nConnection: keep-alive\r\n\r\n");
        var limits = new HttpLimits();
        var buffer = new byte[limits.BufferBytes];
        var parser = new HttpRequestParser(limits);
        var request = new HttpRequest();
        var response = new HttpResponse(limits.HeadBytes, buffer);

        int status = Serve(web, wire, buffer, parser, request, response);
        for (int i = 0; i < 100; i++) Serve(web, wire, buffer, parser, request, response); // JIT tiers, static constructors
        Assert.True(status == 200 || status == 404 || status == 405, requestLine + " answered " + status);
        Assert.True(response.HeadLength > 0);
        // The least of 5 rounds: an allocation in the request path shows in every round; the runtime's own one-off
        // allocations on this thread (JIT tiering under load) do not.
        long perRequest = long.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Requests; i++) Serve(web, wire, buffer, parser, request, response);
            perRequest = Math.Min(perRequest, (GC.GetAllocatedBytesForCurrentThread() - before) / Requests);
        }
        _output.WriteLine($"{requestLine}: {status}, {response.HeadLength + response.BodyLength} bytes answered, {perRequest} B allocated per request (CoreCLR)");
        Assert.Equal(0, perRequest);
    }

    /// <summary>A forward and a trigger, so the rule lists have rows to write.</summary>
    private static void AddRules(WebUi web)
    {
        RouterConfig draft = web.Context.Editor.Draft();
        PortForward f = draft.AddForward();
        f.Name = "web";
        f.Enabled = true;
        f.Protocol = RuleProtocol.Tcp;
        f.ExternalPort = f.ExternalPortEnd = 8080;
        f.InternalAddress = Ipv4Address.Make(192, 168, 1, 100);
        f.InternalPort = 80;
        f.AllowedSource = Ipv4Address.Make(198, 51, 100, 0);
        f.AllowedSourcePrefixLength = 24;
        f.SetPoolMember(1, Ipv4Address.Make(192, 168, 1, 101)); // a pool: the list writes its members
        PortTrigger t = draft.AddTrigger();
        t.Name = "game";
        t.Enabled = true;
        t.TriggerProtocol = RuleProtocol.Tcp;
        t.TriggerPort = t.TriggerPortEnd = 6000;
        t.OpenProtocol = RuleProtocol.Udp;
        t.OpenPort = 7000;
        t.OpenPortEnd = 7010;
        t.IdleTimeoutSeconds = 60;
        ValidationResult result = web.Context.Editor.Commit(draft, "rules for the test", null);
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Coded_events_and_pools_read_the_same_as_their_string_forms()
    {
        var clock = new ManualClock(0);
        using var host = new EmulatorHost(new EmulatorOptions { LanHosts = 1 }, clock);
        host.Step();
        WebUi web = host.Web;
        AddRules(web);
        uint server = Ipv4Address.Make(192, 168, 1, 100);
        web.Context.Events.Record(clock.NowMilliseconds, StatusEvent.FtpsServer, server);
        web.Context.Events.Record(clock.NowMilliseconds, 9, server); // a kind this build has no words for
        int session = web.Context.Sessions.Create(clock.NowMilliseconds);
        string cookie = " HTTP/1.1\r\nHost: 192.168.1.1\r\nCookie: sid=" + web.Context.Sessions.Id(session) + "\r\n\r\n";
        var limits = new HttpLimits();
        var buffer = new byte[limits.BufferBytes];
        var parser = new HttpRequestParser(limits);
        var request = new HttpRequest();
        var response = new HttpResponse(limits.HeadBytes, buffer);

        Assert.Equal(200, Serve(web, Encoding.ASCII.GetBytes("GET /api/status" + cookie), buffer, parser, request, response));
        string status = Encoding.ASCII.GetString(response.Body, response.BodyOffset, response.BodyLength);
        Assert.Contains("\"" + StatusEvent.Text(StatusEvent.FtpsServer, server) + "\"", status);
        Assert.Contains("\"" + StatusEvent.Text(9, server) + "\"", status);
        Assert.Contains("\"FTPS server at 192.168.1.100: forward its passive port range and set its external address\"", status);
        Assert.Contains("\"event 9 at 192.168.1.100\"", status);

        Assert.Equal(200, Serve(web, Encoding.ASCII.GetBytes("GET /api/forwards" + cookie), buffer, parser, request, response));
        string forwards = Encoding.ASCII.GetString(response.Body, response.BodyOffset, response.BodyLength);
        Assert.Contains("\"pool\":\"192.168.1.101\"", forwards);
    }

    /// <summary>What <see cref="WebServer"/> does with a complete request, minus TCP: parse in place, then handle.</summary>
    private static int Serve(WebUi web, byte[] wire, byte[] buffer, HttpRequestParser parser, HttpRequest request, HttpResponse response)
    {
        Buffer.BlockCopy(wire, 0, buffer, 0, wire.Length);
        request.Reset(buffer);
        parser.Reset();
        if (parser.Parse(buffer, wire.Length, request) != HttpRequestParser.Complete) return -1;
        response.Reset(request.KeepAlive, request.Method == HttpMethod.Head);
        web.Handle(request, response);
        return response.Status;
    }
}
