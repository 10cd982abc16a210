using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.Versioning;
using System.Threading;
using Router.Dhcp;
using Router.Wire;
using Xunit;

namespace Router.Tests.Lab;

/// <summary>
/// A real DHCP client (busybox <c>udhcpc</c>) on the LAN against the router's DHCP server: lease, renewal, release.
/// It runs on the lab's second LAN host (<see cref="LabFixture.DhcpNamespace"/>, a macvlan of the LAN TAP with its
/// own MAC), so the static host 192.168.1.2 is never touched; its event script applies the lease inside that
/// namespace only (a renewal and a release are unicast from the leased address, which must be configured) and logs it.
/// </summary>
[Collection(LabCollection.Name)]
[SupportedOSPlatform("linux")] // the lab only runs there (LabFact skips elsewhere)
public class LabDhcpTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    private readonly LabFixture _lab;

    public LabDhcpTests(LabFixture lab) => _lab = lab;

    [LabFact]
    public void UdhcpcLeasesRenewsAndReleasesAnAddressOfThePool()
    {
        _lab.AddDhcpHost();
        using var router = LabRouter.Start(_lab, config =>
        {
            config.Dhcp.PoolStart = Ipv4Address.Make(192, 168, 1, 150);
            config.Dhcp.PoolEnd = Ipv4Address.Make(192, 168, 1, 159);
            config.Dhcp.LeaseSeconds = 900;
            config.Dhcp.Dns1 = Ipv4Address.Make(198, 51, 100, 53);
            config.Dhcp.Dns2 = Ipv4Address.Make(198, 51, 100, 54);
        });
        DhcpServer server = router.Firmware.DhcpServer;
        string ns = _lab.DhcpNamespace, device = LabFixture.DhcpInterface;
        byte[] mac = Convert.FromHexString(_lab.Run(ns, "cat", $"/sys/class/net/{device}/address").Stdout.Trim().Replace(":", ""));
        var events = new UdhcpcEvents(Path.Combine(_lab.Directory, "udhcpc"));

        // Foreground, give up after 5 discovers 2 s apart (-n), keep running once bound so that signals drive it.
        using var client = _lab.Start(ns, "udhcpc", "-f", "-n", "-t", "5", "-T", "2", "-i", device, "-s", events.Script, "-p", events.PidFile);
        events.Next("deconfig", client); // udhcpc's start
        string[] bound = events.Next("bound", client);

        uint address = ParseAddress(bound[1]);
        Assert.InRange(address, Ipv4Address.Make(192, 168, 1, 150), Ipv4Address.Make(192, 168, 1, 159));
        Assert.Equal("255.255.255.0", bound[2]);
        Assert.Equal("24", bound[3]);
        Assert.Equal(LabFixture.RouterLan, bound[4]);
        Assert.Equal("198.51.100.53 198.51.100.54", bound[5]);
        Assert.Equal("900", bound[6]);
        Assert.Equal(LabFixture.RouterLan, bound[7]); // server identifier
        long offersWhenBound = server.Counters[DhcpCounters.OffersSent];
        Assert.True(offersWhenBound >= 1);
        int entry = server.Leases.FindByMac(mac, 0);
        Assert.NotEqual(DhcpLeaseTable.NotFound, entry);
        Assert.Equal(DhcpLeaseTable.Bound, server.Leases.State(entry));
        Assert.Equal(address, server.Leases.Address(entry));
        // The lease works: the host reaches the router from it, and the static host kept its address.
        var ping = _lab.Run(ns, "ping", "-c", "1", "-W", "2", LabFixture.RouterLan);
        Assert.True(ping.ExitCode == 0, ping.Output);
        Assert.Contains(LabFixture.LanHost + "/24", _lab.Run(_lab.LanNamespace, "ip", "-br", "addr", "show", LabFixture.TapName).Stdout);

        // SIGUSR1: renew now (RENEWING: a unicast REQUEST from the leased address, no new DISCOVER).
        events.Signal("USR1");
        string[] renewed = events.Next("renew", client);
        Assert.Equal(bound[1], renewed[1]);
        Assert.Equal("900", renewed[6]);
        // Offers all precede the ACK that bound it; ACKs are counted loosely since a slow answer makes udhcpc repeat a REQUEST.
        Assert.Equal(offersWhenBound, server.Counters[DhcpCounters.OffersSent]);
        Assert.True(server.Counters[DhcpCounters.AcksSent] >= 2, "an ACK for the binding and one for the renewal");
        Assert.Equal(entry, server.Leases.FindByMac(mac, 0));
        Assert.Equal(DhcpLeaseTable.Bound, server.Leases.State(entry));
        Assert.Equal(address, server.Leases.Address(entry));

        // SIGUSR2: release (a unicast RELEASE, then the script's deconfig); the address goes back to the pool.
        events.Signal("USR2");
        events.Next("deconfig", client);
        WaitUntil(() => server.Counters[DhcpCounters.Releases] == 1, "the router saw the RELEASE");
        var output = client.Stop();
        router.Stop();

        Assert.Equal(DhcpLeaseTable.Released, server.Leases.State(entry));
        Assert.Equal(0, server.Leases.Count(DhcpLeaseTable.Bound));
        Assert.Equal(0, server.Counters[DhcpCounters.NaksSent]);
        Assert.Equal(0, server.Counters.DroppedTotal);
        Assert.DoesNotContain("no lease", output.Output);
    }

    private static uint ParseAddress(string text)
    {
        Assert.True(Ipv4Address.TryParse(text, out uint address), $"not an address: '{text}'");
        return address;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < EventTimeout, "timed out waiting until " + what);
            Thread.Sleep(20);
        }
    }

    /// <summary>udhcpc's event script and the log it appends to: one line per event, <c>event|ip|subnet|mask|router|dns|lease|serverid</c>.</summary>
    private sealed class UdhcpcEvents
    {
        private readonly string _log;
        private int _seen;

        public UdhcpcEvents(string directory)
        {
            System.IO.Directory.CreateDirectory(directory);
            _log = Path.Combine(directory, "events");
            Script = Path.Combine(directory, "event.sh");
            PidFile = Path.Combine(directory, "udhcpc.pid");
            File.WriteAllText(Script, $"""
                #!/bin/sh
                # Runs in the DHCP host's namespace: applies the lease to its interface there, and logs the event.
                case "$1" in
                  deconfig) ip addr flush dev "$interface" ;;
                  bound|renew) ip addr replace "$ip/$mask" dev "$interface" ;;
                esac
                echo "$1|$ip|$subnet|$mask|$router|$dns|$lease|$serverid" >> '{_log}'

                """);
            File.SetUnixFileMode(Script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public string Script { get; }
        public string PidFile { get; }

        /// <summary>Waits (bounded) for the next event and checks it is <paramref name="expected"/>; returns its fields.</summary>
        public string[] Next(string expected, LabProcess client)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                string[] lines = File.Exists(_log) ? File.ReadAllLines(_log) : Array.Empty<string>();
                if (lines.Length > _seen)
                {
                    string[] fields = lines[_seen++].Split('|');
                    Assert.True(fields[0] == expected, $"expected udhcpc event '{expected}', got: {string.Join('|', fields)}");
                    return fields;
                }
                if (client.HasExited || deadline.Elapsed > EventTimeout)
                {
                    Assert.Fail($"no udhcpc event '{expected}' (events so far: {string.Join("; ", lines)}); udhcpc: {client.Stop().Output}");
                }
                Thread.Sleep(20);
            }
        }

        /// <summary>Sends a signal to the running udhcpc (its pid from the pidfile it wrote).</summary>
        public void Signal(string name)
        {
            string pid = File.ReadAllText(PidFile).Trim();
            using var kill = LabProcess.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + name, pid } });
            var result = kill.WaitForExit(LabFixture.CommandTimeout);
            Assert.True(result.ExitCode == 0, result.Output);
        }
    }
}
