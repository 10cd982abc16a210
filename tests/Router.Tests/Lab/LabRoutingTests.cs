using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Router.Tests.Lab;

/// <summary>Ping and masquerade with the real Linux stacks of the lab's hosts on both sides of the router.</summary>
[Collection(LabCollection.Name)]
public class LabRoutingTests
{
    private readonly LabFixture _lab;

    public LabRoutingTests(LabFixture lab) => _lab = lab;

    [LabFact]
    public void PingCrossesTheRouterAndTheRouterAnswersOnBothSides()
    {
        using var router = LabRouter.Start(_lab);
        var through = _lab.Run(_lab.LanNamespace, "ping", "-c", "3", "-i", "0.2", "-W", "2", LabFixture.InternetServer);
        var routerLan = _lab.Run(_lab.LanNamespace, "ping", "-c", "2", "-i", "0.2", "-W", "2", LabFixture.RouterLan);
        var routerWan = _lab.Run(_lab.WanNamespace, "ping", "-c", "2", "-i", "0.2", "-W", "2", LabFixture.RouterWan);
        router.Stop();

        Assert.True(through.ExitCode == 0, through.Output);
        Assert.Contains("3 received", through.Stdout);
        Assert.Contains("ttl=63", through.Stdout); // the router decremented it once
        Assert.True(routerLan.ExitCode == 0, routerLan.Output);
        Assert.True(routerWan.ExitCode == 0, routerWan.Output);
        Assert.Equal(4, router.Counters[Counters.EchoReplies]);
        Assert.True(router.Counters[Counters.Forwarded] >= 6, "3 requests and 3 replies crossed");
    }

    [LabFact]
    public void TcpFromTheLanIsMasqueradedAndEchoedBack()
    {
        using var router = LabRouter.Start(_lab);
        using var listener = LabFixture.Socket(_lab.WanNamespace, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(LabFixture.InternetServer), 5001));
        listener.Listen(1);
        using var client = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp);
        client.ReceiveTimeout = 10000;
        client.Connect(IPAddress.Parse(LabFixture.InternetServer), 5001);
        using var accepted = listener.Accept();
        accepted.ReceiveTimeout = 10000;

        client.Send(Encoding.ASCII.GetBytes("hello from the LAN"));
        byte[] buffer = new byte[64];
        int n = accepted.Receive(buffer);
        accepted.Send(buffer, n, SocketFlags.None);
        int echoed = client.Receive(buffer);

        Assert.Equal("hello from the LAN", Encoding.ASCII.GetString(buffer, 0, echoed));
        var seen = (IPEndPoint)accepted.RemoteEndPoint;
        Assert.Equal(LabFixture.RouterWan, seen.Address.ToString());
        Assert.Equal(((IPEndPoint)client.LocalEndPoint).Port, seen.Port); // port preserved when free
    }

    [LabFact]
    public void UdpFromTheLanIsMasqueradedAndTheReplyReturns()
    {
        using var router = LabRouter.Start(_lab);
        using var server = LabFixture.Socket(_lab.WanNamespace, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(IPAddress.Parse(LabFixture.InternetServer), 5002));
        server.ReceiveTimeout = 10000;
        using var client = LabFixture.Socket(_lab.LanNamespace, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Parse(LabFixture.LanHost), 40002));
        client.ReceiveTimeout = 10000;

        byte[] buffer = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        client.SendTo(Encoding.ASCII.GetBytes("udp ping"), new IPEndPoint(IPAddress.Parse(LabFixture.InternetServer), 5002));
        int n = server.ReceiveFrom(buffer, ref from);
        server.SendTo(Encoding.ASCII.GetBytes("udp pong"), from);
        int m = client.Receive(buffer);

        Assert.Equal(8, n);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(LabFixture.RouterWan), 40002), from);
        Assert.Equal("udp pong", Encoding.ASCII.GetString(buffer, 0, m));
    }
}
