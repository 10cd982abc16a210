using System;
using System.Linq;
using Router.Boards;
using Router.Config;
using Router.Dhcp;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Rules;
using Router.Tests.Support;
using Router.Web;
using Xunit;
using Xunit.Abstractions;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Config;

/// <summary>
/// Saves on the packet loop run one flash operation per RunOnce (docs/loop.md). A power cut between any two ticks
/// boots the complete old or the complete new configuration (or lease snapshot), and the web answer to a save leaves
/// only once the new configuration is stored.
/// </summary>
public class SlicedSaveTests
{
    private static readonly BoardProfile Board = ConfigSamples.OneSectorBoard;
    private readonly ITestOutputHelper _output;

    public SlicedSaveTests(ITestOutputHelper output) { _output = output; }

    private static (RouterRig rig, WebContext web) Boot(IFlash flash)
    {
        var rig = new RouterRig(capacities: Board.Capacities, firmware: true);
        rig.Firmware.LoadConfig(new ConfigStore(flash, 0, Board.ConfigSectors), false);
        var web = new WebContext(rig.Firmware, rig.Firmware.Store, new TestRandom(3), "test", new EventLog(8), 2);
        return (rig, web);
    }

    private static RouterConfig WithForwards(RouterConfig current, int count)
    {
        var c = current.Clone();
        c.WanMode = RouterConfig.WanStatic;
        c.WanAddress = RouterWan;
        c.WanPrefixLength = 24;
        c.WanGateway = Gateway;
        int first = c.ForwardCount;
        for (int i = first; i < first + count; i++)
        {
            PortForward f = c.AddForward();
            f.Name = "forward number " + i;
            f.ExternalPort = f.ExternalPortEnd = 8000 + i;
            f.InternalAddress = Host;
            f.InternalPort = 80;
        }
        return c;
    }

    private static byte[] Booted(byte[] image)
    {
        var booted = ConfigStoreTests.Empty();
        ConfigStoreTests.Store(new MemoryFlash(Board.FlashSectorSize, Board.ConfigSectors, image)).Load(booted);
        return ConfigSamples.Payload(booted);
    }

    [Fact]
    public void AWebSaveTakesOneFlashOperationPerTickAndACutBetweenAnyTwoTicksLosesNothingSaved()
    {
        var flash = ConfigStoreTests.NewFlash();
        var (rig, web) = Boot(flash);
        RouterConfig old = WithForwards(web.Editor.Current, 2);
        var first = new HttpResponse(512, new byte[4096]);
        first.Reset(true, false);
        Assert.True(web.Editor.Commit(old, "old", first).IsValid);
        rig.Firmware.RunUntilIdle();
        first.Pending.Poll(null, first);
        Assert.Null(first.Pending);

        RouterConfig next = WithForwards(web.Editor.Current, 30); // several 256-byte pages
        byte[] oldPayload = ConfigSamples.Payload(old), newPayload = ConfigSamples.Payload(next);
        var response = new HttpResponse(512, new byte[4096]);
        response.Reset(true, false);
        Assert.True(web.Editor.Commit(next, "next", response).IsValid);
        Assert.Equal(32, rig.Firmware.Forwards.Count); // in force at once
        Assert.NotNull(response.Pending);               // answered once stored

        int ticks = 0, bootedOld = 0, bootedNew = 0;
        while (response.Pending != null)
        {
            long before = flash.EraseCount + flash.ProgramCount;
            rig.Firmware.RunOnce();
            ticks++;
            Assert.True(flash.EraseCount + flash.ProgramCount - before <= 1, $"tick {ticks} did more than one flash operation");
            response.Pending.Poll(null, response);
            // Power cut after this tick: boot from what the flash holds now.
            byte[] booted = Booted(flash.Image.ToArray());
            bool isOld = booted.AsSpan().SequenceEqual(oldPayload), isNew = booted.AsSpan().SequenceEqual(newPayload);
            Assert.True(isOld || isNew, $"a cut after tick {ticks} boots neither configuration");
            if (response.Pending == null) Assert.True(isNew, "the answer left before the new configuration was stored");
            if (isOld) bootedOld++; else bootedNew++;
            Assert.True(ticks < 100, "the save never completed");
        }
        _output.WriteLine($"a {newPayload.Length}-byte configuration saved in {ticks} ticks (one flash operation each): a cut after {bootedOld} of them boots the old one, after {bootedNew} the new one");
        Assert.True(ticks >= 5, "an erase, several pages, the CRC and the read-back: one per tick");
        Assert.True(bootedOld > 0);
        Assert.True(bootedNew > 0);
    }

    [Fact]
    public void ChangesMadeWhileASaveRunsAreStoredByTheNextSaveAndTheirAnswersWaitForIt()
    {
        var flash = ConfigStoreTests.NewFlash();
        var (rig, web) = Boot(flash);
        var a = new HttpResponse(512, new byte[4096]);
        var b = new HttpResponse(512, new byte[4096]);
        a.Reset(true, false);
        b.Reset(true, false);
        Assert.True(web.Editor.Commit(WithForwards(web.Editor.Current, 1), "a", a).IsValid);
        rig.Firmware.RunOnce(); // the first save is under way
        RouterConfig both = WithForwards(web.Editor.Current, 1);
        Assert.True(web.Editor.Commit(both, "b", b).IsValid);
        for (int i = 0; i < 100 && b.Pending != null; i++)
        {
            rig.Firmware.RunOnce();
            if (a.Pending != null) a.Pending.Poll(null, a);
            b.Pending.Poll(null, b);
        }
        Assert.Null(a.Pending);
        Assert.Null(b.Pending);
        Assert.Equal(ConfigSamples.Payload(both), Booted(flash.Image.ToArray()));
    }

    [Fact]
    public void ASaveTheFlashRefusesPutsTheStoredConfigurationBackAndItsAnswerSaysSo()
    {
        var inner = ConfigStoreTests.NewFlash();
        var flash = new ForgetfulFlash(inner);
        var (rig, web) = Boot(flash);
        var ok = new HttpResponse(512, new byte[4096]);
        ok.Reset(true, false);
        Assert.True(web.Editor.Commit(WithForwards(web.Editor.Current, 1), "one forward", ok).IsValid);
        rig.Firmware.RunUntilIdle();
        ok.Pending.Poll(null, ok);
        Assert.Null(ok.Pending);
        Assert.Equal(1, rig.Firmware.Forwards.Count);

        flash.DropPrograms = true; // worn flash: programs do not stick, the read-back fails
        var response = new HttpResponse(512, new byte[4096]);
        response.Reset(true, false);
        Assert.True(web.Editor.Commit(WithForwards(web.Editor.Current, 3), "three more", response).IsValid);
        Assert.Equal(4, rig.Firmware.Forwards.Count);
        rig.Firmware.RunUntilIdle();
        response.Pending.Poll(null, response);
        Assert.Null(response.Pending);
        Assert.Equal(HttpStatus.InternalError, response.Status);
        Assert.Equal(1, rig.Firmware.Forwards.Count); // rolled back to what the flash holds
        Assert.Equal(1, web.Editor.Current.ForwardCount);
    }

    [Fact]
    public void ALeaseSaveCutBetweenAnyTwoStepsRestoresTheOldOrTheNewSnapshot()
    {
        const int capacity = 64, sector = 4096;
        var flash = new MemoryFlash(sector, FlashLeaseStore.SectorsNeeded(capacity, sector));
        var store = new FlashLeaseStore(flash, 0, capacity);
        Assert.True(store.Save(Leases(capacity, 3)));
        store.BeginSave(Leases(capacity, 50)); // 600 bytes of records: three pages
        int steps = 0, old = 0, fresh = 0;
        bool done;
        do
        {
            long before = flash.EraseCount + flash.ProgramCount;
            done = store.Step();
            steps++;
            Assert.True(flash.EraseCount + flash.ProgramCount - before <= 1);
            var restored = new DhcpLeaseTable(capacity);
            Assert.True(new FlashLeaseStore(new MemoryFlash(sector, flash.SectorCount, flash.Image.ToArray()), 0, capacity).Load(restored, 100));
            int count = restored.Count(DhcpLeaseTable.Bound);
            Assert.True(count == 3 || count == 50, $"a cut after step {steps} restores {count} leases");
            if (count == 3) old++; else fresh++;
        } while (!done);
        Assert.True(store.LastSaveSucceeded);
        Assert.Equal(1, fresh); // only the header, last, commits the new snapshot
        Assert.True(old >= 4, "an erase and three pages, one per step, before the header");
    }

    private static DhcpLeaseTable Leases(int capacity, int bound)
    {
        var table = new DhcpLeaseTable(capacity);
        var mac = new byte[6];
        for (int i = 0; i < bound; i++)
        {
            mac[0] = 2;
            mac[5] = (byte)i;
            int entry = table.Claim(0);
            table.Set(entry, DhcpLeaseTable.Bound, mac, 0, 0xC0A80100u + (uint)(10 + i), 1000);
        }
        return table;
    }

    /// <summary>Flash whose programs stop sticking when asked (worn cells): saves then fail their read-back.</summary>
    private sealed class ForgetfulFlash : IFlash
    {
        private readonly IFlash _inner;
        public bool DropPrograms;
        public ForgetfulFlash(IFlash inner) { _inner = inner; }
        public int SectorSize => _inner.SectorSize;
        public int SectorCount => _inner.SectorCount;
        public void EraseSector(int sector) => _inner.EraseSector(sector);
        public void Program(int address, byte[] data, int offset, int count) { if (!DropPrograms) _inner.Program(address, data, offset, count); }
        public void Read(int address, byte[] buffer, int offset, int count) => _inner.Read(address, buffer, offset, count);
    }
}
