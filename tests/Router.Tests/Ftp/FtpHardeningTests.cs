using System.Linq;
using System.Text;
using Router.Boards;
using Router.Conntrack;
using Router.Helpers.Ftp;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Ftp.FtpTestSetups;

namespace Router.Tests.Ftp;

/// <summary>
/// The helper follows only FTP (NAT slipstreaming, a non-FTP service on a control port), keeps netfilter's own rules
/// (line starts, max_expected), never wedges a control connection, gives its slots back when sessions close, and
/// relates every data connection of a session to its control connection for keep-alive.
/// </summary>
public class FtpHardeningTests
{
    private const string Slipstream = "POST /upload HTTP/1.1\r\nHost: attacker.example\r\nContent-Length: 64\r\n\r\n";
    private const string Injected = "\r\nPORT 10,0,0,5,7,138\r\n";

    /// <summary>NAT Slipstreaming: a browser's HTTP POST to port 21 whose body carries a PORT line, at every segment split.</summary>
    [Fact]
    public void AnHttpPostWhoseBodyHoldsAPortLineOpensNothingAtAnySplit()
    {
        byte[] body = Encoding.ASCII.GetBytes(Slipstream + "xx" + Injected);
        for (int split = 1; split < body.Length; split++)
        {
            var net = new FtpNet(TenLan());
            net.AddLanHost(TenClient);
            TcpEndpoint server = null;
            net.Listen(Remote, 21, onLan: false, e => server = e);
            TcpEndpoint browser = net.Connect(TenClient, 40000, Remote, 21, onLan: true);
            browser.Send(body[..split]);
            browser.Send(body[split..]);
            Assert.Equal(Encoding.ASCII.GetString(body), server.Text); // nothing rewritten, nothing dropped
            Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
            Assert.Equal(0, net.FtpCounters[FtpCounters.Rewrites]);
            Assert.Equal(-1, net.Router.Nat.Mappings.FindByExternal(IpProtocol.Tcp, 1930));
            // Either the request line was read whole (no FTP command: inspection off) or the split left the rest of the
            // body in a segment that continues a line (not parsed at all).
            Assert.True(net.FtpCounters[FtpCounters.NotFtp] + net.FtpCounters[FtpCounters.SegmentsNotAtLineStart] >= 1, $"split {split}");
        }
    }

    /// <summary>A non-FTP service behind a forward of port 21 that echoes what it is sent never gets a 227 acted on.</summary>
    [Fact]
    public void AnEchoServiceBehindAForwardOfPort21OpensNothing()
    {
        var net = new FtpNet(Lan172());
        net.Firmware.DataPlane.Nat.AddInboundRule(new ForwardDouble { Inside = Server172 });
        net.AddLanHost(Server172);
        int echoed = 0;
        net.Listen(Server172, 21, onLan: true, e => e.OnData = d =>
        {
            string fresh = d.Text[echoed..];
            echoed = d.Text.Length;
            d.Send(fresh);
        });
        TcpEndpoint attacker = net.Connect(Remote, 40000, Wan, 21, onLan: false);
        attacker.Send("227 Entering Passive Mode (172,16,3,4,204,173).\r\n");
        Assert.Contains("172,16,3,4", attacker.Text); // echoed as is: not rewritten
        Assert.Equal(0, net.Ftp.Expectations.PendingCount);
        Assert.Equal(0, net.FtpCounters[FtpCounters.Rewrites]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.NotFtp]);
        AssertCleanTcp(net);
    }

    [Fact]
    public void AServerLineThatIsNoReplyEndsInspectionForGood()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        server.Control.Send("HTTP/1.1 400 Bad Request\r\n");
        client.Command("PORT 10,0,0,5,7,138");
        Assert.Equal("PORT 10,0,0,5,7,138", server.Commands.Last());
        Assert.Equal(1, net.FtpCounters[FtpCounters.NotFtp]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
    }

    [Fact]
    public void TextInsideAMultilineReplyIsNeverActedOn()
    {
        var (net, server, client) = ServerBehindForward();
        server.Control.Send("211-Features:\r\n227 Entering Passive Mode (172,16,3,4,204,173).\r\n EPSV\r\n211 End\r\n");
        Assert.Contains("(172,16,3,4,204,173)", client.NewReplies());
        Assert.Equal(0, net.Ftp.Expectations.PendingCount);
        Assert.Equal(0, net.FtpCounters[FtpCounters.NotFtp]);
        Assert.StartsWith("227 Entering Passive Mode (203,0,113,2,", client.Command("PASV")); // still inspected after the reply
    }

    [Fact]
    public void CommonClientVerbsKeepInspectionOn()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        foreach (string command in new[] { "FEAT", "OPTS UTF8 ON", "SYST", "PWD", "TYPE I", "SIZE a", "MDTM a", "REST 0", "EPSV", "MLSD", "LANG EN", "HOST ftp.example", "NOOP", "PRET RETR a", "CLNT lftp", "MFMT 20260101000000 a" })
        {
            client.Command(command);
        }
        client.Control.Send(new byte[] { 0xFF, 0xF4, 0xFF, 0xF2, (byte)'A', (byte)'B', (byte)'O', (byte)'R', 13, 10 }); // Telnet IP, DM (RFC 959 4.1.3)
        client.Command("PORT 10,0,0,5,7,138");
        Assert.Equal("PORT 203,0,113,2,7,138", server.Commands.Last());
        Assert.Equal(0, net.FtpCounters[FtpCounters.NotFtp]);
    }

    /// <summary>netfilter parses only segments that follow a newline-ended one: a PORT after a line end inside a segment that continues a line is data.</summary>
    [Fact]
    public void ASegmentThatContinuesALineIsNotParsed()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Control.Send("NOOP");
        client.Control.Send(Injected);
        Assert.Equal("PORT 10,0,0,5,7,138", server.Commands.Last());
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.SegmentsNotAtLineStart]);
        Assert.Equal("PORT 203,0,113,2,7,139", Rewritten(server, client, "PORT 10,0,0,5,7,139")); // the next line is a line again
    }

    /// <summary>A command typed one byte per segment, the sender waiting for each ACK: the held byte's retransmission passes it on.</summary>
    [Fact]
    public void ACommandSentOneBytePerSegmentWithNagleReachesTheServer()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        string line = "PORT 10,0,0,5,7,138\r\n";
        client.Control.Send(line[..1]); // held back: no ACK comes
        client.Control.Retransmit(client.Control.SentData.Count - 1);
        foreach (char c in line[1..]) client.Control.Send(c.ToString());
        Assert.Equal("PORT 10,0,0,5,7,138", server.Commands.Last()); // reached the server, uninspected
        Assert.Equal(1, net.FtpCounters[FtpCounters.LinesPassedUninspected]);
        Assert.Equal("PORT 203,0,113,2,7,139", Rewritten(server, client, "PORT 10,0,0,5,7,139"));
        AssertCleanTcp(net);
    }

    /// <summary>The same without waiting for ACKs: held at most <see cref="FtpLineBuffers.MaxHolds"/> times, then passed on.</summary>
    [Fact]
    public void ACommandSentOneBytePerSegmentWithoutWaitingIsHeldABoundedNumberOfTimes()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        foreach (char c in "PORT 10,0,0,5,7,138\r\n") client.Control.Send(c.ToString());
        Assert.Equal("PORT 10,0,0,5,7,138", server.Commands.Last());
        Assert.Equal(1, net.FtpCounters[FtpCounters.LinesPassedUninspected]);
        Assert.Equal(FtpLineBuffers.MaxHolds, net.FtpCounters[FtpCounters.SplitLinesJoined]);
        AssertCleanTcp(net);
    }

    /// <summary>netfilter's max_expected (1 for FTP): a newer expectation of the same control connection evicts its oldest.</summary>
    [Fact]
    public void AControlConnectionHoldsAtMostMaxExpectedExpectations()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Command("PORT 10,0,0,5,7,138");
        client.Command("PORT 10,0,0,5,7,139");
        client.Command("PORT 10,0,0,5,7,140");
        Assert.Equal(1, net.Ftp.Expectations.PendingCount);
        Assert.Equal(2, net.FtpCounters[FtpCounters.ExpectationsEvicted]);
        Assert.Equal(-1, net.Router.Nat.Mappings.FindByExternal(IpProtocol.Tcp, 1930)); // the evicted ones' ports went back
        Assert.True(net.Router.Nat.Mappings.FindByExternal(IpProtocol.Tcp, 1932) >= 0);
    }

    [Fact]
    public void ASlotIsFreedWhenItsControlConnectionClosesBothWays()
    {
        var net = new FtpNet(TenLan(), BoardProfiles.Esp32Ethernet().Capacities);
        int slots = net.Ftp.Sessions.Capacity;
        for (int session = 0; session < slots + 2; session++)
        {
            var (_, server, client) = ClientBehindNat(net: net, client: TenClient, localPort: 40000 + session);
            Assert.Equal($"PORT 203,0,113,2,7,{session}", Rewritten(server, client, $"PORT 10,0,0,5,7,{session}"));
            client.Control.Close();
            server.Control.Close();
        }
        Assert.Equal(0, net.Ftp.Sessions.InUseCount);
        Assert.Equal(slots + 2, net.FtpCounters[FtpCounters.SlotsFreed]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.RefusedNoSlot]);
        AssertCleanTcp(net);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // the server closed after QUIT, the client never does (a hung client)
    public void ASlotOfAClosingControlConnectionIsReclaimedBeforeRefusing(bool clientCloses)
    {
        var net = new FtpNet(TenLan(), BoardProfiles.Esp32Ethernet().Capacities);
        int slots = net.Ftp.Sessions.Capacity;
        for (int session = 0; session < slots; session++)
        {
            var (_, held, client) = ClientBehindNat(net: net, client: TenClient, localPort: 40000 + session);
            (clientCloses ? client.Control : held.Control).Close(); // half closed: the other side has not closed yet
        }
        Assert.Equal(slots, net.Ftp.Sessions.InUseCount);
        var (_, server, next) = ClientBehindNat(net: net, client: TenClient, localPort: 40100);
        Assert.Equal("PORT 203,0,113,2,7,200", Rewritten(server, next, "PORT 10,0,0,5,7,200"));
        Assert.Equal(1, net.FtpCounters[FtpCounters.SlotsReclaimed]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.RefusedNoSlot]);
    }

    [Fact]
    public void ASessionReusingAClosedOnesPortsStartsWithFreshOffsets()
    {
        var net = new FtpNet(TenLan());
        for (int round = 0; round < 2; round++)
        {
            var (_, server, client) = ClientBehindNat(net: net, client: TenClient, localPort: 40000);
            Assert.Equal($"PORT 203,0,113,2,7,{round}", Rewritten(server, client, $"PORT 10,0,0,5,7,{round}")); // 3 bytes longer
            Assert.Equal("502 Command not implemented\r\n", client.Command("NOOP")); // ACKs and replies line up
            client.Control.Close();
            server.Control.Close();
        }
        Assert.Equal(2, net.FtpCounters[FtpCounters.Rewrites]);
        AssertCleanTcp(net); // the second session's ACKs were not moved by the first one's offsets
    }

    /// <summary>
    /// 100 FTP sessions over 60 s on esp32-eth (4 helper slots), three at a time, each with an active-mode rewrite and
    /// a close: every one is rewritten, because slots come back when sessions close.
    /// </summary>
    [Fact]
    public void AHundredSessionsInAMinuteOnEsp32AreAllRewritten()
    {
        var net = new FtpNet(TenLan(), BoardProfiles.Esp32Ethernet().Capacities);
        long start = net.Clock.NowMilliseconds;
        int rewritten = 0;
        for (int batch = 0; batch < 34; batch++)
        {
            var open = Enumerable.Range(0, batch == 33 ? 1 : 3)
                .Select(i => ClientBehindNat(net: net, client: TenClient, localPort: 40000 + batch * 3 + i)).ToList();
            foreach (var (_, server, client) in open)
            {
                int port = 2000 + rewritten;
                string reply = Rewritten(server, client, $"PORT 10,0,0,5,{port >> 8},{port & 255}");
                if (reply == $"PORT 203,0,113,2,{port >> 8},{port & 255}") rewritten++;
            }
            foreach (var (_, server, client) in open)
            {
                client.Command("QUIT");
                client.Control.Close();
                server.Control.Close();
            }
            net.Clock.Advance(1750);
        }
        Assert.Equal(100, rewritten);
        Assert.True(net.Clock.NowMilliseconds - start <= 60_000);
        Assert.Equal(100, net.FtpCounters[FtpCounters.SlotsFreed]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.RefusedNoSlot]);
        AssertCleanTcp(net);
    }

    public enum KeepAliveCase { ClientActive, ClientPassive, ServerActive, ServerPassive }

    /// <summary>A transfer three established timeouts long keeps the idle control connection, in all four cases.</summary>
    [Theory]
    [InlineData(KeepAliveCase.ClientActive)]
    [InlineData(KeepAliveCase.ClientPassive)]
    [InlineData(KeepAliveCase.ServerActive)]
    [InlineData(KeepAliveCase.ServerPassive)]
    public void DataTrafficKeepsTheControlConnectionAliveInEveryMode(KeepAliveCase mode)
    {
        var (net, server, client, dataSender, controlNode) = OpenTransfer(mode);
        var connections = net.Router.Connections;
        int timeout = connections.Timeouts.TcpEstablished;
        for (int elapsed = 0; elapsed < 3 * timeout; elapsed += 600)
        {
            net.Clock.Advance(600_000);
            dataSender().Send("chunk of a long transfer");
            connections.Sweep(net.NowSeconds, connections.Capacity);
        }
        Assert.True(controlNode() >= 0, "the control connection outlived its timeout through its data connection");
        Assert.Equal("200 Type set\r\n", client.Command("TYPE I"));
        AssertCleanTcp(net);
    }

    [Theory]
    [InlineData(KeepAliveCase.ClientPassive)]
    [InlineData(KeepAliveCase.ServerActive)]
    public void WithoutDataTheControlConnectionStillTimesOut(KeepAliveCase mode)
    {
        var (net, _, _, _, controlNode) = OpenTransfer(mode);
        var connections = net.Router.Connections;
        Assert.Equal(1, net.Ftp.Sessions.InUseCount);
        net.Clock.Advance((connections.Timeouts.TcpEstablished + 1) * 1000L);
        connections.Sweep(net.NowSeconds, connections.Capacity);
        Assert.True(controlNode() < 0);
        // The slot went with the expired entry, and is counted like one freed at close.
        Assert.Equal(0, net.Ftp.Sessions.InUseCount);
        Assert.Equal(1, net.FtpCounters[FtpCounters.SlotsFreed]);
    }

    private static (FtpNet, ScriptedFtpServer, ScriptedFtpClient, System.Func<TcpEndpoint>, System.Func<int>) OpenTransfer(KeepAliveCase mode)
    {
        bool clientInside = mode is KeepAliveCase.ClientActive or KeepAliveCase.ClientPassive;
        var (net, server, client) = clientInside ? ClientBehindNat(TenLan(), TenClient) : ServerBehindForward();
        bool passive = mode is KeepAliveCase.ClientPassive or KeepAliveCase.ServerPassive;
        if (passive)
        {
            client.ConnectPassive(client.Command("PASV"));
        }
        else
        {
            const int port = 1930;
            client.ListenForData(port);
            uint named = clientInside ? TenClient : Remote;
            client.Command($"PORT {named >> 24},{(named >> 16) & 255},{(named >> 8) & 255},{named & 255},{port >> 8},{port & 255}");
            server.OpenActiveData();
        }
        client.Command("RETR big.iso");
        Assert.NotNull(server.Data);
        Assert.True(server.Data.Established && client.Data.Established);
        uint inside = clientInside ? TenClient : Server172;
        var connections = net.Router.Connections;
        int Control() => clientInside
            ? connections.Find(IpProtocol.Tcp, TenClient, Remote, 40000, 21)
            : connections.Find(IpProtocol.Tcp, Remote, Wan, 40000, 21);
        return (net, server, client, () => server.Data, Control);
    }

    private static string Rewritten(ScriptedFtpServer server, ScriptedFtpClient client, string line)
    {
        client.Command(line);
        return server.Commands.Last();
    }
}
