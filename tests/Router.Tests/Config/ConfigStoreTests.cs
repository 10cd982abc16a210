using Router.Tests.Storage;
using Router.Helpers.Ftp;
using System;
using System.IO;
using Router.Boards;
using Router.Config;
using Router.Rules;
using Router.Hal;
using Router.Hal.Desktop;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Config;

public class ConfigStoreTests
{
    private static readonly BoardProfile Board = ConfigSamples.OneSectorBoard;
    private readonly ITestOutputHelper _output;

    public ConfigStoreTests(ITestOutputHelper output) { _output = output; }

    internal static MemoryFlash NewFlash() => new MemoryFlash(Board.FlashSectorSize, Board.ConfigSectors);
    internal static ConfigStore Store(IFlash flash) => new ConfigStore(flash, 0, Board.ConfigSectors);
    internal static RouterConfig Empty() => RouterConfig.For(Board.Capacities);
    internal static Capacities BoardCapacities => Board.Capacities;

    [Fact]
    public void RoundTripKeepsEveryField()
    {
        var flash = NewFlash();
        var saved = ConfigSamples.Rich(Board.Capacities, 1);
        SaveResult s = Store(flash).Save(saved);
        Assert.Equal(SaveResult.Saved, s.Status);
        Assert.Equal(0, s.Slot);
        Assert.Equal(1u, s.Generation);

        var loaded = Empty();
        LoadResult r = Store(flash).Load(loaded);
        Assert.Equal(LoadResult.Loaded, r.Status);
        Assert.Equal(0, r.Slot);
        Assert.Equal(1u, r.Generation);
        Assert.Equal(ConfigCodec.CurrentVersion, r.StoredVersion);
        Assert.False(r.Migrated);
        Assert.False(r.OtherSlotDamaged);
        ConfigSamples.AssertSame(saved, loaded);
        Assert.Equal("fwd 0 v1 ünïcode", loaded.Forwards[0].Name);
    }

    [Fact]
    public void ImageHeaderIsLaidOutAsDocumented()
    {
        var flash = NewFlash();
        var config = Empty();
        Store(flash).Save(config);
        byte[] image = flash.Image.ToArray();
        // "RTCF", version 4, flags 0 (an ordinary save; only a factory reset's image sets FlagOtherSlotBlank), generation 1,
        // payload length 74 (the factory defaults, counted in the README).
        Assert.Equal(new byte[] { 0x52, 0x54, 0x43, 0x46, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 74 }, image[..16]);
        uint crc = Crc32Tests.Reference(image, 0, 16 + 74);
        Assert.Equal(new[] { (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc }, image[90..94]);
        Assert.All(image[94..], b => Assert.Equal(0xFF, b));
        // LAN 192.168.1.1/24 then DHCP mode.
        Assert.Equal(new byte[] { 192, 168, 1, 1, 24, RouterConfig.WanDhcp }, image[16..22]);
        // The DHCP block ends the payload: enabled, pool .100-.199, 43200 s, DNS from the WAN (0, 0), no reservations.
        Assert.Equal(new byte[] { 1, 192, 168, 1, 100, 192, 168, 1, 199, 0, 0, 0xA8, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, image[67..89]);
    }

    [Fact]
    public void BlankFlashBootsFactoryDefaultsAndSaysSo()
    {
        var loaded = ConfigSamples.Rich(Board.Capacities, 0);
        LoadResult r = Store(NewFlash()).Load(loaded);
        Assert.Equal(LoadResult.Blank, r.Status);
        Assert.True(r.UsedDefaults);
        Assert.Equal(-1, r.Slot);
        Assert.Contains("blank", r.Reason);
        ConfigSamples.AssertSame(Empty(), loaded);
    }

    [Fact]
    public void GarbageFlashBootsFactoryDefaultsAsCorrupt()
    {
        var flash = NewFlash();
        var junk = new byte[flash.Size];
        new Random(3).NextBytes(junk);
        var loaded = Empty();
        LoadResult r = Store(new MemoryFlash(Board.FlashSectorSize, Board.ConfigSectors, junk)).Load(loaded);
        Assert.Equal(LoadResult.Corrupt, r.Status);
        Assert.Contains("no valid config", r.Reason);
    }

    [Fact]
    public void SavesAlternateSlotsAndTheNewestGenerationWins()
    {
        var flash = NewFlash();
        var store = Store(flash);
        for (int n = 1; n <= 5; n++)
        {
            SaveResult s = store.Save(ConfigSamples.Rich(Board.Capacities, n));
            Assert.Equal((n - 1) % 2, s.Slot);
            Assert.Equal((uint)n, s.Generation);

            var loaded = Empty();
            LoadResult r = Store(flash).Load(loaded); // a reboot after each save
            Assert.Equal((uint)n, r.Generation);
            ConfigSamples.AssertSame(ConfigSamples.Rich(Board.Capacities, n), loaded);
        }
        Assert.Equal(3, flash.GetSectorEraseCount(0));
        Assert.Equal(2, flash.GetSectorEraseCount(1));
    }

    [Fact]
    public void AStoreThatWasNeverLoadedStillWritesAfterTheNewest()
    {
        var flash = NewFlash();
        Store(flash).Save(ConfigSamples.Rich(Board.Capacities, 1));
        Store(flash).Save(ConfigSamples.Rich(Board.Capacities, 2));
        SaveResult third = Store(flash).Save(ConfigSamples.Rich(Board.Capacities, 3));
        Assert.Equal(0, third.Slot);
        Assert.Equal(3u, third.Generation);
    }

    [Fact]
    public void EverySingleBitFlipInASlotIsDetected()
    {
        var flash = NewFlash();
        var saved = ConfigSamples.Rich(Board.Capacities, 1, forwards: 8, triggers: 4);
        int used = Store(flash).Save(saved).BytesUsed;
        byte[] good = flash.Image.ToArray();
        int slotBytes = Store(flash).SlotBytes;
        int detected = 0, harmless = 0;
        var loaded = Empty();
        for (int bit = 0; bit < slotBytes * 8; bit++)
        {
            byte[] image = (byte[])good.Clone();
            image[bit / 8] ^= (byte)(1 << (bit % 8));
            LoadResult r = Store(new MemoryFlash(Board.FlashSectorSize, Board.ConfigSectors, image)).Load(loaded);
            if (bit / 8 < used)
            {
                Assert.True(r.Status == LoadResult.Corrupt, "bit " + bit + " went undetected");
                detected++;
            }
            else
            {
                Assert.Equal(LoadResult.Loaded, r.Status); // past the image: erased space, not part of the config
                harmless++;
            }
        }
        ConfigSamples.AssertSame(saved, Reload(good));
        _output.WriteLine($"bit flips: {detected} inside the {used}-byte image all detected, {harmless} in the erased rest of the slot harmless");
        Assert.Equal(used * 8, detected);
    }

    [Fact]
    public void ABitFlipInTheNewestSlotFallsBackToTheOlderCompleteConfig()
    {
        var flash = NewFlash();
        var store = Store(flash);
        store.Save(ConfigSamples.Rich(Board.Capacities, 1));
        int used = store.Save(ConfigSamples.Rich(Board.Capacities, 2)).BytesUsed;
        byte[] good = flash.Image.ToArray();
        int slot1 = Board.FlashSectorSize;
        var older = ConfigSamples.Payload(ConfigSamples.Rich(Board.Capacities, 1));
        var loaded = Empty();
        for (int bit = 0; bit < used * 8; bit += 3)
        {
            byte[] image = (byte[])good.Clone();
            image[slot1 + bit / 8] ^= (byte)(1 << (bit % 8));
            LoadResult r = Store(new MemoryFlash(Board.FlashSectorSize, Board.ConfigSectors, image)).Load(loaded);
            Assert.Equal(LoadResult.Loaded, r.Status);
            Assert.Equal(0, r.Slot);
            Assert.True(r.OtherSlotDamaged);
            Assert.Equal(older, ConfigSamples.Payload(loaded));
        }
    }

    [Fact]
    public void ATooLargeConfigIsRefusedWithoutTouchingTheFlash()
    {
        var flash = new MemoryFlash(256, 2);
        var store = new ConfigStore(flash, 0, 2);
        SaveResult s = store.Save(ConfigSamples.Rich(Board.Capacities, 1, forwards: 10));
        Assert.Equal(SaveResult.TooLarge, s.Status);
        Assert.Equal(0, flash.EraseCount + flash.ProgramCount);
        Assert.False(store.Usage(ConfigSamples.Rich(Board.Capacities, 1, forwards: 10)).Fits);
    }

    [Fact]
    public void AFailedVerifyReportsItAndTheOldConfigStillBoots()
    {
        var inner = NewFlash();
        Store(inner).Save(ConfigSamples.Rich(Board.Capacities, 1));
        var stuck = new StuckBitFlash(inner, address: Board.FlashSectorSize); // the magic's first byte, 0x52, has bit 1 set
        SaveResult s = Store(stuck).Save(ConfigSamples.Rich(Board.Capacities, 2));
        Assert.Equal(SaveResult.VerifyFailed, s.Status);
        ConfigSamples.AssertSame(ConfigSamples.Rich(Board.Capacities, 1), Reload(inner.Image.ToArray()));
    }

    [Fact]
    public void FileFlashKeepsTheConfigAcrossRestarts()
    {
        string path = Path.Combine(Path.GetTempPath(), "router-config-" + Guid.NewGuid().ToString("N") + ".bin");
        try
        {
            var saved = ConfigSamples.Rich(Board.Capacities, 4);
            using (var flash = FileFlash.Open(path, Board.FlashSectorSize, Board.ConfigSectors))
            {
                Assert.True(Store(flash).Save(ConfigSamples.Rich(Board.Capacities, 3)).Succeeded);
                Assert.True(Store(flash).Save(saved).Succeeded);
            }
            Assert.Equal(Board.FlashSectorSize * Board.ConfigSectors, new FileInfo(path).Length);
            using (var flash = FileFlash.Open(path, Board.FlashSectorSize, Board.ConfigSectors))
            {
                var loaded = Empty();
                LoadResult r = Store(flash).Load(loaded);
                Assert.Equal(2u, r.Generation);
                ConfigSamples.AssertSame(saved, loaded);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FactoryResetWritesDefaultsAndErasesTheOldSlot()
    {
        var flash = NewFlash();
        Store(flash).Save(ConfigSamples.Rich(Board.Capacities, 1));
        Store(flash).Save(ConfigSamples.Rich(Board.Capacities, 2));
        SaveResult s = Store(flash).FactoryReset(Empty());
        Assert.True(s.Succeeded);
        Assert.Equal(3u, s.Generation);
        var loaded = ConfigSamples.Rich(Board.Capacities, 9);
        LoadResult r = Store(flash).Load(loaded);
        Assert.Equal(LoadResult.Loaded, r.Status);
        Assert.False(r.OtherSlotDamaged);
        ConfigSamples.AssertSame(Empty(), loaded);
        byte[] image = flash.Image.ToArray();
        Assert.All(image[Board.FlashSectorSize..], b => Assert.Equal(0xFF, b)); // the old admin hash is gone
    }

    [Fact]
    public void UsageReportsBytesAgainstTheSlot()
    {
        var store = Store(NewFlash());
        var c = Empty();
        ConfigUsage u = store.Usage(c);
        Assert.Equal(94, u.BytesUsed);  // 16 header + 74 payload + 4 CRC
        Assert.Equal(4096, u.BytesAvailable);
        Assert.Equal(3068, u.WorstCaseBytes); // 20 + 184 fixed (8 FTP control ports, DHCP block, guard flags) + 32 x 63 (50 + a pool of 3 more hosts) + 16 x 48 + 8 x 10
        var f = c.AddForward();
        f.Name = "web";
        Assert.Equal(94 + 18 + 3, store.Usage(c).BytesUsed);
        c.Dhcp.Reservations.Add(new byte[] { 2, 0, 0, 0, 0, 7 }, 0, 0xC0A80107);
        Assert.Equal(94 + 18 + 3 + 10, store.Usage(c).BytesUsed);
    }

    [Fact]
    public void TheLargestConfigOfEveryBoardFitsItsSlot()
    {
        foreach (string name in BoardProfiles.Names)
        {
            BoardProfile board = BoardProfiles.ByName(name);
            var flash = new MemoryFlash(board.FlashSectorSize, board.ConfigSectors);
            var store = new ConfigStore(flash, 0, board.ConfigSectors);
            RouterConfig worst = Largest(board.Capacities);
            ConfigUsage u = store.Usage(worst);
            Assert.Equal(ConfigStore.WorstCaseImageBytes(board.Capacities), u.BytesUsed);
            Assert.Equal(u.WorstCaseBytes, u.BytesUsed);
            Assert.True(u.Fits, name + ": " + u.BytesUsed + " > " + u.BytesAvailable);
            Assert.True(store.Save(worst).Succeeded);
            var loaded = RouterConfig.For(board.Capacities);
            Assert.Equal(LoadResult.Loaded, new ConfigStore(flash, 0, board.ConfigSectors).Load(loaded).Status);
            ConfigSamples.AssertSame(worst, loaded);
            _output.WriteLine($"{name}: {board.Capacities.PortForwards} forwards + {board.Capacities.PortTriggers} triggers + {board.Capacities.DhcpReservations} reservations, worst case {u.BytesUsed} of {u.BytesAvailable} bytes per slot");
        }
    }

    private static RouterConfig Largest(Capacities capacities)
    {
        var c = ConfigSamples.Rich(capacities, 0, forwards: 0, triggers: 0, reservations: capacities.DhcpReservations);
        c.AdminHash = new byte[RouterConfig.MaxAdminHashBytes];
        c.AdminSalt = new byte[RouterConfig.MaxAdminSaltBytes];
        for (int port = 2000; c.Ftp.ControlPortCount < FtpHelperSettings.MaxControlPorts; port++) c.Ftp.AddControlPort(port);
        while (c.AddForward() is { } f)
        {
            f.Name = new string('f', 32);
            for (int m = 1; m < PortForward.MaxPoolMembers; m++) f.SetPoolMember(m, (uint)(0x0A000000 + m));
        }
        while (c.AddTrigger() is { } t) t.Name = new string('t', 32);
        return c;
    }

    private static RouterConfig Reload(byte[] image)
    {
        var loaded = Empty();
        Assert.Equal(LoadResult.Loaded, Store(new MemoryFlash(Board.FlashSectorSize, Board.ConfigSectors, image)).Load(loaded).Status);
        return loaded;
    }

    /// <summary>A flash whose bit 1 at one address is stuck at 0: programs "succeed" but read back differently.</summary>
    private sealed class StuckBitFlash : IFlash
    {
        private readonly IFlash _inner;
        private readonly int _address;
        public StuckBitFlash(IFlash inner, int address) { _inner = inner; _address = address; }
        public int SectorSize => _inner.SectorSize;
        public int SectorCount => _inner.SectorCount;
        public void EraseSector(int sector) => _inner.EraseSector(sector);
        public void Read(int address, byte[] buffer, int offset, int count) => _inner.Read(address, buffer, offset, count);
        public void Program(int address, byte[] data, int offset, int count)
        {
            byte[] copy = data[offset..(offset + count)];
            if (_address >= address && _address < address + count) copy[_address - address] &= 0xFD;
            _inner.Program(address, copy, 0, count);
        }
    }
}
