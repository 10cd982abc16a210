using System.IO;
using Router.Emulator;
using Router.Hal.Desktop;
using Xunit;

namespace Router.Tests.Emulator;

public class EmulatorHostTests
{
    [Theory]
    [InlineData("esp32-eth")]
    [InlineData("esp32-eth-psram")]
    [InlineData("stm32f7-disco")]
    [InlineData("meadow-f7v2")]
    [InlineData("desktop")]
    public void SimulatedLanHostsReachTheInternetThroughTheRouterOnEveryBoard(string profile)
    {
        var clock = new ManualClock(0);
        using var host = new EmulatorHost(new EmulatorOptions { Profile = profile, LanHosts = 3 }, clock);
        for (int i = 0; i < 10; i++)
        {
            host.GenerateTraffic();
            host.Step();
            clock.Advance(250);
        }
        // The first burst waits for the gateway's ARP reply; what does not fit the board's pending pool is dropped and counted.
        var counters = host.Firmware.DataPlane.Counters;
        long lost = 0;
        foreach (var lanHost in host.LanHosts)
        {
            Assert.InRange(lanHost.PingRepliesReceived, 9, 10);
            Assert.InRange(lanHost.UdpEchoesReceived, 9, 10);
            lost += 20 - lanHost.PingRepliesReceived - lanHost.UdpEchoesReceived;
        }
        Assert.Equal(System.Math.Max(0, 6 - host.Profile.Capacities.ArpPending), lost);
        Assert.Equal(lost, counters[Counters.DropArpQueueFull]);
        Assert.Equal(lost, counters.DroppedTotal);
        Assert.Equal(6, host.Firmware.DataPlane.Connections.Count); // a ping flow and a UDP flow per host
        Assert.Equal(host.Profile.Capacities.Connections, host.Firmware.DataPlane.Connections.Capacity);
    }

    [Fact]
    public void TheRouterGetsItsWanAddressFromTheSimulatedIspByDhcpAtFactoryDefaults()
    {
        using var host = new EmulatorHost(new EmulatorOptions(), new ManualClock(0));
        Assert.Equal(Router.Config.RouterConfig.WanDhcp, host.Firmware.Config.WanMode);
        Assert.Equal(Router.Dhcp.DhcpClient.Bound, host.Firmware.DhcpClient.State);
        Assert.Equal(host.Internet.Dhcp.OfferedAddress, host.Firmware.DataPlane.Wan.Address);
        Assert.Equal(host.Internet.Dhcp.Gateway, host.Firmware.Settings.WanGateway);
        Assert.Equal(host.Internet.Dhcp.Dns, host.Firmware.Settings.WanDns1);
        Assert.Equal(1, host.Internet.Dhcp.Acks);
    }

    [Fact]
    public void PcapOptionRecordsBothPortsInFilesWiresharkReads()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        var clock = new ManualClock(0);
        using (var host = new EmulatorHost(new EmulatorOptions { PcapPath = Path.Combine(dir, "trace.pcap") }, clock))
        {
            host.GenerateTraffic();
            host.Step();
        }
        foreach (string side in new[] { "lan", "wan" })
        {
            byte[] file = File.ReadAllBytes(Path.Combine(dir, $"trace-{side}.pcap"));
            Assert.Equal(PcapWriter.Magic, System.BitConverter.ToUInt32(file, 0));
            Assert.True(file.Length > PcapWriter.FileHeaderLength + 4 * (PcapWriter.RecordHeaderLength + 42), $"{side} capture holds the traffic");
        }
    }

    [Fact]
    public void FaultInjectionLosesTrafficWithoutBreakingTheRouter()
    {
        var clock = new ManualClock(0);
        using var host = new EmulatorHost(new EmulatorOptions { FaultDrop = 0.2, FaultCorrupt = 0.2, Seed = 7 }, clock);
        for (int i = 0; i < 50; i++)
        {
            host.GenerateTraffic();
            host.Step();
            clock.Advance(250);
        }
        var c = host.Firmware.DataPlane.Counters;
        Assert.True(c.DroppedTotal > 0, "corrupted frames are dropped and counted");
        Assert.True(host.LanHosts[0].PingRepliesReceived > 10, "most traffic still gets through");
        Assert.Equal(c[Counters.FramesReceived], c[Counters.Forwarded] + c[Counters.Consumed] + c.DroppedTotal + host.Firmware.DataPlane.HeldFrames);
    }

    [Theory]
    [InlineData("127.0.0.1", 254u)]
    [InlineData("127.0.0.2", 253u)]
    [InlineData("127.0.0.8", 247u)]
    [InlineData("127.0.0.9", 254u)]
    [InlineData("10.1.2.3", 254u)]
    public void The_http_bridge_speaks_as_one_lan_host_per_loopback_client_address(string client, uint hostPart)
    {
        Assert.Equal(hostPart, Router.Emulator.Simulation.HttpBridge.HostPartFor(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(client), 40000)));
    }
}
