using System.Linq;
using Router.Nat;
using Router.Tests.Support;
using Router.Wire;

namespace Router.Tests.Ftp;

/// <summary>A stand-in for a port forward (the forwarding feature is another component): WAN port to an inside host.</summary>
public sealed class ForwardDouble : IInboundRule
{
    public uint Inside;
    public int ExternalPort = 21;
    public int InsidePort = 21;

    public bool TryClaim(int protocol, uint remoteAddress, int remotePort, int externalPort, uint now, InboundTarget target)
    {
        if (protocol != IpProtocol.Tcp || externalPort != ExternalPort) return false;
        target.InternalAddress = Inside;
        target.InternalPort = InsidePort;
        return true;
    }
}

/// <summary>The networks the FTP tests run on.</summary>
public static class FtpTestSetups
{
    public static readonly uint Remote = RouterRig.Remote;
    public static readonly uint Wan = RouterRig.RouterWan;

    /// <summary>LAN 10.0.0.0/8: a client at 10.0.0.5 names itself in fewer characters than the WAN address (rewrites grow).</summary>
    public static readonly uint TenClient = Frames.Ip("10.0.0.5");

    public static RouterSettings TenLan() => new() { LanAddress = Frames.Ip("10.0.0.1"), LanPrefixLength = 8 };

    /// <summary>LAN 172.16.0.0/12 with an FTP server at 172.16.3.4 behind a forward of WAN port 21.</summary>
    public static readonly uint Server172 = Frames.Ip("172.16.3.4");

    public static RouterSettings Lan172() => new() { LanAddress = Frames.Ip("172.16.0.1"), LanPrefixLength = 12 };

    /// <summary>A LAN client talking to a remote server, logged in.</summary>
    public static (FtpNet Net, ScriptedFtpServer Server, ScriptedFtpClient Client) ClientBehindNat(RouterSettings settings = null, uint client = 0, FtpNet net = null, int localPort = 40000)
    {
        net ??= new FtpNet(settings);
        client = client == 0 ? RouterRig.Host : client;
        net.AddLanHost(client);
        var server = new ScriptedFtpServer(net, Remote, onLan: false);
        var c = new ScriptedFtpClient(net, client, onLan: true, Remote, localPort: localPort);
        server.Greet();
        c.NewReplies();
        c.Command("USER anonymous");
        c.Command("PASS guest");
        return (net, server, c);
    }

    /// <summary>A remote client talking to a LAN server behind a forward of its control port, logged in.</summary>
    public static (FtpNet Net, ScriptedFtpServer Server, ScriptedFtpClient Client) ServerBehindForward(RouterSettings settings = null, uint server = 0, int externalPort = 21, int insidePort = 21)
    {
        settings ??= Lan172();
        server = server == 0 ? Server172 : server;
        var net = new FtpNet(settings);
        net.Firmware.DataPlane.Nat.AddInboundRule(new ForwardDouble { Inside = server, ExternalPort = externalPort, InsidePort = insidePort });
        net.AddLanHost(server);
        var s = new ScriptedFtpServer(net, server, onLan: true, port: insidePort);
        var c = new ScriptedFtpClient(net, Remote, onLan: false, Wan, externalPort);
        s.Greet();
        c.NewReplies();
        c.Command("USER anonymous");
        c.Command("PASS guest");
        return (net, s, c);
    }

    /// <summary>No endpoint saw a bad checksum, an ack beyond its data, a gap, or a retransmission that differs.</summary>
    public static void AssertCleanTcp(FtpNet net)
    {
        var problems = net.Endpoints.SelectMany(e => e.Problems.Select(p => $"{Ipv4Address.Format(e.Local)}:{e.LocalPort} {p}")).ToList();
        Xunit.Assert.Empty(problems);
    }
}
