using Router.Config;
using Router.Dhcp;
using Router.Tests.Config;
using Router.Tests.Ip;
using Router.Tests.Support;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Security;

/// <summary>The two settings of issue 14 parts 3 and 4: defaults, their effect, and how they are stored.</summary>
public class SecuritySettingsTests
{
    [Fact]
    public void FactoryDefaultsGuardTheLanAndRefuseSourceRoutes()
    {
        Assert.True(new RouterSettings().LanSourceGuard);
        Assert.False(new RouterSettings().AllowSourceRouted);
        var config = new RouterConfig(1, 1, 1);
        Assert.True(config.LanSourceGuard);
        Assert.False(config.AllowSourceRouted);
    }

    [Fact]
    public void WithTheGuardOffASpoofedLanAddressPasses()
    {
        var rig = new RouterRig(firmware: true);
        RouterConfig off = rig.Firmware.Config.Clone();
        off.LanSourceGuard = false;
        Assert.True(rig.Firmware.Apply(off).IsValid);
        DhcpLeaseTable leases = rig.Firmware.DhcpServer.Leases;
        uint now = (uint)(rig.Clock.NowMilliseconds / 1000);
        leases.Set(leases.Claim(now), DhcpLeaseTable.Bound, HostMac, 0, Host, now + 3600);
        rig.FromLan(Frames.Udp(RouterLanMac, Frames.Mac(0x66), Host, Remote, 40000, 53));
        Assert.Single(rig.Wan.Sent);
        Assert.Equal(0, rig.Counters[Counters.DropLanSourceSpoofed]);
    }

    [Fact]
    public void AllowingSourceRoutesForwardsThem()
    {
        var rig = new RouterRig(settings: new RouterSettings { AllowSourceRouted = true });
        rig.FromLan(IpTestFrames.WithOptions(rig.LanUdp(40000, 53), new byte[] { 0x83, 7, 4, 198, 51, 100, 9, 0 }));
        Assert.Single(rig.Wan.Sent);
        Assert.Equal(0, rig.Counters.DroppedTotal);
    }

    [Fact]
    public void AMalformedOptionListIsABrokenHeader()
    {
        var rig = new RouterRig();
        rig.FromLan(IpTestFrames.WithOptions(rig.LanUdp(40000, 53), new byte[] { 0x94, 9, 0, 0 })); // length runs past the header
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(1, rig.Counters[Counters.DropIpHeaderLength]);
    }

    [Fact]
    public void Version4StoresBothSettingsAndVersion3LoadsWithTheDefaults()
    {
        var c = new RouterConfig(2, 2, 2) { LanSourceGuard = false, AllowSourceRouted = true };
        byte[] payload = ConfigSamples.Payload(c);
        var back = new RouterConfig(2, 2, 2);
        var r = new ConfigReader();
        r.Reset(payload, 0, payload.Length);
        Assert.True(ConfigCodec.Decode(r, ConfigCodec.Version4, back));
        Assert.False(back.LanSourceGuard);
        Assert.True(back.AllowSourceRouted);

        // A version-3 payload is the same without the last byte: it loads with the guard on and source routes refused.
        var old = new RouterConfig(2, 2, 2);
        r.Reset(payload, 0, payload.Length - 1);
        Assert.True(ConfigCodec.Decode(r, ConfigCodec.Version3, old));
        Assert.True(old.LanSourceGuard);
        Assert.False(old.AllowSourceRouted);
    }

    [Fact]
    public void ApplyingAConfigSetsTheDataPlane()
    {
        var rig = new RouterRig(firmware: true);
        RouterConfig c = rig.Firmware.Config.Clone();
        c.AllowSourceRouted = true;
        c.LanSourceGuard = false;
        Assert.True(rig.Firmware.Apply(c).IsValid);
        Assert.True(rig.Firmware.Settings.AllowSourceRouted);
        Assert.False(rig.Firmware.Settings.LanSourceGuard);
    }
}
