using System.Collections.Generic;
using System.Linq;
using Router.Config;
using Router.Conntrack;
using Router.Helpers.Ftp;
using Router.Rules;
using Router.Tests.Support;
using Router.Web;
using Router.Wire;
using Xunit;
using static Router.Tests.Ftp.FtpTestSetups;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Ftp;

/// <summary>
/// Issue 16 parts 3 and 4 through the real port-forward table: FTP servers balanced behind one forward (each data
/// connection stays on the member its control connection reached), and forwarded servers that switch to FTPS.
/// </summary>
public class FtpPoolTests
{
    private static readonly uint[] Members = { Host, Host2 };

    /// <summary>A router with a forward of WAN port 21 to the pool Host, Host2 and a scripted server on each member.</summary>
    private static (FtpNet Net, Dictionary<uint, ScriptedFtpServer> Servers, PortForward Rule) Pool()
    {
        var net = new FtpNet();
        RouterConfig c = net.Firmware.Config.Clone();
        PortForward f = c.AddForward();
        f.Name = "ftp pool";
        f.ExternalPort = f.ExternalPortEnd = 21;
        f.InternalAddress = Host;
        f.SetPoolMember(1, Host2);
        f.InternalPort = 21;
        ValidationResult r = net.Firmware.Apply(c);
        Assert.True(r.IsValid, r.ToString());
        var servers = new Dictionary<uint, ScriptedFtpServer>();
        foreach (uint m in Members)
        {
            net.AddLanHost(m);
            servers[m] = new ScriptedFtpServer(net, m, onLan: true) { PassivePort = 50000 + (int)(m & 255) };
        }
        return (net, servers, net.Firmware.Forwards[0]);
    }

    /// <summary>WAN clients (198.51.100.10 up) of which at least two reach each member, chosen by the rule's own hash.</summary>
    private static List<uint> ClientsCoveringEveryMember(PortForward rule, int perMember)
    {
        var clients = new List<uint>();
        for (uint a = Frames.Ip("198.51.100.10"); clients.Count < perMember * Members.Length; a++)
        {
            uint member = rule.MemberFor(a);
            if (clients.Count(c => rule.MemberFor(c) == member) < perMember) clients.Add(a);
        }
        return clients;
    }

    private static ScriptedFtpClient LogIn(FtpNet net, ScriptedFtpServer server, uint client, int localPort)
    {
        var c = new ScriptedFtpClient(net, client, onLan: false, Wan, 21, localPort);
        server.Greet();
        c.NewReplies();
        Assert.StartsWith("331 ", c.Command("USER anonymous"));
        Assert.StartsWith("230 ", c.Command("PASS guest"));
        return c;
    }

    [Fact]
    public void PassiveDataConnectionsStayOnTheMemberThatSentThe227()
    {
        var (net, servers, rule) = Pool();
        int port = 40000;
        foreach (uint client in ClientsCoveringEveryMember(rule, 2))
        {
            uint member = rule.MemberFor(client);
            ScriptedFtpServer server = servers[member];
            ScriptedFtpClient c = LogIn(net, server, client, port++);
            Assert.Equal(member, server.Control.Local);

            string reply = c.Command("PASV");
            Assert.Contains("203,0,113,2,", reply); // the WAN address, not the member's
            server.Data = null;
            c.ConnectPassive(reply, port++);
            Assert.NotNull(server.Data);
            Assert.True(c.Data.Established);
            Assert.Equal(member, server.Data.Local);
            Assert.Equal(client, server.Data.Remote);
            server.Data.Send("listing of " + Ipv4Address.Format(member));
            Assert.Equal("listing of " + Ipv4Address.Format(member), c.Data.Text);
            Assert.StartsWith("221 ", c.Command("QUIT"));
        }
        Assert.Equal(4, net.FtpCounters[FtpCounters.ExpectationsUsed]);
        Assert.Equal(0, net.FtpCounters.RefusedTotal);
        AssertCleanTcp(net);
    }

    [Fact]
    public void ExtendedPassiveAndActiveModeWorkFromEveryMember()
    {
        var (net, servers, rule) = Pool();
        int port = 40000;
        foreach (uint client in ClientsCoveringEveryMember(rule, 1))
        {
            uint member = rule.MemberFor(client);
            ScriptedFtpServer server = servers[member];
            ScriptedFtpClient c = LogIn(net, server, client, port++);

            server.Data = null;
            c.ConnectExtendedPassive(c.Command("EPSV"), Wan, port++);
            Assert.Equal(member, server.Data.Local);
            server.Data.Send("229 data");
            Assert.Equal("229 data", c.Data.Text);

            // Active mode: the member connects out from its port 20 to the client's endpoint, NAT gives it the WAN address.
            int dataPort = port++;
            c.ListenForData(dataPort);
            Assert.StartsWith("200 ", c.Command($"PORT {client >> 24},{(client >> 16) & 255},{(client >> 8) & 255},{client & 255},{dataPort >> 8},{dataPort & 255}"));
            server.OpenActiveData().Send("active data");
            Assert.Equal("active data", c.Data.Text);
            Assert.Equal(Wan, c.Data.Remote);
            int data = net.Router.Connections.Find(IpProtocol.Tcp, member, client, 20, dataPort) >> 1;
            Assert.True(net.Router.Connections.HasStatus(data, ConnectionTable.StatusRelated), "active data from the member is tied to its control connection");
        }
        Assert.Equal(0, net.FtpCounters.RefusedTotal);
        AssertCleanTcp(net);
    }

    [Fact]
    public void AForwardedServerGoingFtpsIsReportedOnceWithItsInsideAddressAndNoLongerInspected()
    {
        var (net, server, client) = ServerBehindForward();
        var log = new EventLog(4);
        net.Ftp.Events = log;
        Assert.StartsWith("234 ", client.Command("AUTH TLS"));
        Assert.Equal(1, net.FtpCounters[FtpCounters.TlsStopped]);
        Assert.Equal(1, net.FtpCounters[FtpCounters.FtpsServers]);

        server.Control.Send("227 Entering Passive Mode (172,16,3,4,200,10).\r\n"); // stands in for ciphertext
        Assert.Contains("172,16,3,4,200,10", client.NewReplies());
        Assert.Equal(0, net.FtpCounters[FtpCounters.Rewrites]);

        var texts = new string[4];
        var times = new long[4];
        Assert.Equal(1, log.CopyNewestFirst(texts, times));
        Assert.Equal("FTPS server at 172.16.3.4: forward its passive port range and set its external address", texts[0]);
    }

    [Fact]
    public void AClientInsideGoingFtpsRecordsNoServerEvent()
    {
        var (net, _, client) = ClientBehindNat();
        var log = new EventLog(4);
        net.Ftp.Events = log;
        Assert.StartsWith("234 ", client.Command("AUTH TLS"));
        Assert.Equal(1, net.FtpCounters[FtpCounters.TlsStopped]);
        Assert.Equal(0, net.FtpCounters[FtpCounters.FtpsServers]);
        Assert.Equal(0, log.CopyNewestFirst(new string[4], new long[4]));
    }

    [Fact]
    public void TheEventLogFormatsCodedEventsWhenReadAndFoldsRepeats()
    {
        var log = new EventLog(3);
        log.Add(1000, "admin logged in");
        log.Record(2000, StatusEvent.FtpsServer, Host);
        log.Record(3000, StatusEvent.FtpsServer, Host); // the same again: only its time moves
        log.Record(4000, StatusEvent.FtpsServer, Host2);
        var texts = new string[3];
        var times = new long[3];
        Assert.Equal(3, log.CopyNewestFirst(texts, times));
        Assert.Equal(new[] { "FTPS server at 192.168.1.3: forward its passive port range and set its external address",
            "FTPS server at 192.168.1.2: forward its passive port range and set its external address", "admin logged in" }, texts);
        Assert.Equal(new long[] { 4000, 3000, 1000 }, times);
        log.Add(5000, "later"); // the ring overwrites the oldest
        Assert.Equal(3, log.CopyNewestFirst(texts, times));
        Assert.Equal("later", texts[0]);
        Assert.DoesNotContain("admin logged in", texts);
    }
}
