using System.Text;
using Router.Helpers.Ftp;
using Router.Tests.Support;
using Xunit;

namespace Router.Tests.Ftp;

public class FtpLineParserTests
{
    private static (int Kind, FtpLine Line, string Text) Parse(string text)
    {
        byte[] b = Encoding.ASCII.GetBytes("##" + text); // an offset, as in a real packet
        var line = new FtpLine();
        int kind = FtpLineParser.Parse(b, 2, b.Length, line);
        string endpoint = line.TextEnd > line.TextStart ? Encoding.ASCII.GetString(b, line.TextStart, line.TextEnd - line.TextStart) : "";
        return (kind, line, endpoint);
    }

    [Theory]
    [InlineData("PORT 192,168,1,2,7,138")]
    [InlineData("port 192,168,1,2,7,138")]
    [InlineData("Port   192,168,1,2,7,138  ")]
    public void PortIsRecognisedWhateverTheCaseAndSpacing(string text)
    {
        var (kind, line, endpoint) = Parse(text);
        Assert.Equal(FtpLine.Port, kind);
        Assert.Equal(Frames.Ip("192.168.1.2"), line.Address);
        Assert.Equal(1930, line.DataPort);
        Assert.Equal("192,168,1,2,7,138", endpoint);
    }

    [Theory]
    [InlineData("227 Entering Passive Mode (172,16,3,4,204,173).", "172,16,3,4,204,173")]
    [InlineData("227 Entering Passive Mode (172,16,3,4,204,173)", "172,16,3,4,204,173")]
    [InlineData("227 Entering Passive Mode 172,16,3,4,204,173", "172,16,3,4,204,173")]
    [InlineData("227 =172,16,3,4,204,173 and then some text", "172,16,3,4,204,173")]
    [InlineData("227 172,16,3,4,204,173", "172,16,3,4,204,173")]
    public void PassiveRepliesInTheFormatsServersUse(string text, string expected)
    {
        var (kind, line, endpoint) = Parse(text);
        Assert.Equal(FtpLine.Passive, kind);
        Assert.Equal(Frames.Ip("172.16.3.4"), line.Address);
        Assert.Equal(52397, line.DataPort);
        Assert.Equal(expected, endpoint);
    }

    [Theory]
    [InlineData("EPRT |1|192.168.1.2|1930|", '|')]
    [InlineData("eprt !1!192.168.1.2!1930!", '!')]
    public void EprtForIpv4(string text, char delimiter)
    {
        var (kind, line, endpoint) = Parse(text);
        Assert.Equal(FtpLine.Eprt, kind);
        Assert.Equal(Frames.Ip("192.168.1.2"), line.Address);
        Assert.Equal(1930, line.DataPort);
        Assert.Equal((byte)delimiter, line.Delimiter);
        Assert.Equal($"192.168.1.2{delimiter}1930", endpoint);
    }

    [Fact]
    public void EprtForIpv6PassesUntouched() => Assert.Equal(FtpLine.EprtOtherProtocol, Parse("EPRT |2|1080::8:800:200C:417A|5282|").Kind);

    [Fact]
    public void ExtendedPassiveReply()
    {
        var (kind, line, endpoint) = Parse("229 Entering Extended Passive Mode (|||6446|)");
        Assert.Equal(FtpLine.ExtendedPassive, kind);
        Assert.Equal(6446, line.DataPort);
        Assert.Equal("6446", endpoint);
    }

    [Theory]
    [InlineData("PORT 192,168,1,2,7")]
    [InlineData("PORT 192,168,1,256,7,138")]
    [InlineData("PORT 192,168,1,2,7,138x")]
    [InlineData("PORT")]
    [InlineData("EPRT |1|192.168.1|1930|")]
    [InlineData("EPRT |1|192.168.1.2|1930")]
    [InlineData("227 Entering Passive Mode (1,2,3)")]
    [InlineData("229 Entering Extended Passive Mode (|||x|)")]
    public void GarbledArgumentsAreRecognisedAsSuch(string text) => Assert.Equal(FtpLine.Garbled, Parse(text).Kind);

    [Theory]
    [InlineData("PORTS 1,2,3,4,5,6")]
    [InlineData("RETR PORT 1,2,3,4,5,6")]
    [InlineData("2270 1,2,3,4,5,6")]
    [InlineData("227-Entering Passive Mode (1,2,3,4,5,6)")]
    [InlineData("USER anonymous")]
    [InlineData("")]
    public void OtherLinesAreUnknown(string text) => Assert.Equal(FtpLine.Unknown, Parse(text).Kind);

    [Fact]
    public void AuthAndItsAcceptance()
    {
        Assert.Equal(FtpLine.Auth, Parse("AUTH TLS").Kind);
        Assert.Equal(FtpLine.AuthAccepted, Parse("234 AUTH TLS successful").Kind);
    }

    [Fact]
    public void UnfinishedLinesThatMayStillNameAnEndpoint()
    {
        byte[] b = Encoding.ASCII.GetBytes("po");
        Assert.True(FtpLineParser.MayBecome(b, 0, 2, "PORT "));
        b = Encoding.ASCII.GetBytes("PORT 10,0");
        Assert.True(FtpLineParser.MayBecome(b, 0, b.Length, "PORT "));
        b = Encoding.ASCII.GetBytes("PORX");
        Assert.False(FtpLineParser.MayBecome(b, 0, b.Length, "PORT "));
    }

    [Fact]
    public void BareLineFeedBeforeAVerbIsFound()
    {
        byte[] b = Encoding.ASCII.GetBytes("NOOP\nPORT 1,2,3,4,5,6");
        Assert.True(FtpLineParser.HasVerbAfterBareLineFeed(b, 0, b.Length));
        b = Encoding.ASCII.GetBytes("NOOP\nnothing");
        Assert.False(FtpLineParser.HasVerbAfterBareLineFeed(b, 0, b.Length));
    }
}
