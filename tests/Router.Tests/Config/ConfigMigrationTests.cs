using Router.Tests.Storage;
using System.Collections.Generic;
using System.Text;
using Router.Config;
using Router.Rules;
using Router.Tests.Support;
using Xunit;

namespace Router.Tests.Config;

public class ConfigMigrationTests
{
    /// <summary>
    /// A format version 1 image built by hand from the documented layout (no WAN MTU field): static WAN on the rig's
    /// addresses, one UDP forward "game" 9999 to 192.168.1.3 and one disabled trigger "irc". Version 2 adds the MTU
    /// (1400 here) and, optionally, another LAN; neither version has the DHCP block.
    /// </summary>
    internal static byte[] Version1Image(uint generation) => OldImage(generation, 1, 0xC0A80101, 24, 0xC0A80103);

    internal static byte[] Version2Image(uint generation, uint lan, int prefix, uint forwardTo) => OldImage(generation, 2, lan, prefix, forwardTo);

    private static byte[] OldImage(uint generation, int version, uint lan, int prefix, uint forwardTo)
    {
        var p = new List<byte>();
        void U8(int v) => p.Add((byte)v);
        void U16(int v) { p.Add((byte)(v >> 8)); p.Add((byte)v); }
        void U32(uint v) { U16((int)(v >> 16)); U16((int)(v & 0xFFFF)); }
        void Text(string s) { byte[] b = Encoding.UTF8.GetBytes(s); U8(b.Length); p.AddRange(b); }

        U32(lan); U8(prefix);                                 // LAN 192.168.1.1/24 in version 1
        U8(RouterConfig.WanStatic); U32(0xCB007102); U8(24); // WAN 203.0.113.2/24
        U32(0xCB007101);                                      // gateway 203.0.113.1
        U32(0xC0000235); U32(0);                              // DNS 192.0.2.53, none
        if (version >= 2) U16(1400);                          // WAN MTU, new in version 2
        U32(7440); U32(120); U32(300); U32(60);               // timeouts
        U8(1); U16(60); U8(1); U16(21);                       // FTP helper on, 60 s, control port 21
        U8(4); p.AddRange(new byte[] { 1, 2, 3, 4 });         // admin hash
        U8(2); p.AddRange(new byte[] { 9, 9 });               // admin salt
        U8(1);                                                // one forward
        U8(1); U8(RuleProtocol.Udp); Text("game"); U16(9999); U16(9999); U32(forwardTo); U16(9999); U32(0); U8(0);
        U8(1);                                                // one trigger
        U8(0); Text("irc"); U8(RuleProtocol.Tcp); U16(6667); U16(6667); U8(RuleProtocol.Tcp); U16(1024); U16(1030); U32(300);

        var image = new List<byte>();
        image.AddRange(new byte[] { 0x52, 0x54, 0x43, 0x46, 0, (byte)version, 0, 0 });
        image.AddRange(new[] { (byte)(generation >> 24), (byte)(generation >> 16), (byte)(generation >> 8), (byte)generation });
        image.AddRange(new byte[] { 0, 0, (byte)(p.Count >> 8), (byte)p.Count });
        image.AddRange(p);
        uint crc = Crc32Tests.Reference(image.ToArray(), 0, image.Count);
        image.AddRange(new[] { (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc });
        return image.ToArray();
    }

    [Fact]
    public void Version1LoadsWithTheNewFieldsDefaultedAndTheNextSaveWritesTheCurrentVersion()
    {
        var flash = ConfigStoreTests.NewFlash();
        byte[] v1 = Version1Image(7);
        flash.Program(0, v1, 0, v1.Length);

        var loaded = ConfigStoreTests.Empty();
        loaded.WanMtu = 1400; // must be replaced by the migration default, not left over
        loaded.Dhcp.LeaseSeconds = 60;
        loaded.Dhcp.Reservations.Add(new byte[] { 2, 0, 0, 0, 0, 1 }, 0, Frames.Ip("192.168.1.9"));
        LoadResult r = ConfigStoreTests.Store(flash).Load(loaded);
        Assert.Equal(LoadResult.Loaded, r.Status);
        Assert.Equal(1, r.StoredVersion);
        Assert.True(r.Migrated);
        Assert.Contains("format 1 migrated", r.Reason);
        Assert.Equal(1500, loaded.WanMtu);
        Assert.Equal(RouterConfig.WanStatic, loaded.WanMode);
        Assert.Equal(Frames.Ip("203.0.113.1"), loaded.WanGateway);
        Assert.Equal(Frames.Ip("192.0.2.53"), loaded.PrimaryDns);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, loaded.AdminHash);
        Assert.Equal(new byte[] { 9, 9 }, loaded.AdminSalt);
        Assert.Equal(21, loaded.Ftp.ControlPort(0));
        Assert.Equal(1, loaded.ForwardCount);
        Assert.Equal("game", loaded.Forwards[0].Name);
        Assert.Equal(Frames.Ip("192.168.1.3"), loaded.Forwards[0].InternalAddress);
        Assert.Equal(RuleProtocol.Udp, loaded.Forwards[0].Protocol);
        Assert.Equal(1, loaded.TriggerCount);
        Assert.False(loaded.Triggers[0].Enabled);
        Assert.Equal(1030, loaded.Triggers[0].OpenPortEnd);
        Assert.Equal(300, loaded.Triggers[0].IdleTimeoutSeconds);
        AssertFactoryDhcp(loaded, "192.168.1.100", "192.168.1.199");

        var store = ConfigStoreTests.Store(flash);
        store.Load(ConfigStoreTests.Empty());
        SaveResult s = store.Save(loaded);
        Assert.Equal(1, s.Slot);
        Assert.Equal(8u, s.Generation);
        var again = ConfigStoreTests.Empty();
        LoadResult r2 = ConfigStoreTests.Store(flash).Load(again);
        Assert.Equal(ConfigCodec.CurrentVersion, r2.StoredVersion);
        Assert.Equal(ConfigCodec.Version4, r2.StoredVersion);
        Assert.False(r2.Migrated);
        ConfigSamples.AssertSame(loaded, again);
    }

    [Fact]
    public void Version2LoadsWithFactoryDhcpSettingsAndAPoolFittedToItsLan()
    {
        var flash = ConfigStoreTests.NewFlash();
        // LAN 10.1.2.129/25: hosts .129-.254, the router is the first, so the pool is every host after it.
        byte[] v2 = Version2Image(3, Frames.Ip("10.1.2.129"), 25, Frames.Ip("10.1.2.140"));
        flash.Program(0, v2, 0, v2.Length);
        var loaded = ConfigStoreTests.Empty();
        LoadResult r = ConfigStoreTests.Store(flash).Load(loaded);
        Assert.Equal(LoadResult.Loaded, r.Status);
        Assert.Equal(2, r.StoredVersion);
        Assert.True(r.Migrated);
        Assert.Equal(1400, loaded.WanMtu);
        Assert.Equal(Frames.Ip("10.1.2.140"), loaded.Forwards[0].InternalAddress);
        AssertFactoryDhcp(loaded, "10.1.2.130", "10.1.2.254");
        Assert.True(ConfigValidator.Validate(loaded, ConfigStoreTests.BoardCapacities, new ServicePorts()).IsValid); // boots as stored

        // The factory pool for 192.168.1.0/24 would not fit this LAN; version 2 images of the factory LAN keep it.
        var flash2 = ConfigStoreTests.NewFlash();
        byte[] factoryLan = Version2Image(3, Frames.Ip("192.168.1.1"), 24, Frames.Ip("192.168.1.3"));
        flash2.Program(0, factoryLan, 0, factoryLan.Length);
        var loaded2 = ConfigStoreTests.Empty();
        Assert.Equal(LoadResult.Loaded, ConfigStoreTests.Store(flash2).Load(loaded2).Status);
        AssertFactoryDhcp(loaded2, "192.168.1.100", "192.168.1.199");
    }

    private static void AssertFactoryDhcp(RouterConfig c, string poolStart, string poolEnd)
    {
        Assert.True(c.Dhcp.Enabled);
        Assert.Equal(Frames.Ip(poolStart), c.Dhcp.PoolStart);
        Assert.Equal(Frames.Ip(poolEnd), c.Dhcp.PoolEnd);
        Assert.Equal(43200u, c.Dhcp.LeaseSeconds);
        Assert.True(c.Dhcp.UsesWanDns);
        Assert.Equal(0, c.Dhcp.Reservations.Count);
    }

    [Fact]
    public void AnUnknownFutureVersionIsNotLoaded()
    {
        var flash = ConfigStoreTests.NewFlash();
        byte[] image = Version1Image(1);
        image[5] = ConfigCodec.CurrentVersion + 1; // CRC recomputed so only the version is wrong
        uint crc = Crc32Tests.Reference(image, 0, image.Length - 4);
        image[^4] = (byte)(crc >> 24); image[^3] = (byte)(crc >> 16); image[^2] = (byte)(crc >> 8); image[^1] = (byte)crc;
        flash.Program(0, image, 0, image.Length);
        Assert.Equal(LoadResult.Corrupt, ConfigStoreTests.Store(flash).Load(ConfigStoreTests.Empty()).Status);
    }
}
