using System.Linq;
using Router.Conntrack;
using Router.Helpers.Ftp;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Ftp.FtpTestSetups;

namespace Router.Tests.Ftp;

/// <summary>Whole FTP sessions through the router: scripted client and server speaking TCP segment by segment.</summary>
public class FtpSessionTests
{
    private static int Find(FtpNet net, uint src, uint dst, int sport, int dport) =>
        net.Router.Connections.Find(IpProtocol.Tcp, src, dst, sport, dport) >> 1;

    [Fact]
    public void ActiveModeWithTheClientBehindNat()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.ListenForData(1930);
        Assert.StartsWith("200 ", client.Command("PORT 10,0,0,5,7,138"));
        Assert.Equal(Wan, server.ActiveAddress);
        Assert.Equal(1930, server.ActivePort);
        Assert.StartsWith("150 ", client.Command("RETR file.bin"));

        server.OpenActiveData().Send("hello data");
        Assert.NotNull(client.Data);
        Assert.Equal("hello data", client.Data.Text);
        Assert.Equal(Remote, client.Data.Remote);
        Assert.Equal(20, client.Data.RemotePort);

        int control = Find(net, TenClient, Remote, 40000, 21);
        int data = Find(net, Remote, Wan, 20, 1930);
        Assert.True(net.Router.Connections.HasStatus(data, ConnectionTable.StatusRelated));
        Assert.Equal(control, net.Router.Connections.Link(data));
        Assert.Equal(1, net.FtpCounters[FtpCounters.Rewrites]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.ExpectationsCreated]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.ExpectationsUsed]);
        Assert.StartsWith("221 ", client.Command("QUIT"));
        AssertCleanTcp(net);
        Assert.Empty(net.Undelivered);
    }

    [Fact]
    public void PassiveModeWithTheClientBehindNatNeedsNoRewrite()
    {
        var (net, server, client) = ClientBehindNat();
        string reply = client.Command("PASV");
        Assert.Equal("227 Entering Passive Mode (198,51,100,7,204,173).\r\n", reply);
        client.ConnectPassive(reply);
        Assert.True(client.Data.Established);
        server.Data.Send("listing");
        Assert.Equal("listing", client.Data.Text);
        Assert.Equal(0, net.FtpCounters[FtpCounters.Rewrites]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
        AssertCleanTcp(net);
    }

    [Fact]
    public void PassiveModeWithTheServerBehindAForward()
    {
        var (net, server, client) = ServerBehindForward();
        string reply = client.Command("PASV");
        Assert.Contains("(203,0,113,2,204,173)", reply);
        client.ConnectPassive(reply);
        Assert.NotNull(server.Data);
        Assert.Equal(Remote, server.Data.Remote);
        client.Data.Send("STOR payload");
        Assert.Equal("STOR payload", server.Data.Text);
        int data = Find(net, Remote, Wan, 41000, 52397);
        Assert.True(net.Router.Connections.HasStatus(data, ConnectionTable.StatusRelated));
        Assert.Equal(1, net.FtpCounters[FtpCounters.ExpectationsUsed]);
        // Later commands and replies still line up after the reply grew by one byte.
        Assert.StartsWith("221 ", client.Command("QUIT"));
        AssertCleanTcp(net);
    }

    [Fact]
    public void ExtendedPassiveWithTheServerBehindAForwardCreatesTheExpectationWithoutRewriting()
    {
        var (net, server, client) = ServerBehindForward();
        string reply = client.Command("EPSV");
        Assert.Equal("229 Entering Extended Passive Mode (|||52397|)\r\n", reply);
        client.ConnectExtendedPassive(reply, Wan);
        Assert.NotNull(server.Data);
        server.Data.Send("data");
        Assert.Equal("data", client.Data.Text);
        Assert.Equal(0, net.FtpCounters[FtpCounters.Rewrites]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.ExpectationsUsed]);
        AssertCleanTcp(net);
    }

    [Fact]
    public void ExtendedPassiveOnAPortTakenOutsideIsRefused()
    {
        var (net, server, client) = ServerBehindForward();
        net.Firmware.DataPlane.Nat.Mappings.Acquire(IpProtocol.Tcp, Frames.Ip("172.16.9.9"), 52397, 1);
        client.Command("EPSV");
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedPortUnavailable]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
    }

    [Fact]
    public void ActiveModeWithTheServerBehindAForwardGoesOutThroughNat()
    {
        var (net, server, client) = ServerBehindForward();
        client.ListenForData(5000);
        client.Command("PORT 198,51,100,7,19,136");
        Assert.Equal("PORT 198,51,100,7,19,136", server.Commands.Last());
        server.OpenActiveData().Send("x");
        Assert.Equal("x", client.Data.Text);
        Assert.Equal(0, net.FtpCounters[FtpCounters.Rewrites]);
        AssertCleanTcp(net);
    }

    [Fact]
    public void RetransmissionOfALostRewrittenSegmentIsRewrittenIdentically()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        bool dropped = false;
        net.DropFromRouter = (toLan, f) =>
        {
            if (toLan || dropped || f.Length < 60 || f[54] != (byte)'P') return false;
            return dropped = true;
        };
        client.Command("PORT 10,0,0,5,7,138");
        Assert.True(dropped);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("PORT"));

        client.Control.Retransmit(client.Control.SentData.Count - 1);
        Assert.Equal("PORT 203,0,113,2,7,138", server.Commands.Last());
        Assert.StartsWith("200 ", client.NewReplies());
        Assert.Equal(1, net.FtpCounters[FtpCounters.RetransmissionsRewritten]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.ExpectationsCreated]);
        Assert.StartsWith("150 ", client.Command("RETR f"));
        AssertCleanTcp(net);
    }

    [Fact]
    public void RetransmissionTheServerAlreadyHasCarriesTheSameBytes()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Command("PORT 10,0,0,5,7,138");
        int index = client.Control.SentData.Count - 1;
        client.Command("NOOP");
        client.Control.Retransmit(index); // the server compares every retransmitted byte with what it holds
        client.Control.Retransmit(index);
        Assert.Equal(2, net.FtpCounters[FtpCounters.RetransmissionsRewritten]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.ExpectationsCreated]);
        Assert.StartsWith("221 ", client.Command("QUIT"));
        AssertCleanTcp(net);
    }

    [Fact]
    public void ACommandSplitMidLineIsJoinedAndRewritten()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Control.Send("PORT 10,0,0,5,");
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("PORT"));
        client.Control.Send("7,138\r\n");
        Assert.Equal("PORT 203,0,113,2,7,138", server.Commands.Last());
        Assert.Equal(1, net.FtpCounters[FtpCounters.SplitLinesJoined]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.Rewrites]);
        Assert.StartsWith("200 ", client.NewReplies());
        Assert.Equal(client.Control.SndNext, client.Control.SndUna); // everything the client sent is acknowledged
        client.ListenForData(1930);
        server.OpenActiveData().Send("ok");
        Assert.Equal("ok", client.Data.Text);
        AssertCleanTcp(net);
    }

    [Fact]
    public void AReplySplitAcrossSegmentsIsJoinedAndRewritten()
    {
        var (net, server, client) = ServerBehindForward();
        server.Control.Send("227 Entering Passive Mode (172,16,3,4");
        server.Control.Send(",204,173).\r\n");
        Assert.Equal("227 Entering Passive Mode (203,0,113,2,204,173).\r\n", client.NewReplies());
        Assert.Equal(1, net.FtpCounters[FtpCounters.SplitLinesJoined]);
        AssertCleanTcp(net);
    }

    [Fact]
    public void TransferOutlastingTheControlTimeoutKeepsTheIdleControlConnection()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        net.Listen(Remote, 80, onLan: false);
        net.Connect(TenClient, 45000, Remote, 80, onLan: true); // an idle connection that is not FTP
        client.ListenForData(1930);
        client.Command("PORT 10,0,0,5,7,138");
        client.Command("RETR big.iso");
        server.OpenActiveData();

        var connections = net.Router.Connections;
        int timeout = connections.Timeouts.TcpEstablished;
        for (int minute = 0; minute < 3 * timeout / 60; minute += 10)
        {
            net.Clock.Advance(600_000);
            server.Data.Send("chunk of a long download");
            connections.Sweep(net.NowSeconds, connections.Capacity);
        }
        Assert.True(net.NowSeconds > 3 * timeout);
        Assert.True(Find(net, TenClient, Remote, 40000, 21) >= 0);
        Assert.True(connections.Find(IpProtocol.Tcp, TenClient, Remote, 45000, 80) < 0, "an idle connection without data expires");

        server.Data.Close();
        Assert.True(client.Data.FinReceived);
        Assert.Equal("226 Transfer complete\r\n", ReplyAfter(server, client, "226 Transfer complete"));
        AssertCleanTcp(net);
    }

    private static string ReplyAfter(ScriptedFtpServer server, ScriptedFtpClient client, string reply)
    {
        server.Control.Send(reply + "\r\n");
        return client.NewReplies();
    }

    [Fact]
    public void InspectionStopsAfterAuthTlsIsAccepted()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        Assert.StartsWith("234 ", client.Command("AUTH TLS"));
        client.Command("PORT 10,0,0,5,7,138"); // stands in for ciphertext
        Assert.Equal("PORT 10,0,0,5,7,138", server.Commands.Last());
        Assert.Equal(1, net.FtpCounters[FtpCounters.TlsStopped]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.Rewrites]);
    }

    [Fact]
    public void OnlyConfiguredControlPortsAreInspected()
    {
        var net = new FtpNet(TenLan());
        net.AddLanHost(TenClient);
        var server = new ScriptedFtpServer(net, Remote, onLan: false, port: 2121);
        var client = new ScriptedFtpClient(net, TenClient, onLan: true, Remote, serverPort: 2121);
        client.Command("PORT 10,0,0,5,7,138");
        Assert.Equal("PORT 10,0,0,5,7,138", server.Commands.Last());

        Assert.True(net.Ftp.Settings.AddControlPort(2121));
        var second = new ScriptedFtpClient(net, TenClient, onLan: true, Remote, serverPort: 2121, localPort: 40001);
        server.Greet();
        second.NewReplies();
        second.Command("PORT 10,0,0,5,7,139");
        Assert.Equal("PORT 203,0,113,2,7,139", server.Commands.Last());
        AssertCleanTcp(net);
    }

    [Fact]
    public void TheHelperCanBeSwitchedOff()
    {
        var net = new FtpNet(TenLan());
        net.Ftp.Settings.Enabled = false;
        var (_, server, client) = ClientBehindNat(net: net, client: TenClient);
        client.Command("PORT 10,0,0,5,7,138");
        Assert.Equal("PORT 10,0,0,5,7,138", server.Commands.Last());
        Assert.Equal(0, net.FtpCounters[FtpCounters.CommandsSeen]);
    }

    [Fact]
    public void DataOnTheSynIsNotInspected()
    {
        var rig = new FtpNet(TenLan());
        rig.AddLanHost(TenClient);
        byte[] payload = System.Text.Encoding.ASCII.GetBytes("PORT 10,0,0,5,7,138\r\n");
        rig.Transmit(true, Frames.Tcp(RouterRig.RouterLanMac, rig.MacOf(TenClient), TenClient, Remote, 40000, 21, TcpSegment.Syn, 1000, 0, payload));
        var f = rig.Wan.Sent.Single();
        Assert.Equal("PORT 10,0,0,5,7,138\r\n", System.Text.Encoding.ASCII.GetString(f, 54, payload.Length));
        Assert.Equal(0, rig.FtpCounters[FtpCounters.CommandsSeen]);
    }

    [Fact]
    public void ClosingTheControlConnectionReleasesItsSlotAndExpectations()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Command("PORT 10,0,0,5,7,138");
        Assert.Equal(1, net.Ftp.Expectations.PendingCount);
        Assert.Equal(1, net.Ftp.Sessions.InUseCount);
        int control = Find(net, TenClient, Remote, 40000, 21);
        net.Router.Connections.Free(control);
        Assert.Equal(0, net.Ftp.Expectations.PendingCount);
        Assert.Equal(0, net.Ftp.Sessions.InUseCount);
        Assert.Equal(-1, net.Router.Nat.Mappings.FindByExternal(IpProtocol.Tcp, 1930));
    }

    [Fact]
    public void TheSameDataPortNamedAgainReplacesItsExpectationAndKeepsItsOutsidePort()
    {
        // More repeats than the table holds: with duplicates the table would fill, evict the oldest and, with it, give
        // back the outside port the newest PORT was rewritten to.
        var net = new FtpNet(TenLan(), new Capacities { Expectations = 2 });
        var (_, server, client) = ClientBehindNat(net: net, client: TenClient);
        for (int i = 0; i < 5; i++)
        {
            Assert.StartsWith("200 ", client.Command("PORT 10,0,0,5,7,138"));
            Assert.Equal("PORT 203,0,113,2,7,138", server.Commands.Last());
        }
        Assert.Equal(1, net.Ftp.Expectations.PendingCount);
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsEvicted]);
        Assert.Equal(5, net.FtpCounters[FtpCounters.ExpectationsCreated]);
        Assert.NotEqual(-1, net.Router.Nat.Mappings.FindByExternal(IpProtocol.Tcp, 1930));

        client.ListenForData(1930);
        Assert.StartsWith("150 ", client.Command("RETR file.bin"));
        server.OpenActiveData().Send("hello data");
        Assert.Equal("hello data", client.Data.Text);
        Assert.Equal(1, net.FtpCounters[FtpCounters.ExpectationsUsed]);
        Assert.Equal(0, net.Ftp.Expectations.PendingCount);
        AssertCleanTcp(net);
    }

    [Fact]
    public void WhenEveryHelperSlotIsTakenNewControlConnectionsPassUninspected()
    {
        var net = new FtpNet(TenLan(), new Capacities { HelperConnections = 1 });
        var (_, server, client) = ClientBehindNat(net: net, client: TenClient);
        var second = new ScriptedFtpClient(net, TenClient, onLan: true, Remote, localPort: 40001);
        second.Command("PORT 10,0,0,5,7,139");
        Assert.Equal("PORT 10,0,0,5,7,139", server.Commands.Last());
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedNoSlot]);
        client.Command("PORT 10,0,0,5,7,138");
        Assert.Equal("PORT 203,0,113,2,7,138", server.Commands.Last());
    }
}
