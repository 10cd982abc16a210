using System;
using System.Net;
using System.Net.Sockets;
using Router.Dhcp;
using Router.Emulator;
using Router.Helpers.Ftp;
using Router.Tests.Support;
using Router.Wire;
using Xunit;

namespace Router.Tests.Lab;

/// <summary>
/// Issue 14 part 3 on real stacks: a second LAN host (the lab's macvlan host, its own MAC) poses as the leased host
/// 192.168.1.2 and sends, with scapy, an FTP control connection's SYN and a <c>PORT</c> naming the victim's port.
/// The LAN source guard drops both at the router: no connection is tracked, the helper expects nothing, and a
/// connection from the internet to the port the PORT named reaches nobody. The victim itself still gets through.
/// </summary>
[Collection(LabCollection.Name)]
public class LabLanSpoofingTests
{
    private const int FtpPort = 21;
    private const int VictimPort = 8000; // PORT ...,31,64
    private const int SpoofedSourcePort = 40021;
    private readonly LabFixture _lab;

    public LabLanSpoofingTests(LabFixture lab) => _lab = lab;

    [LabFact]
    public void TheSpoofedLanFtpOpensNothing()
    {
        _lab.AddDhcpHost();
        using var router = LabRouter.Start(_lab);
        // The victim holds its address by DHCP: a binding of 192.168.1.2 to its own MAC, as the server would have made it.
        byte[] victimMac = Convert.FromHexString(_lab.Run(_lab.LanNamespace, "cat", $"/sys/class/net/{LabFixture.TapName}/address").Stdout.Trim().Replace(":", ""));
        DhcpLeaseTable leases = router.Firmware.DhcpServer.Leases;
        uint now = (uint)(router.Firmware.Clock.NowMilliseconds / 1000);
        leases.Set(leases.Claim(now), DhcpLeaseTable.Bound, victimMac, 0, Frames.Ip(LabFixture.LanHost), now + 3600);

        using var ftpServer = LabFixture.Socket(_lab.WanNamespace, SocketType.Stream, ProtocolType.Tcp);
        ftpServer.Bind(new IPEndPoint(IPAddress.Parse(LabFixture.InternetServer), FtpPort));
        ftpServer.Listen(4);
        using var victimListener = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp);
        victimListener.Bind(new IPEndPoint(IPAddress.Any, VictimPort));
        victimListener.Listen(4);

        string routerMac = BitConverter.ToString(EmulatorHost.Mac(0x10)).Replace('-', ':').ToLowerInvariant();
        string script =
            "from scapy.all import Ether, IP, TCP, Raw, sendp\n" +
            $"e = Ether(dst='{routerMac}')\n" +
            $"a = IP(src='{LabFixture.LanHost}', dst='{LabFixture.InternetServer}')\n" +
            $"t = dict(sport={SpoofedSourcePort}, dport={FtpPort})\n" +
            $"sendp(e/a/TCP(flags='S', seq=1000, **t), iface='{LabFixture.DhcpInterface}', verbose=0)\n" +
            $"sendp(e/a/TCP(flags='PA', seq=1001, ack=1, **t)/Raw(b'PORT 192,168,1,2,31,64\\r\\n'), iface='{LabFixture.DhcpInterface}', verbose=0)\n";
        var scapy = _lab.Run(_lab.DhcpNamespace, "/usr/bin/python3", "-c", script);
        Assert.True(scapy.ExitCode == 0, scapy.Output);
        System.Threading.Thread.Sleep(300);

        var connections = router.Firmware.DataPlane.Connections;
        int spoofed = connections.Find(IpProtocol.Tcp, Frames.Ip(LabFixture.LanHost), Frames.Ip(LabFixture.InternetServer), SpoofedSourcePort, FtpPort);

        // From the internet, the port the PORT named leads nowhere (the router's WAN address answers nothing there).
        using var probe = LabFixture.Socket(_lab.WanNamespace, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Parse(LabFixture.InternetServer), 20));
        bool opened = probe.ConnectAsync(IPAddress.Parse(LabFixture.RouterWan), VictimPort).Wait(TimeSpan.FromSeconds(2)) && probe.Connected;
        victimListener.Blocking = false;
        bool victimReached = TryAccept(victimListener);

        // The owner of the address is not affected: the victim's own control connection opens.
        using var victim = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp);
        victim.Connect(IPAddress.Parse(LabFixture.InternetServer), FtpPort);
        ftpServer.Blocking = true;
        using var accepted = ftpServer.Accept();
        long spoofDrops = Security.NamedCounters.Read(router.Counters, "drop_lan_source_spoofed");
        router.Stop();

        Assert.True(spoofed < 0, "the spoofed control connection is tracked");
        Assert.False(opened, "a connection from the internet to the named port was accepted");
        Assert.False(victimReached, "the victim was reached");
        Assert.Equal(0, router.Firmware.Ftp.Counters[FtpCounters.ExpectationsCreated]);
        Assert.Equal(0, router.Firmware.Ftp.Counters[FtpCounters.CommandsSeen]);
        Assert.Equal(2, spoofDrops);
        Assert.Equal(IPAddress.Parse(LabFixture.RouterWan), ((IPEndPoint)accepted.RemoteEndPoint).Address);
    }

    private static bool TryAccept(Socket listener)
    {
        try
        {
            using var s = listener.Accept();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
