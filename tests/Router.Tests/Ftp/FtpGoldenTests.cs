using System.Linq;
using System.Text;
using Router.Helpers.Ftp;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Ftp.FtpTestSetups;

namespace Router.Tests.Ftp;

/// <summary>Byte-exact rewrites as they leave the router, with lengths and checksums.</summary>
public class FtpGoldenTests
{
    /// <summary>The last TCP segment the router sent to the WAN (or LAN) whose payload starts with <paramref name="prefix"/>.</summary>
    private static byte[] LastSegment(FtpNet net, bool toLan, string prefix) =>
        net.Trace.Where(t => t.ToLan == toLan && Payload(t.Frame).StartsWith(prefix)).Select(t => t.Frame).Last();

    private static string Payload(byte[] f)
    {
        if (Ipv4Packet.Protocol(f, 14) != IpProtocol.Tcp) return "";
        int start = TcpSegment.PayloadOffset(f, Ipv4Packet.PayloadOffset(f, 14));
        return Encoding.ASCII.GetString(f, start, 14 + Ipv4Packet.TotalLength(f, 14) - start);
    }

    private static void AssertSegment(byte[] f, string payload)
    {
        Assert.Equal(payload, Payload(f));
        Assert.Equal(20 + 20 + payload.Length, Ipv4Packet.TotalLength(f, 14));
        Assert.Null(Frames.ChecksumProblem(f, 14 + Ipv4Packet.TotalLength(f, 14)));
    }

    [Fact]
    public void PortFromALanClientIsRewrittenToTheWanAddressWithTheSameLength()
    {
        var (net, server, client) = ClientBehindNat();
        client.Command("PORT 192,168,1,2,7,138");
        AssertSegment(LastSegment(net, false, "PORT"), "PORT 203,0,113,2,7,138\r\n");
        Assert.Equal("PORT 203,0,113,2,7,138", server.Commands.Last());
        Assert.Equal(0, net.Ftp.Sequences.Offset(0, 0));
        AssertCleanTcp(net);
    }

    [Fact]
    public void PassiveReplyFromALanServerIsRewrittenToTheWanAddressAndGrowsByOne()
    {
        var (net, server, client) = ServerBehindForward();
        string reply = client.Command("PASV");
        Assert.Equal("227 Entering Passive Mode (203,0,113,2,204,173).\r\n", reply);
        AssertSegment(LastSegment(net, false, "227"), "227 Entering Passive Mode (203,0,113,2,204,173).\r\n");
        Assert.Equal(1, net.Ftp.Sequences.Offset(0, 1));
        AssertCleanTcp(net);
    }

    [Fact]
    public void RewriteGrowsAndLaterSegmentsAreShifted()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        uint before = client.Control.SndNext;
        client.Command("PORT 10,0,0,5,7,138");
        AssertSegment(LastSegment(net, false, "PORT"), "PORT 203,0,113,2,7,138\r\n");
        Assert.Equal(before, TcpSegment.SequenceNumber(LastSegment(net, false, "PORT"), 34));

        uint next = client.Control.SndNext;
        client.Command("RETR file");
        byte[] retr = LastSegment(net, false, "RETR");
        Assert.Equal(next + 3, TcpSegment.SequenceNumber(retr, 34));
        // The server acknowledges 3 bytes more than the client sent; the client sees its own numbering.
        byte[] ackToClient = net.Trace.Last(t => t.ToLan && Payload(t.Frame).StartsWith("150")).Frame;
        Assert.Equal(client.Control.SndNext, TcpSegment.AcknowledgmentNumber(ackToClient, 34));
        Assert.Equal(3, net.Ftp.Sequences.Offset(0, 0));
        AssertCleanTcp(net);
    }

    [Fact]
    public void RewriteShrinksWhenTheWanAddressIsShorter()
    {
        var settings = new RouterSettings { WanAddress = Frames.Ip("1.2.3.4"), WanGateway = Frames.Ip("1.2.3.1") };
        var (net, server, client) = ClientBehindNat(settings);
        client.Command("PORT 192,168,1,2,7,138");
        AssertSegment(LastSegment(net, false, "PORT"), "PORT 1,2,3,4,7,138\r\n");
        Assert.Equal(-4, net.Ftp.Sequences.Offset(0, 0));
        client.Command("NOOP");
        Assert.Equal("NOOP", server.Commands.Last());
        AssertCleanTcp(net);
    }

    [Fact]
    public void EprtIsRewrittenKeepingItsDelimiter()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        client.Command("EPRT |1|10.0.0.5|1930|");
        AssertSegment(LastSegment(net, false, "EPRT"), "EPRT |1|203.0.113.2|1930|\r\n");
        Assert.Equal(3, net.Ftp.Sequences.Offset(0, 0));
        AssertCleanTcp(net);
    }

    [Fact]
    public void EprtForIpv6PassesByteForByte()
    {
        var (net, server, client) = ClientBehindNat();
        client.Command("EPRT |2|1080::8:800:200C:417A|5282|");
        AssertSegment(LastSegment(net, false, "EPRT"), "EPRT |2|1080::8:800:200C:417A|5282|\r\n");
        Assert.Equal(0, net.FtpCounters[FtpCounters.Rewrites]);
    }

    [Fact]
    public void APortTakenOutsideGetsAnotherOutsidePort()
    {
        var (net, server, client) = ClientBehindNat(TenLan(), TenClient);
        // Another inside host holds outside port 1930 first.
        net.Firmware.DataPlane.Nat.Mappings.Acquire(IpProtocol.Tcp, Frames.Ip("10.0.0.9"), 1930, 1);
        client.Command("PORT 10,0,0,5,7,138");
        string sent = server.Commands.Last();
        Assert.StartsWith("PORT 203,0,113,2,", sent);
        Assert.NotEqual(1930, server.ActivePort);
        int digits = Payload(LastSegment(net, false, "PORT")).Length;
        Assert.Equal(digits - "PORT 10,0,0,5,7,138\r\n".Length, net.Ftp.Sequences.Offset(0, 0));
        AssertCleanTcp(net);
    }
}
