using Router.Boards;
using Router.Config;
using Router.Hal.Desktop;
using Router.Rules;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Config;

/// <summary>RouterFirmware's boot, apply and save path over a flash that survives "reboots" (new rigs over the same flash).</summary>
public class FirmwareConfigTests
{
    private static readonly BoardProfile Esp32 = BoardProfiles.Esp32Ethernet();

    private static (RouterRig rig, LoadResult result) Boot(MemoryFlash flash, bool factoryReset = false)
    {
        var rig = new RouterRig(capacities: Esp32.Capacities, firmware: true);
        LoadResult r = rig.Firmware.LoadConfig(new ConfigStore(flash, 0, Esp32.ConfigSectors), factoryReset);
        return (rig, r);
    }

    private static RouterConfig WithForward(RouterFirmware firmware)
    {
        var c = firmware.Config.Clone();
        // A static WAN with the rig's addresses (booting a blank flash put the factory DHCP mode in force).
        c.WanMode = RouterConfig.WanStatic;
        c.WanAddress = RouterWan;
        c.WanPrefixLength = 24;
        c.WanGateway = Gateway;
        PortForward f = c.AddForward();
        f.Name = "web";
        f.ExternalPort = f.ExternalPortEnd = 8080;
        f.InternalAddress = Host;
        f.InternalPort = 80;
        return c;
    }

    [Fact]
    public void ASavedForwardIsInForceAfterAReboot()
    {
        var flash = ConfigStoreTests.NewFlash();
        var (first, blank) = Boot(flash);
        Assert.Equal(LoadResult.Blank, blank.Status);
        Assert.Equal(RouterConfig.WanDhcp, first.Firmware.Config.WanMode);
        Assert.True(first.Firmware.Apply(WithForward(first.Firmware)).IsValid);
        SaveResult saved = first.Firmware.SaveConfig();
        Assert.True(saved.Succeeded);
        Assert.Equal(saved.BytesUsed, first.Firmware.ConfigUsage().BytesUsed);

        var (second, loaded) = Boot(flash);
        Assert.Equal(LoadResult.Loaded, loaded.Status);
        Assert.Equal(1, second.Firmware.Forwards.Count);
        second.FromWan(second.WanTcp(40000, 8080, TcpSegment.Syn));
        Assert.Equal(80, TcpSegment.DestinationPort(second.Lan.TakeOne(), 34));
    }

    [Fact]
    public void FactoryResetAtBootDropsTheStoredRulesAndPersistsTheDefaults()
    {
        var flash = ConfigStoreTests.NewFlash();
        var (first, _) = Boot(flash);
        Assert.True(first.Firmware.Apply(WithForward(first.Firmware)).IsValid);
        Assert.True(first.Firmware.SaveConfig().Succeeded);

        var (reset, r) = Boot(flash, factoryReset: true);
        Assert.Equal(LoadResult.FactoryReset, r.Status);
        Assert.Equal(0, reset.Firmware.Forwards.Count);
        reset.FromWan(reset.WanTcp(40000, 8080, TcpSegment.Syn));
        Assert.Empty(reset.Lan.Sent);

        var (after, r2) = Boot(flash);
        Assert.Equal(LoadResult.Loaded, r2.Status);
        Assert.Equal(0, after.Firmware.Config.ForwardCount);
    }

    [Fact]
    public void AStoredConfigThisBoardRejectsBootsDefaultsAndSaysWhy()
    {
        var flash = ConfigStoreTests.NewFlash();
        var bad = RouterConfig.For(Esp32.Capacities);
        PortForward f = bad.AddForward();
        f.Name = "outside";
        f.ExternalPort = f.ExternalPortEnd = 80;
        f.InternalAddress = Frames.Ip("10.9.9.9"); // not on the LAN
        f.InternalPort = 80;
        Assert.True(ConfigStoreTests.Store(flash).Save(bad).Succeeded); // the store itself does not judge

        var (rig, r) = Boot(flash);
        Assert.Equal(LoadResult.Invalid, r.Status);
        Assert.Contains("forwards[0].internalAddress", r.Reason);
        Assert.Equal(0, rig.Firmware.Forwards.Count);
    }

    [Fact]
    public void SaveRefusesAnInvalidConfigAndWorksOnlyWithAStore()
    {
        var rig = new RouterRig(firmware: true);
        Assert.Equal(SaveResult.NoStore, rig.Firmware.SaveConfig().Status);
        Assert.Null(rig.Firmware.ConfigUsage());
        var flash = ConfigStoreTests.NewFlash();
        var (booted, _) = Boot(flash);
        booted.Firmware.Config.LanPrefixLength = 31; // edited in place, bypassing Apply
        SaveResult s = booted.Firmware.SaveConfig();
        Assert.Equal(SaveResult.Invalid, s.Status);
        Assert.Equal("lanPrefixLength", s.Validation.Field);
        Assert.Equal(0, flash.ProgramCount);
    }

    [Fact]
    public void AVersion1ImageIsMigratedAtBoot()
    {
        var flash = ConfigStoreTests.NewFlash();
        byte[] image = ConfigMigrationTests.Version1Image(generation: 7);
        flash.Program(0, image, 0, image.Length);
        var (rig, r) = Boot(flash);
        Assert.True(r.Migrated, r.Reason);
        Assert.Equal(1500, rig.Router.Settings.WanMtu);
        Assert.Equal(1, rig.Firmware.Forwards.Count);
        rig.FromWan(rig.WanUdp(5000, 9999));
        Assert.Equal(Host2, Ipv4Packet.Destination(rig.Lan.TakeOne(), 14));
    }
}
