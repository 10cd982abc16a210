using Router.Dhcp;
using Router.Tests.Support;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Security;

/// <summary>
/// Issue 14 part 3: a LAN frame from an address the DHCP server leased or reserved to another MAC is dropped and
/// counted; static hosts and the owners themselves pass. Uses only main's APIs (it ran, and failed, against main's code).
/// </summary>
public class LanSourceGuardTests
{
    private static readonly byte[] AttackerMac = Frames.Mac(0x66);

    private static RouterRig WithLease(uint address, byte[] mac, uint seconds = 3600)
    {
        var rig = new RouterRig(firmware: true);
        DhcpLeaseTable leases = rig.Firmware.DhcpServer.Leases;
        uint now = (uint)(rig.Clock.NowMilliseconds / 1000);
        leases.Set(leases.Claim(now), DhcpLeaseTable.Bound, mac, 0, address, now + seconds);
        return rig;
    }

    [Fact]
    public void AFrameFromALeasedAddressSentByAnotherMacIsDropped()
    {
        var rig = WithLease(Host, HostMac);
        rig.FromLan(Frames.Udp(RouterLanMac, AttackerMac, Host, Remote, 40000, 53));
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(1, NamedCounters.Read(rig.Counters, "drop_lan_source_spoofed"));

        // The lease's owner passes, before and after the spoof.
        rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40001, 53));
        Assert.Single(rig.Wan.Sent);
        rig.FromLan(Frames.Udp(RouterLanMac, AttackerMac, Host, Remote, 40002, 53));
        Assert.Single(rig.Wan.Sent);
        Assert.Equal(2, NamedCounters.Read(rig.Counters, "drop_lan_source_spoofed"));
        rig.AssertAccounted();
    }

    [Fact]
    public void ASpoofedFtpPortCommandOpensNoHole()
    {
        // The attack the guard stops: the attacker poses as the victim on a control connection and names the victim's port.
        var rig = WithLease(Host, HostMac);
        rig.FromLan(Frames.Tcp(RouterLanMac, AttackerMac, Host, Remote, 40000, 21, global::Router.Wire.TcpSegment.Syn));
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(0, rig.Router.Connections.Count);
        Assert.Equal(1, NamedCounters.Read(rig.Counters, "drop_lan_source_spoofed"));
    }

    [Fact]
    public void AnAddressReservedForAnotherMacIsGuardedEvenWithoutALease()
    {
        var rig = new RouterRig(firmware: true);
        rig.Firmware.DhcpServer.Settings.Reservations.Add(HostMac, 0, Host2);
        rig.FromLan(Frames.Udp(RouterLanMac, AttackerMac, Host2, Remote, 40000, 53));
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(1, NamedCounters.Read(rig.Counters, "drop_lan_source_spoofed"));
        rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Host2, Remote, 40000, 53));
        Assert.Single(rig.Wan.Sent);
    }

    [Fact]
    public void StaticHostsAndExpiredLeasesStillWork()
    {
        var rig = WithLease(Host, HostMac, seconds: 10);
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, Remote, 40000, 53)); // static host: no lease, no reservation
        Assert.Single(rig.Wan.Sent);
        rig.Clock.Advance(11 * 1000L); // the lease ran out: the address is nobody's now
        rig.FromLan(Frames.Udp(RouterLanMac, AttackerMac, Host, Remote, 40001, 53));
        Assert.Equal(2, rig.Wan.Sent.Count);
        Assert.Equal(0, rig.Counters.DroppedTotal);
    }

    [Fact]
    public void ALeaseGivenToAnotherMacLaterIsGuardedAtOnce()
    {
        var rig = new RouterRig(firmware: true);
        rig.FromLan(Frames.Udp(RouterLanMac, AttackerMac, Host, Remote, 40000, 53)); // admitted: nobody holds Host yet
        Assert.Single(rig.Wan.Sent);
        DhcpLeaseTable leases = rig.Firmware.DhcpServer.Leases;
        uint now = (uint)(rig.Clock.NowMilliseconds / 1000);
        leases.Set(leases.Claim(now), DhcpLeaseTable.Bound, HostMac, 0, Host, now + 3600);
        rig.FromLan(Frames.Udp(RouterLanMac, AttackerMac, Host, Remote, 40000, 53));
        Assert.Single(rig.Wan.Sent);
        Assert.Equal(1, NamedCounters.Read(rig.Counters, "drop_lan_source_spoofed"));
    }
}
