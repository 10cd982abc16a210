using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Router.Config;
using Router.Rules;
using Router.Wire;
using Router.Emulator;
using Xunit;

namespace Router.Tests.Lab;

/// <summary>Port forwards and a port trigger with real sockets in the lab's namespaces.</summary>
[Collection(LabCollection.Name)]
public class LabForwardingTests
{
    private static readonly IPAddress RouterWan = IPAddress.Parse(LabFixture.RouterWan);
    private static readonly IPAddress LanHost = IPAddress.Parse(LabFixture.LanHost);
    private readonly LabFixture _lab;

    public LabForwardingTests(LabFixture lab) => _lab = lab;

    /// <summary>What drives the router's ports; <see cref="LabForwardingW5500Tests"/> runs every test here again through W5500s.</summary>
    protected virtual NicKind Nic => NicKind.Direct;

    [LabFact]
    public void TcpForwardReachesTheLanServerWithTheClientsAddressAndUnforwardedPortsStayClosed()
    {
        using var router = LabRouter.Start(_lab, Nic, config => Forward(config, RuleProtocol.Tcp, 8080, 8000));
        using var listener = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(LanHost, 8000));
        listener.Listen(1);
        using var unforwardedListener = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp);
        unforwardedListener.Bind(new IPEndPoint(LanHost, 8081));
        unforwardedListener.Listen(1);

        using var client = LabFixture.Socket(_lab.WanNamespace, SocketType.Stream, ProtocolType.Tcp);
        client.ReceiveTimeout = 10000;
        client.Connect(RouterWan, 8080);
        using var accepted = listener.Accept();
        accepted.ReceiveTimeout = 10000;
        client.Send(Encoding.ASCII.GetBytes("GET /"));
        byte[] buffer = new byte[64];
        int n = accepted.Receive(buffer);
        accepted.Send(Encoding.ASCII.GetBytes("200 OK"));
        int m = client.Receive(buffer, n, buffer.Length - n, SocketFlags.None);
        bool unforwardedConnected = TryConnect(_lab.WanNamespace, RouterWan, 8081, TimeSpan.FromSeconds(2));
        router.Stop();

        Assert.Equal("GET /", Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal("200 OK", Encoding.ASCII.GetString(buffer, n, m));
        Assert.Equal(IPAddress.Parse(LabFixture.WanGateway), ((IPEndPoint)accepted.RemoteEndPoint).Address); // no source NAT inbound
        Assert.False(unforwardedConnected, "port 8081 is not forwarded");
        Assert.True(router.Counters[Counters.DropUnsolicited] >= 1, "the SYN to 8081 was dropped and counted");
    }

    [LabFact]
    public void UdpForwardDeliversToTheLanHostAndTheReplyComesFromTheForwardedPort()
    {
        using var router = LabRouter.Start(_lab, Nic, config => Forward(config, RuleProtocol.Udp, 6000, 6001));
        using var server = LabFixture.Socket(_lab.LanNamespace, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(LanHost, 6001));
        server.ReceiveTimeout = 10000;
        using var client = LabFixture.Socket(_lab.WanNamespace, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Parse(LabFixture.WanGateway), 46000));
        client.ReceiveTimeout = 10000;

        byte[] buffer = new byte[64];
        client.SendTo(Encoding.ASCII.GetBytes("query"), new IPEndPoint(RouterWan, 6000));
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int n = server.ReceiveFrom(buffer, ref from);
        server.SendTo(Encoding.ASCII.GetBytes("answer"), from);
        EndPoint replyFrom = new IPEndPoint(IPAddress.Any, 0);
        int m = client.ReceiveFrom(buffer, ref replyFrom);
        router.Stop();

        Assert.Equal(5, n);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(LabFixture.WanGateway), 46000), from);
        Assert.Equal("answer", Encoding.ASCII.GetString(buffer, 0, m));
        Assert.Equal(new IPEndPoint(RouterWan, 6000), replyFrom);
    }

    [LabFact]
    public void TriggerOpensItsPortToTheLanHostThatSentToTheTriggerPort()
    {
        using var router = LabRouter.Start(_lab, Nic, config =>
        {
            PortTrigger trigger = config.AddTrigger();
            trigger.Name = "game";
            trigger.TriggerProtocol = RuleProtocol.Tcp;
            trigger.TriggerPort = trigger.TriggerPortEnd = 7000;
            trigger.OpenProtocol = RuleProtocol.Tcp;
            trigger.OpenPort = trigger.OpenPortEnd = 7100;
            trigger.IdleTimeoutSeconds = 60;
        });
        using var inbound = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp);
        inbound.Bind(new IPEndPoint(LanHost, 7100));
        inbound.Listen(1);
        using var triggerServer = LabFixture.Socket(_lab.WanNamespace, SocketType.Stream, ProtocolType.Tcp);
        triggerServer.Bind(new IPEndPoint(IPAddress.Parse(LabFixture.InternetServer), 7000));
        triggerServer.Listen(1);

        bool openBefore = TryConnect(_lab.WanNamespace, RouterWan, 7100, TimeSpan.FromSeconds(2));
        using (var trigger = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp))
        {
            trigger.Connect(IPAddress.Parse(LabFixture.InternetServer), 7000);
        }
        bool openAfter = TryConnect(_lab.WanNamespace, RouterWan, 7100, TimeSpan.FromSeconds(5));
        inbound.Blocking = false;
        bool accepted = inbound.Poll(5_000_000, SelectMode.SelectRead);
        router.Stop();

        Assert.False(openBefore, "closed until a LAN host sends to the trigger port");
        Assert.True(openAfter, "open after the trigger");
        Assert.True(accepted, "the inbound connection reached the LAN host that triggered");
        uint now = (uint)(router.Firmware.Clock.NowMilliseconds / 1000);
        Assert.Equal(Ipv4Address.Make(192, 168, 1, 2), router.Firmware.Triggers.HolderOf(0, now));
    }

    private static void Forward(RouterConfig config, int protocol, int external, int internalPort)
    {
        PortForward forward = config.AddForward();
        forward.Name = "lab";
        forward.Protocol = protocol;
        forward.ExternalPort = forward.ExternalPortEnd = external;
        forward.InternalAddress = Ipv4Address.Make(192, 168, 1, 2);
        forward.InternalPort = internalPort;
    }

    /// <summary>Connects from a namespace within <paramref name="timeout"/>; false when refused or silently dropped.</summary>
    private static bool TryConnect(string ns, IPAddress address, int port, TimeSpan timeout)
    {
        using var socket = LabFixture.Socket(ns, SocketType.Stream, ProtocolType.Tcp);
        Task connect = socket.ConnectAsync(address, port);
        try
        {
            return connect.Wait(timeout) && socket.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
    }
}

/// <summary>The forwarding tests again, with both router ports behind W5500 chip models driven over SPI (<c>--nic w5500</c>).</summary>
[Collection(LabCollection.Name)]
public class LabForwardingW5500Tests : LabForwardingTests
{
    public LabForwardingW5500Tests(LabFixture lab) : base(lab) { }

    protected override NicKind Nic => NicKind.W5500;
}
