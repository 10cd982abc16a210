using System.Diagnostics;
using System.Text;
using System.Threading;
using Router.Web;
using Xunit;

namespace Router.Tests.Web;

/// <summary>
/// The server at the byte level: raw requests over loopback sockets, relayed by the emulator's bridge into the router's
/// own TCP: exact status codes, deadlines and slots.
/// </summary>
public sealed class HttpServerTests
{
    /// <summary>GET / answers "hello"; POST /echo answers the body's length; everything else 404.</summary>
    private sealed class HelloHandler : IHttpHandler
    {
        public void Handle(HttpRequest request, HttpResponse response)
        {
            if (request.PathIs("/") && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head))
            {
                int n = Router.Web.Ascii.Write(response.Scratch, 0, "hello");
                response.SendScratch(HttpStatus.Ok, HttpResponse.Text, n);
            }
            else if (request.PathIs("/echo") && request.Method == HttpMethod.Post)
            {
                int n = Router.Web.Ascii.WriteDecimal(response.Scratch, 0, request.BodyLength);
                response.SendScratch(HttpStatus.Ok, HttpResponse.Text, n);
            }
            else response.SendText(HttpStatus.NotFound, "not found");
        }
    }

    private static HttpLimits Limits(int requestTimeoutMs = 1500) => new()
    {
        RequestTimeoutMs = requestTimeoutMs,
        KeepAliveTimeoutMs = 3000,
        WriteTimeoutMs = 3000,
    };

    private static RunningServer Start(int connections = 4, int requestTimeoutMs = 1500) => new(new HelloHandler(), Limits(requestTimeoutMs), connections);

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 200)]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", 400)]                                   // HTTP/1.1 without Host
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400)]           // duplicate Host
    [InlineData("GET / HTTP/1.1\nHost: x\r\n\r\n", 400)]                          // bare LF
    [InlineData("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400)]                       // space before colon
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400)]             // obs-fold
    [InlineData("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400)]                     // space in target
    [InlineData("GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", 400)]                // absolute-form not served
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400)]
    [InlineData("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nz", 400)]
    [InlineData("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n\r\n", 413)]
    [InlineData("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n", 413)]
    [InlineData("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 501)]
    [InlineData("BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 501)]
    [InlineData("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505)]
    [InlineData("GET / HTTX/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n", 404)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", 200)]                                    // 1.0 needs no Host
    public void Request_gets_its_status(string request, int status)
    {
        using var server = Start();
        Assert.Equal(status, RawHttp.Exchange(server.Port, request).Status);
    }

    [Fact]
    public void Oversized_request_line_is_414_and_oversized_head_is_431()
    {
        using var server = Start();
        var limits = new HttpLimits();
        string longTarget = "/" + new string('a', limits.MaxRequestLine);
        Assert.Equal(414, RawHttp.Exchange(server.Port, "GET " + longTarget + " HTTP/1.1\r\nHost: x\r\n\r\n").Status);
        // The line is refused as soon as it is too long, before any line end arrives.
        Assert.Equal(414, RawHttp.Exchange(server.Port, "GET " + longTarget).Status);

        string bigHeader = "X-Filler: " + new string('b', limits.MaxHeadBytes) + "\r\n";
        Assert.Equal(431, RawHttp.Exchange(server.Port, "GET / HTTP/1.1\r\nHost: x\r\n" + bigHeader + "\r\n").Status);

        var many = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < limits.MaxHeaderCount; i++) many.Append("X-H").Append(i).Append(": v\r\n");
        Assert.Equal(431, RawHttp.Exchange(server.Port, many + "\r\n").Status);
    }

    [Fact]
    public void Body_arriving_in_pieces_is_assembled_and_keep_alive_serves_a_second_request()
    {
        using var server = Start();
        using var client = new RawHttp(server.Port);
        client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234");
        Thread.Sleep(100);
        client.Send("56789");
        var first = client.Read();
        Assert.Equal(200, first.Status);
        Assert.Equal("10", first.Body);
        Assert.Equal("keep-alive", first.Header("Connection"));
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("hello", client.Read().Body);
    }

    [Fact]
    public void Slowloris_client_does_not_block_another_client_and_gets_408()
    {
        using var server = Start(requestTimeoutMs: 1500);
        using var slow = new RawHttp(server.Port);
        using var silent = new RawHttp(server.Port); // half-open: connects and never sends
        string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        var watch = Stopwatch.StartNew();
        int served = 0;
        long worstMs = 0;
        int sent = 0;
        while (watch.ElapsedMilliseconds < 1200)
        {
            slow.Send(request.Substring(sent++, 1)); // one byte at a time, never finishing within the deadline
            var one = Stopwatch.StartNew();
            Assert.Equal("hello", RawHttp.Exchange(server.Port, request).Body);
            worstMs = System.Math.Max(worstMs, one.ElapsedMilliseconds);
            served++;
            Thread.Sleep(100);
        }
        Assert.True(served >= 5, "served " + served);
        Assert.True(worstMs < 500, "a normal request waited " + worstMs + " ms behind the slow client");
        var timedOut = slow.Read(3000);
        Assert.Equal(408, timedOut.Status);
        Assert.True(silent.ClosedWithin(2000), "a client that never sent anything is dropped at the deadline");
        Assert.True(server.Server.TimedOut >= 2);
    }

    [Fact]
    public void With_every_slot_taken_a_newcomer_evicts_the_connection_that_made_least_progress()
    {
        using var server = Start(connections: 2, requestTimeoutMs: 5000);
        using var a = new RawHttp(server.Port);
        a.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, a.Read().Status); // a has been served and waits in keep-alive
        using var b = new RawHttp(server.Port);
        b.Send("GET / HTTP/1.1\r\n");      // b stalls mid-request
        Thread.Sleep(200);
        Assert.Equal(200, RawHttp.Exchange(server.Port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").Status);
        Assert.True(b.ClosedWithin(1000), "the stalled connection made room for the newcomer");
        a.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, a.Read().Status); // the served client kept its slot
        Assert.Equal(1, server.Firmware.DataPlane.Counters[Counters.TcpEvicted]);
    }

    [Fact]
    public void Ten_slowloris_connections_do_not_keep_a_normal_user_out()
    {
        using var server = Start(connections: 4, requestTimeoutMs: 10000);
        var slow = new System.Collections.Generic.List<RawHttp>();
        try
        {
            for (int i = 0; i < 10; i++)
            {
                var s = new RawHttp(server.Port);
                s.Send("GET / HTTP/1.1\r\nHo"); // and never more
                slow.Add(s);
                Thread.Sleep(20);
            }
            Thread.Sleep(200);
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < 5; i++)
            {
                foreach (var s in slow) { try { s.Send("s"); } catch (System.Net.Sockets.SocketException) { } }
                using var user = new RawHttp(server.Port);
                user.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                Assert.Equal("hello", user.Read(2000).Body);
                user.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"); // and again on the same connection
                Assert.Equal("hello", user.Read(2000).Body);
            }
            Assert.True(watch.ElapsedMilliseconds < 5000, "5 users took " + watch.ElapsedMilliseconds + " ms");
            Assert.True(server.Firmware.DataPlane.Counters[Counters.TcpEvicted] >= 6);
        }
        finally
        {
            foreach (var s in slow) s.Dispose();
        }
    }

    [Fact]
    public void Head_request_gets_headers_without_body()
    {
        using var server = Start();
        using var client = new RawHttp(server.Port);
        client.Send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        string raw = client.ReadRaw(500);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", raw);
        Assert.Contains("\r\nContent-Length: 5\r\n", raw); // the length a GET would have
        Assert.EndsWith("\r\n\r\n", raw);                  // and no body
    }
}
