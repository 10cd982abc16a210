using System.Linq;
using Router.Helpers.Ftp;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Ftp.FtpTestSetups;

namespace Router.Tests.Ftp;

/// <summary>Each refusal: nothing rewritten, no expectation (or no claim), the reason counted.</summary>
public class FtpSecurityTests
{
    [Theory]
    [InlineData("PORT 10,0,0,6,7,138")]      // another LAN host
    [InlineData("PORT 198,51,100,99,0,25")]  // a third party's mail server (FTP bounce, RFC 2577)
    [InlineData("EPRT |1|198.51.100.99|25|")]
    public void PortNamingAnotherAddressIsRefused(string command)
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Command(command);
        Assert.Equal(command, server.Commands.Last());
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedBounce]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
    }

    [Theory]
    [InlineData("PORT 10,0,0,5,0,21")]
    [InlineData("EPRT |1|10.0.0.5|1023|")]
    public void DataPortBelow1024IsRefused(string command)
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Command(command);
        Assert.Equal(command, server.Commands.Last());
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedLowPort]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
    }

    [Fact]
    public void PassiveReplyNamingAnotherAddressIsRefused()
    {
        var (net, server, client) = ServerBehindForward();
        server.Control.Send("227 Entering Passive Mode (172,16,3,9,204,173).\r\n");
        Assert.Equal("227 Entering Passive Mode (172,16,3,9,204,173).\r\n", client.NewReplies());
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedWrongServerAddress]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
    }

    [Fact]
    public void PassiveReplyWithALowPortIsRefused()
    {
        var (net, server, client) = ServerBehindForward();
        server.Control.Send("227 Entering Passive Mode (172,16,3,4,0,22).\r\n");
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedLowPort]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
    }

    [Fact]
    public void ASegmentStartingMidLineIsNotACommand()
    {
        // NAT slipstreaming: padding makes "PORT ..." start a TCP segment though it is inside a line.
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Control.Send("SITE padding-padding-padding ");
        client.Control.Send("PORT 10,0,0,5,7,138\r\n");
        Assert.Equal("SITE padding-padding-padding PORT 10,0,0,5,7,138", server.Commands.Last());
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedNotAtLineStart]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.Rewrites]);
    }

    [Fact]
    public void AVerbAfterABareLineFeedIsNotACommand()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Control.Send("NOOP\nPORT 10,0,0,5,7,138\r\n");
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedNotAtLineStart]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.Rewrites]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
    }

    [Fact]
    public void ExpectationIsOnlyForItsPeer()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.ListenForData(1930);
        client.Command("PORT 10,0,0,5,7,138");
        var stranger = Frames.Ip("198.51.100.99");
        net.Listen(stranger, 20, onLan: false);
        net.Connect(stranger, 20, Wan, 1930, onLan: false);
        Assert.Null(client.Data);
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedWrongPeer]);

        server.OpenActiveData().Send("still works");
        Assert.Equal("still works", client.Data.Text);
    }

    [Fact]
    public void ExpectationIsUsedOnce()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.ListenForData(1930);
        client.Command("PORT 10,0,0,5,7,138");
        server.OpenActiveData();
        var first = client.Data;
        Assert.NotNull(first);
        client.Data = null;
        net.Connect(Remote, 2020, Wan, 1930, onLan: false);
        Assert.Null(client.Data);
        Assert.Equal(1, net.FtpCounters[FtpCounters.ExpectationsUsed]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedUsedTwice]);
    }

    [Fact]
    public void ExpectationExpiresAfterItsTimeout()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.ListenForData(1930);
        client.Command("PORT 10,0,0,5,7,138");
        net.Clock.Advance((FtpHelperSettings.DefaultExpectationTimeoutSeconds + 1) * 1000L);
        server.OpenActiveData();
        Assert.Null(client.Data);
        Assert.Equal(1, net.FtpCounters[FtpCounters.ExpectationsExpired]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.RefusedAfterTimeout]);
        Assert.Equal(-1, net.Router.Nat.Mappings.FindByExternal(IpProtocol.Tcp, 1930)); // the outside port is free again
    }

    [Fact]
    public void ExpectationTimeoutIsConfigurable()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        net.Ftp.Settings.ExpectationTimeoutSeconds = 300;
        client.ListenForData(1930);
        client.Command("PORT 10,0,0,5,7,138");
        net.Clock.Advance(200_000);
        server.OpenActiveData();
        Assert.NotNull(client.Data);
    }

    [Fact]
    public void ARewriteThatWouldExceedTheMtuIsRefused()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        int mtu = net.Router.Settings.WanMtu;
        // A full-sized segment ending in a PORT line: growing it by 3 bytes would not fit.
        string line = "PORT 10,0,0,5,7,138\r\n";
        string filler = new string('x', mtu - 40 - line.Length - 2) + "\r\n";
        int commands = server.Commands.Count;
        client.Control.Send(filler + line);
        // Dropped, as netfilter's nf_nat_ftp drops what it cannot mangle: the private address never leaves, and the
        // retransmission is read (and dropped) again rather than slipping through uninspected.
        Assert.Equal(commands, server.Commands.Count);
        client.Control.Retransmit(client.Control.SentData.Count - 1);
        Assert.Equal(commands, server.Commands.Count);
        Assert.Equal(2, net.FtpCounters[FtpCounters.RefusedTooBig]);
        Assert.Equal(2, net.Router.Counters[Counters.DropHelper]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.ExpectationsCreated]);
        Assert.Equal(-1, net.Router.Nat.Mappings.FindByExternal(IpProtocol.Tcp, 1930));
        AssertCleanTcp(net);
    }

    [Fact]
    public void OverlongAndGarbledLinesPassUntouchedAndAreCounted()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Command("PORT 10,0,0,5,7");
        string longLine = "SITE " + new string('y', FtpLineParser.MaxLineLength);
        client.Command(longLine);
        Assert.Equal(longLine, server.Commands.Last());
        Assert.Equal(1, net.FtpCounters[FtpCounters.LinesGarbled]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.LinesOverlong]);
        Assert.True(net.FtpCounters[FtpCounters.LinesUnknown] >= 2); // USER, PASS
    }
}
