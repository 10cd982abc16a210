using System;
using Router.Boards;
using Router.Config;
using Router.Hal.Desktop;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Config;

/// <summary>
/// A save interrupted after every single erase or program operation in turn (and with torn writes) must leave a flash
/// that boots either the complete old configuration or the complete new one.
/// </summary>
public class PowerLossTests
{
    private static readonly BoardProfile Board = ConfigSamples.OneSectorBoard;
    private readonly ITestOutputHelper _output;

    public PowerLossTests(ITestOutputHelper output) { _output = output; }

    [Theory]
    [InlineData(0)] // the first save on a blank flash: the "old" configuration is the factory defaults
    [InlineData(1)] // the save fills the blank second slot
    [InlineData(2)] // both slots hold a configuration and the save erases the older one
    public void EveryCutDuringASaveBootsTheCompleteOldOrTheCompleteNewConfig(int earlierSaves)
    {
        var baseline = ConfigStoreTests.NewFlash();
        RouterConfig old = ConfigStoreTests.Empty();
        for (int n = 1; n <= earlierSaves; n++)
        {
            old = ConfigSamples.Rich(Board.Capacities, n, forwards: 12, triggers: 6);
            Assert.True(ConfigStoreTests.Store(baseline).Save(old).Succeeded);
        }
        byte[] before = baseline.Image.ToArray();
        RouterConfig next = ConfigSamples.Rich(Board.Capacities, 10, forwards: 32, triggers: 16); // a full ESP32 table: several pages
        byte[] oldPayload = ConfigSamples.Payload(old), newPayload = ConfigSamples.Payload(next);

        // How many operations a complete save takes.
        var counter = new PowerCutFlash(new MemoryFlash(Board.FlashSectorSize, Board.ConfigSectors, before));
        Assert.True(ConfigStoreTests.Store(counter).Save(next).Succeeded);
        long operations = counter.OperationCount;
        Assert.True(operations >= 3, "an erase, at least one page and the CRC");

        int tried = 0, passed = 0, bootedOld = 0, bootedNew = 0;
        foreach (int torn in new[] { 0, 1, 3, 17, 200, ConfigStore.ProgramChunk })
        {
            for (long cut = 0; cut < operations; cut++)
            {
                var inner = new MemoryFlash(Board.FlashSectorSize, Board.ConfigSectors, before);
                var flash = new PowerCutFlash(inner, cut, torn);
                var store = ConfigStoreTests.Store(flash);
                var running = ConfigStoreTests.Empty();
                store.Load(running);
                Assert.Throws<PowerLossException>(() => store.Save(next));
                tried++;

                // Power back on: boot from what the flash holds.
                var booted = ConfigStoreTests.Empty();
                LoadResult r = ConfigStoreTests.Store(inner).Load(booted);
                byte[] payload = ConfigSamples.Payload(booted);
                bool isOld = payload.AsSpan().SequenceEqual(oldPayload), isNew = payload.AsSpan().SequenceEqual(newPayload);
                Assert.True(isOld || isNew, $"cut after {cut} operations (torn {torn}): booted neither config ({r.Reason})");
                if (isOld) Assert.Equal(earlierSaves == 0, r.UsedDefaults); // defaults only when there never was a saved config
                if (isNew) bootedNew++; else bootedOld++;
                passed++;
            }
        }
        _output.WriteLine($"{earlierSaves} earlier save(s): a save takes {operations} flash operations; {tried} cut points tried "
            + $"(6 torn-write sizes), {passed} passed: {bootedOld} booted the old config, {bootedNew} the new one");
        Assert.True(tried > 0);
        Assert.Equal(tried, passed);
        Assert.True(bootedOld > 0);
        Assert.True(bootedNew > 0, "a torn write that completes the CRC commits the new config");
    }

    [Fact]
    public void ACutDuringFactoryResetBootsTheOldConfigOrTheDefaults()
    {
        var baseline = ConfigStoreTests.NewFlash();
        var old = ConfigSamples.Rich(Board.Capacities, 1);
        ConfigStoreTests.Store(baseline).Save(old);
        ConfigStoreTests.Store(baseline).Save(ConfigSamples.Rich(Board.Capacities, 2));
        old = ConfigSamples.Rich(Board.Capacities, 2);
        byte[] before = baseline.Image.ToArray();
        byte[] oldPayload = ConfigSamples.Payload(old), defaults = ConfigSamples.Payload(ConfigStoreTests.Empty());

        var counter = new PowerCutFlash(new MemoryFlash(Board.FlashSectorSize, Board.ConfigSectors, before));
        ConfigStoreTests.Store(counter).FactoryReset(ConfigStoreTests.Empty());
        int tried = 0;
        for (long cut = 0; cut < counter.OperationCount; cut++)
        {
            var inner = new MemoryFlash(Board.FlashSectorSize, Board.ConfigSectors, before);
            var store = ConfigStoreTests.Store(new PowerCutFlash(inner, cut, tornWriteBytes: 2));
            Assert.Throws<PowerLossException>(() => store.FactoryReset(ConfigStoreTests.Empty()));
            var booted = ConfigStoreTests.Empty();
            ConfigStoreTests.Store(inner).Load(booted);
            byte[] payload = ConfigSamples.Payload(booted);
            Assert.True(payload.AsSpan().SequenceEqual(oldPayload) || payload.AsSpan().SequenceEqual(defaults), "cut " + cut);
            tried++;
        }
        _output.WriteLine($"factory reset: {tried} cut points tried, all passed");
        Assert.True(tried > 0);
    }
}
