using System.Net;
using System.Net.Sockets;
using System.Text;
using Router.Conntrack;
using Router.Tests.Support;
using Router.Wire;
using Xunit;

namespace Router.Tests.Lab;

/// <summary>Crafted packets (scapy) against real TCP stacks in the lab's namespaces.</summary>
[Collection(LabCollection.Name)]
public class LabTcpHardeningTests
{
    private const int ServerPort = 7000;
    private readonly LabFixture _lab;

    public LabTcpHardeningTests(LabFixture lab) => _lab = lab;

    /// <summary>
    /// Blind RSTs from the internet side aimed at an idle connection: one below what the client acknowledged, one far
    /// beyond the window, and the exact next sequence number sent with TTL 1 and with a bad checksum. None may reach
    /// conntrack or the client: the idle connection keeps working.
    /// </summary>
    [LabFact]
    public void BlindRstsLeaveAnIdleConnectionWorking()
    {
        using var router = LabRouter.Start(_lab);
        using var listener = LabFixture.Socket(_lab.WanNamespace, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(LabFixture.InternetServer), ServerPort));
        listener.Listen(1);
        using var client = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp);
        client.ReceiveTimeout = 10000;
        client.Connect(IPAddress.Parse(LabFixture.InternetServer), ServerPort);
        using var server = listener.Accept();
        server.ReceiveTimeout = 10000;
        byte[] buffer = new byte[64];
        server.Send(Encoding.ASCII.GetBytes("hello"));
        Assert.Equal(5, client.Receive(buffer));
        int clientPort = ((IPEndPoint)client.LocalEndPoint).Port;
        int outsidePort = ((IPEndPoint)server.RemoteEndPoint).Port;
        System.Threading.Thread.Sleep(200); // the client's ACK of "hello" crosses the router

        var connections = router.Firmware.DataPlane.Connections;
        int node = connections.Find(IpProtocol.Tcp, Frames.Ip(LabFixture.LanHost), Frames.Ip(LabFixture.InternetServer), clientPort, ServerPort);
        Assert.True(node >= 0);
        uint next = router.Firmware.DataPlane.Nat.Tcp.End(node >> 1, ConnectionTable.Reply); // the server's next sequence number

        string script =
            "from scapy.all import IP, TCP, send\n" +
            $"a = dict(src='{LabFixture.InternetServer}', dst='{LabFixture.RouterWan}')\n" +
            $"t = dict(sport={ServerPort}, dport={outsidePort}, flags='R')\n" +
            $"send(IP(**a)/TCP(seq={(next - 70000) & 0xFFFFFFFF}, **t), verbose=0)\n" +
            $"send(IP(**a)/TCP(seq={(next + 0x40000000u) & 0xFFFFFFFF}, **t), verbose=0)\n" +
            $"send(IP(ttl=1, **a)/TCP(seq={next}, **t), verbose=0)\n" +
            $"send(IP(**a)/TCP(seq={next}, chksum=0x1234, **t), verbose=0)\n";
        var scapy = _lab.Run(_lab.WanNamespace, "/usr/bin/python3", "-c", script); // Debian's python, which python3-scapy serves
        Assert.True(scapy.ExitCode == 0, scapy.Output);
        System.Threading.Thread.Sleep(300);
        int state = connections.State(node >> 1); // without window tracking an RST moves it to CLOSE (10 s to live)

        server.Send(Encoding.ASCII.GetBytes("still here"));
        int n = client.Receive(buffer);
        client.Send(Encoding.ASCII.GetBytes("me too"));
        int m = server.Receive(buffer, n, buffer.Length - n, SocketFlags.None);
        router.Stop();

        Assert.Equal(TcpState.Established, state);
        Assert.Equal("still here", Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal("me too", Encoding.ASCII.GetString(buffer, n, m));
        Assert.Equal(2, router.Counters[Counters.DropTcpOutOfWindow]);
        Assert.Equal(1, router.Counters[Counters.DropTtlExpired]);
        Assert.Equal(1, router.Counters[Counters.DropTransportChecksum]);
    }
}
