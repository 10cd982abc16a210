using System;
using Router.Config;
using Router.Emulator;
using Router.Hal.Desktop;
using Router.Web;
using Router.Wire;
using Xunit;

namespace Router.Tests.Web;

/// <summary>The graphs' sample ring, LAN renumbering, and the devices and connections API answers.</summary>
public sealed class StatusPagesApiTests
{
    private const string Password = "correct horse 1";

    [Fact]
    public void The_traffic_ring_samples_once_a_second_wraps_and_allocates_nothing_per_tick()
    {
        var clock = new ManualClock(0);
        using var host = new EmulatorHost(new EmulatorOptions { LanHosts = 2 }, clock);
        var history = new TrafficHistory();
        host.Internet.SendUdp(Ipv4Address.Make(203, 0, 113, 2), 4999, 9, new byte[10]); // the internet learns the router's MAC
        host.Step();
        Assert.True(history.Sample(host.Firmware, clock.NowMilliseconds)); // the baseline, no sample yet
        Assert.Equal(0, history.Count);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int sampled = 0;
        for (int ms = 0; ms < 100_000; ms += 10)
        {
            clock.Advance(10);
            if (history.Sample(host.Firmware, clock.NowMilliseconds)) sampled++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(100, sampled);
        Assert.Equal(TrafficHistory.Samples, history.Count);

        // 4 frames a second in from the WAN: a rate of 4/s in the newest sample.
        for (int i = 0; i < 4; i++)
        {
            host.Internet.SendUdp(Ipv4Address.Make(203, 0, 113, 2), 5000 + i, 9, new byte[10]);
            host.Step();
        }
        clock.Advance(1000);
        Assert.True(history.Sample(host.Firmware, clock.NowMilliseconds));
        Assert.Equal(4, history.Value(TrafficHistory.DownloadPackets, 0));
        Assert.Equal(host.Firmware.DataPlane.Connections.Count, history.Value(TrafficHistory.Connections, 0));
        Assert.Equal(4 * (14 + 20 + 8 + 10), history.Value(TrafficHistory.DownloadBytes, 0));
        Assert.Equal(0, history.Value(TrafficHistory.DownloadPackets, 1));
    }

    [Fact]
    public void A_new_lan_subnet_moves_forwards_pool_and_reservations_that_fit()
    {
        var config = new RouterConfig(4, 0, 4);
        var f = config.AddForward();
        f.InternalAddress = Ipv4Address.Make(192, 168, 1, 50);
        var g = config.AddForward();
        g.InternalAddress = Ipv4Address.Make(192, 168, 1, 200);
        config.Dhcp.Reservations.Add(new byte[] { 2, 0, 0, 0, 0, 1 }, 0, Ipv4Address.Make(192, 168, 1, 20));
        config.LanAddress = Ipv4Address.Make(10, 0, 0, 1);
        config.LanPrefixLength = 25; // host numbers up to 127 fit
        Assert.Equal(2, LanRenumbering.Move(config, Ipv4Address.Make(192, 168, 1, 1), 24));
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 50), config.Forwards[0].InternalAddress);
        Assert.Equal(Ipv4Address.Make(192, 168, 1, 200), config.Forwards[1].InternalAddress); // 200 does not fit a /25: left for the validator
        Assert.Equal(Ipv4Address.Make(192, 168, 1, 100), config.Dhcp.PoolStart); // the pool ends at .199: it moves whole or not at all
        Assert.Equal(Ipv4Address.Make(192, 168, 1, 199), config.Dhcp.PoolEnd);
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 20), config.Dhcp.Reservations.Address(0));

        config.LanPrefixLength = 24;
        Assert.Equal(3, LanRenumbering.Move(config, Ipv4Address.Make(192, 168, 1, 1), 24)); // .200 and the pool now fit; moved ones stay put
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 200), config.Forwards[1].InternalAddress);
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 100), config.Dhcp.PoolStart);
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 50), config.Forwards[0].InternalAddress);
    }

    [Fact]
    public void Devices_and_connections_answer_from_the_tables_and_reject_bad_filters()
    {
        using var emulator = new RunningEmulator(lanHosts: 2);
        var api = new ApiClient(emulator.Port);
        Assert.Equal(401, api.Send("GET", "/api/devices").Status);
        Assert.Equal(200, api.Send("POST", "/api/setup", "{\"password\":\"" + Password + "\"}").Status);
        System.Threading.Thread.Sleep(600); // a few rounds of simulated traffic

        var devices = api.Send("GET", "/api/devices");
        Assert.Equal(200, devices.Status);
        Assert.Contains("\"name\":\"lan-host-1\",\"mac\":\"02:52:54:00:00:30\",\"address\":\"192.168.1.100\",\"lease\":\"active\"", devices.Body);
        Assert.Contains("\"name\":\"lan-host-2\",\"mac\":\"02:52:54:00:00:31\",\"address\":\"192.168.1.101\",\"lease\":\"active\"", devices.Body);

        var all = api.Send("GET", "/api/connections");
        Assert.Equal(200, all.Status);
        Assert.Contains("\"used\":4,", all.Body);
        Assert.Contains("\"total\":4", all.Body);
        var one = api.Send("GET", "/api/connections?page=0&device=192.168.1.101");
        Assert.Contains("\"total\":2", one.Body);
        Assert.DoesNotContain("192.168.1.100", one.Body);
        Assert.Contains("\"total\":4", api.Send("GET", "/api/connections?page=1").Body); // past the end: an empty page, the same total
        Assert.Equal(400, api.Send("GET", "/api/connections?device=192.168.1").Status);
        Assert.Equal(400, api.Send("GET", "/api/connections?device=300.1.1.1").Status);
        Assert.Equal(400, api.Send("GET", "/api/connections?page=x").Status);
    }

    [Fact]
    public void Devices_come_a_page_at_a_time_so_full_tables_fit_the_smallest_boards_buffer()
    {
        using var emulator = new RunningEmulator(lanHosts: 0, profile: "esp32-eth");
        var api = new ApiClient(emulator.Port);
        Assert.Equal(200, api.Send("POST", "/api/setup", "{\"password\":\"" + Password + "\"}").Status);
        int bufferBytes = emulator.Host.Profile.Capacities.HttpBufferBytes;
        // Every lease taken, by devices sending the longest names, and every other ARP entry a static host.
        int expected = emulator.OnLoop(() =>
        {
            var firmware = emulator.Host.Firmware;
            var leases = firmware.DhcpServer.Leases;
            var arp = firmware.DataPlane.Arp.Cache;
            long now = firmware.Clock.NowMilliseconds;
            byte[] name = System.Text.Encoding.ASCII.GetBytes(new string('n', Router.Dhcp.DhcpLeaseTable.NameBytes));
            for (int i = 0; i < leases.Capacity; i++)
            {
                leases.Set(i, Router.Dhcp.DhcpLeaseTable.Bound, new byte[] { 2, 0, 0, 0, 1, (byte)i }, 0, Ipv4Address.Make(192, 168, 1, (byte)(100 + i)), (uint)(now / 1000) + 3600);
                leases.SetName(i, name, 0, name.Length);
            }
            int statics = 0;
            for (int i = 0; i < arp.Capacity; i++)
            {
                uint address = Ipv4Address.Make(192, 168, 1, (byte)(20 + i));
                arp.Learn(Router.Link.NetworkPort.Lan, address, new byte[] { 2, 0, 0, 0, 2, (byte)i }, 0, now, create: true);
            }
            for (int i = 0; i < arp.Capacity; i++) if (arp.IsResolved(i) && arp.PortOf(i) == Router.Link.NetworkPort.Lan && leases.FindByAddress(arp.AddressOf(i)) < 0) statics++;
            return leases.Capacity + statics;
        });
        Assert.True(expected > DevicesApi.PageSize);

        var seen = new System.Collections.Generic.HashSet<string>();
        for (int page = 0; page < 10; page++)
        {
            var reply = api.Send("GET", "/api/devices?page=" + page);
            Assert.Equal(200, reply.Status);
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(reply.Body) < bufferBytes, $"page {page} is {reply.Body.Length} bytes");
            Assert.Contains("\"total\":" + expected, reply.Body);
            var macs = System.Text.RegularExpressions.Regex.Matches(reply.Body, "\"mac\":\"([0-9a-f:]+)\"");
            Assert.True(macs.Count <= DevicesApi.PageSize);
            if (macs.Count == 0) break;
            foreach (System.Text.RegularExpressions.Match m in macs) Assert.True(seen.Add(m.Groups[1].Value), "listed twice: " + m.Groups[1].Value);
        }
        Assert.Equal(expected, seen.Count);
        Assert.Equal(400, api.Send("GET", "/api/devices?page=x").Status);
    }
}
