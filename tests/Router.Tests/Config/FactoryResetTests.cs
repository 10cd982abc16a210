using System;
using System.Linq;
using Router.Config;
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
/// The web UI's factory reset runs on the loop's save machinery (docs/loop.md): the request's own tick touches no
/// flash, every later tick does at most one flash operation (the defaults' save, then the other slot erased one sector
/// per tick), the answer leaves only once the reset is complete, and a power cut at any of its flash operations boots
/// the old configuration or the defaults, and when the defaults boot, no old setting is left in flash once boot is done
/// (the defaults' image says the other slot must be blank: boot finishes an erase a cut stopped). Slots of four sectors
/// (the desktop profile's geometry) so the erase of the other slot takes several ticks.
/// </summary>
public class FactoryResetTests
{
    private const int SectorSize = 4096, ConfigSectors = 8;
    private static readonly Capacities Capacities = ConfigSamples.OneSectorBoard.Capacities;
    private readonly ITestOutputHelper _output;

    public FactoryResetTests(ITestOutputHelper output) { _output = output; }

    private static MemoryFlash NewFlash(byte[] image = null) =>
        image == null ? new MemoryFlash(SectorSize, ConfigSectors) : new MemoryFlash(SectorSize, ConfigSectors, image);

    private static (RouterRig rig, WebContext web) Boot(IFlash flash)
    {
        var rig = new RouterRig(capacities: Capacities, firmware: true);
        rig.Firmware.LoadConfig(new ConfigStore(flash, 0, ConfigSectors), false);
        var web = new WebContext(rig.Firmware, rig.Firmware.Store, new TestRandom(3), "test", new EventLog(8), 2);
        return (rig, web);
    }

    private static HttpResponse NewResponse()
    {
        var response = new HttpResponse(512, new byte[4096]);
        response.Reset(true, false);
        return response;
    }

    /// <summary>The admin credential the old configurations hold: no byte run of it may stay in flash after a reset.</summary>
    private static readonly byte[] OldHash = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 ^ (i * 13))).ToArray();

    /// <summary>A configuration with an admin credential and <paramref name="forwards"/> forwards, committed and stored through the web UI's editor.</summary>
    private static RouterConfig CommitOld(RouterRig rig, WebContext web, int forwards)
    {
        RouterConfig c = web.Editor.Draft();
        c.WanMode = RouterConfig.WanStatic;
        c.WanAddress = RouterWan;
        c.WanPrefixLength = 24;
        c.WanGateway = Gateway;
        c.AdminHash = (byte[])OldHash.Clone();
        c.AdminSalt = new byte[16];
        for (int i = c.ForwardCount; i < forwards; i++)
        {
            PortForward f = c.AddForward();
            f.Name = "old forward " + i;
            f.ExternalPort = f.ExternalPortEnd = 8000 + i;
            f.InternalAddress = Host;
            f.InternalPort = 80;
        }
        var response = NewResponse();
        Assert.True(web.Editor.Commit(c, "old", response).IsValid);
        rig.Firmware.RunUntilIdle();
        response.Pending.Poll(null, response);
        Assert.Null(response.Pending);
        return c;
    }

    /// <summary>The payload of the configuration a board booting from <paramref name="image"/> would put in force.</summary>
    private static byte[] Booted(byte[] image) => Reboot(NewFlash(image));

    /// <summary>Power back on over <paramref name="flash"/>: the firmware's boot (which may finish an interrupted reset's erase); returns the payload in force.</summary>
    private static byte[] Reboot(IFlash flash)
    {
        var rig = new RouterRig(capacities: Capacities, firmware: true);
        rig.Firmware.LoadConfig(new ConfigStore(flash, 0, ConfigSectors), false);
        return ConfigSamples.Payload(rig.Firmware.Config);
    }

    /// <summary>One of the two configuration slots is all 0xFF.</summary>
    private static bool OneSlotBlank(byte[] image)
    {
        int slot = SectorSize * ConfigSectors / 2;
        return image.Take(slot).All(b => b == 0xFF) || image.Skip(slot).Take(slot).All(b => b == 0xFF);
    }

    private static bool HoldsOldCredential(byte[] image)
    {
        for (int i = 0; i + OldHash.Length <= image.Length; i++)
        {
            if (image.AsSpan(i, OldHash.Length).SequenceEqual(OldHash)) return true;
        }
        return false;
    }

    [Fact]
    public void AWebFactoryResetTakesOneFlashOperationPerTickAndAnswersOnlyOnceTheOldSlotIsErased()
    {
        var flash = NewFlash();
        var (rig, web) = Boot(flash);
        CommitOld(rig, web, 2);
        RouterConfig old = CommitOld(rig, web, 4); // both slots now hold a configuration with the credential
        Assert.True(HoldsOldCredential(flash.Image.ToArray()));
        byte[] oldPayload = ConfigSamples.Payload(old), defaults = ConfigSamples.Payload(RouterConfig.For(Capacities));

        // The request's tick: the handler runs inside RunOnce (the web server is its loop service), after the jobs'
        // slice. It only starts the job: any flash operation here would be a second one in that tick.
        int session = web.Sessions.Create(0);
        var response = NewResponse();
        long before = flash.EraseCount + flash.ProgramCount;
        new AdminApi(web).FactoryReset(response);
        long inHandler = flash.EraseCount + flash.ProgramCount - before;
        Assert.True(inHandler == 0, $"the factory reset request did {inHandler} flash operations while it was handled (at most one per tick, and its tick's job slice may already have done one)");
        Assert.NotNull(response.Pending);                        // answered once complete
        Assert.Equal(0, rig.Firmware.Forwards.Count);            // the defaults are in force at once
        Assert.Null(web.Sessions.Id(session));                   // every session ended

        int ticks = 0, longest = 0, bootedOld = 0, bootedDefaults = 0;
        while (response.Pending != null)
        {
            before = flash.EraseCount + flash.ProgramCount;
            rig.Firmware.RunOnce();
            ticks++;
            int operations = (int)(flash.EraseCount + flash.ProgramCount - before);
            longest = Math.Max(longest, operations);
            Assert.True(operations <= 1, $"tick {ticks} of the factory reset did {operations} flash operations");
            response.Pending.Poll(null, response);
            byte[] image = flash.Image.ToArray();
            var rebooted = NewFlash(image);
            byte[] booted = Reboot(rebooted); // a power cut after this tick
            bool isOld = booted.AsSpan().SequenceEqual(oldPayload), isDefaults = booted.AsSpan().SequenceEqual(defaults);
            Assert.True(isOld || isDefaults, $"a cut after tick {ticks} boots neither the old configuration nor the defaults");
            Assert.False(isDefaults && HoldsOldCredential(rebooted.Image.ToArray()), $"a cut after tick {ticks} boots the defaults with the old admin credential still in flash");
            if (isOld) bootedOld++; else bootedDefaults++;
            if (response.Pending == null)
            {
                Assert.True(isDefaults, "the answer left before the defaults were stored");
                Assert.False(HoldsOldCredential(image), "the answer left while the old admin credential was still in flash");
                Assert.All(image.Skip(SectorSize * ConfigSectors / 2), b => Assert.Equal(0xFF, b)); // the old slot: erased
            }
            Assert.True(ticks < 100, "the factory reset never completed");
        }
        Assert.Equal(HttpStatus.Ok, response.Status);
        _output.WriteLine($"web factory reset with {ConfigSectors / 2}-sector slots: {ticks} ticks, at most {longest} flash operation per tick (none while the request was handled); "
            + $"a cut after {bootedOld} of them boots the old configuration, after {bootedDefaults} the defaults");
        // Four erases, a page and the CRC of the defaults, the read-back, then four erases of the old slot.
        Assert.True(ticks >= 11, $"{ticks} ticks: fewer than one per flash operation");
        Assert.True(bootedOld > 0);
        Assert.True(bootedDefaults > 0);
    }

    [Fact]
    public void APowerCutAtEveryFlashOperationOfAWebFactoryResetBootsTheOldConfigurationOrTheDefaultsWithNoOldSettingLeft()
    {
        var baseline = NewFlash();
        RouterConfig old;
        {
            var (rig, web) = Boot(baseline);
            CommitOld(rig, web, 2);
            old = CommitOld(rig, web, 3);
        }
        byte[] before = baseline.Image.ToArray();
        byte[] oldPayload = ConfigSamples.Payload(old), defaults = ConfigSamples.Payload(RouterConfig.For(Capacities));

        // An uninterrupted reset: how many operations it takes, and nothing of the old settings left.
        var counter = new PowerCutFlash(NewFlash(before));
        long operations = RunFactoryReset(counter);
        byte[] after = ((MemoryFlash)counter.Inner).Image.ToArray();
        Assert.Equal(defaults, Booted(after));
        Assert.False(HoldsOldCredential(after));
        Assert.Equal(4 + 1 + 1 + 4, operations); // erase 4 sectors, one page, the CRC, erase the other slot's 4 sectors

        int tried = 0, bootedOld = 0, bootedDefaults = 0, bootsThatErased = 0, bootCuts = 0;
        foreach (int torn in new[] { 0, 2, 17, ConfigStore.ProgramChunk })
        {
            for (long cut = 0; cut < operations; cut++)
            {
                var inner = NewFlash(before);
                var flash = new PowerCutFlash(inner, cut, torn);
                Assert.Throws<PowerLossException>(() => RunFactoryReset(flash));
                string where = $"cut before operation {cut + 1} (torn {torn})";
                byte[] cutImage = inner.Image.ToArray();
                var boot = new PowerCutFlash(inner);
                byte[] booted = Reboot(boot); // power back on
                bool isOld = booted.AsSpan().SequenceEqual(oldPayload), isDefaults = booted.AsSpan().SequenceEqual(defaults);
                Assert.True(isOld || isDefaults, $"{where}: boots neither the old configuration nor the defaults");
                if (isOld)
                {
                    bootedOld++;
                    Assert.Equal(0, boot.OperationCount); // the old configuration boots as it is: nothing erased
                }
                else
                {
                    bootedDefaults++;
                    Assert.False(HoldsOldCredential(inner.Image.ToArray()), $"{where}: the defaults boot, but the old admin credential is still in flash once boot is done");
                    Assert.True(OneSlotBlank(inner.Image.ToArray()), $"{where}: the defaults boot, but the other slot is not blank once boot is done");
                    if (boot.OperationCount > 0) bootsThatErased++;
                    // A second cut, during the erase boot finishes: the next boot finishes it again.
                    for (long again = 0; again < boot.OperationCount; again++)
                    {
                        var twice = NewFlash(cutImage);
                        Assert.Throws<PowerLossException>(() => Reboot(new PowerCutFlash(twice, again)));
                        Assert.Equal(defaults, Reboot(twice));
                        Assert.False(HoldsOldCredential(twice.Image.ToArray()), $"{where}, then a cut before boot's erase {again + 1}: the old admin credential is still in flash after the next boot");
                        bootCuts++;
                    }
                }
                tried++;
            }
        }
        _output.WriteLine($"web factory reset: {operations} flash operations, {tried} cut points tried (4 torn-write sizes): {bootedOld} boot the old configuration, {bootedDefaults} the defaults "
            + $"({bootsThatErased} of those boots finished the old slot's erase; {bootCuts} cuts during that erase, each finished by the next boot)");
        Assert.True(bootedOld > 0);
        Assert.True(bootedDefaults > 0);
        Assert.True(bootsThatErased > 0);
    }

    [Fact]
    public void AnEraseTornSoThatOnlyTheOldHeaderIsGoneIsStillFinishedAtBoot()
    {
        // A real erase cut part-way can leave a sector partly erased: the old image no longer parses (its header is
        // gone), yet its admin hash is still there. Boot must look at the whole slot, not only at the header.
        var baseline = NewFlash();
        {
            var (rig, web) = Boot(baseline);
            CommitOld(rig, web, 2);
            CommitOld(rig, web, 3); // in force in slot 1: the reset writes slot 0, then erases slot 1
        }
        byte[] before = baseline.Image.ToArray();
        const long FirstEraseOfTheOldSlot = 4 + 1 + 1;
        var inner = NewFlash(before);
        Assert.Throws<PowerLossException>(() => RunFactoryReset(new PowerCutFlash(inner, FirstEraseOfTheOldSlot)));
        byte[] torn = inner.Image.ToArray();
        int oldSlot = SectorSize * ConfigSectors / 2;
        Array.Fill(torn, (byte)0xFF, oldSlot, ConfigStore.HeaderLength);
        Assert.True(HoldsOldCredential(torn));

        var rebooted = NewFlash(torn);
        Assert.Equal(ConfigSamples.Payload(RouterConfig.For(Capacities)), Reboot(rebooted));
        Assert.False(HoldsOldCredential(rebooted.Image.ToArray()), "a torn erase left the old admin credential behind its blank header, and boot kept it");
        Assert.All(rebooted.Image.ToArray().Skip(oldSlot), b => Assert.Equal(0xFF, b));
    }

    /// <summary>Boots a router over <paramref name="flash"/>, asks its web UI for a factory reset and runs the loop until it is answered; returns the flash operations it took.</summary>
    private static long RunFactoryReset(PowerCutFlash flash)
    {
        var (rig, web) = Boot(flash);
        long start = flash.OperationCount;
        var response = NewResponse();
        new AdminApi(web).FactoryReset(response);
        for (int ticks = 0; response.Pending != null; ticks++)
        {
            Assert.True(ticks < 100, "the factory reset never completed");
            rig.Firmware.RunOnce();
            response.Pending.Poll(null, response);
        }
        Assert.Equal(HttpStatus.Ok, response.Status);
        return flash.OperationCount - start;
    }

    /// <summary>The header flags of the image in <paramref name="slot"/> (u16 at offset 6, the field older firmware wrote as 0).</summary>
    private static int HeaderFlags(byte[] image, int slot)
    {
        int at = slot * SectorSize * ConfigSectors / 2 + ConfigStore.FlagsOffset;
        return image[at] << 8 | image[at + 1];
    }

    [Fact]
    public void OnlyAResetsImageAsksBootToEraseTheOtherSlotAndTheNextSaveClearsTheAsk()
    {
        var flash = new PowerCutFlash(NewFlash());
        var store = new ConfigStore(flash, 0, ConfigSectors);
        RouterConfig old = RouterConfig.For(Capacities);
        old.AdminHash = (byte[])OldHash.Clone();
        old.AdminSalt = new byte[16];
        Assert.True(store.Save(old).Succeeded);   // slot 0
        Assert.True(store.Save(old).Succeeded);   // slot 1
        byte[] image = ((MemoryFlash)flash.Inner).Image.ToArray();
        Assert.Equal(0, HeaderFlags(image, 0));    // an ordinary save: as older firmware wrote it
        Assert.Equal(0, HeaderFlags(image, 1));

        // Images without the flag (any older firmware's) load as before: nothing is erased, the older slot stays.
        var boot = new PowerCutFlash(flash.Inner);
        LoadResult loaded = new ConfigStore(boot, 0, ConfigSectors).Load(RouterConfig.For(Capacities));
        Assert.Equal(LoadResult.Loaded, loaded.Status);
        Assert.False(loaded.FinishedFactoryReset);
        Assert.Equal(0, boot.OperationCount);

        var defaults = RouterConfig.For(Capacities);
        Assert.True(store.FactoryReset(defaults).Succeeded); // into slot 0, then slot 1 erased
        image = ((MemoryFlash)flash.Inner).Image.ToArray();
        Assert.Equal(ConfigStore.FlagOtherSlotBlank, HeaderFlags(image, 0));
        Assert.False(HoldsOldCredential(image));

        // The first-run password: an ordinary save into the erased slot, without the flag, now the newest.
        RouterConfig first = RouterConfig.For(Capacities);
        first.AdminHash = new byte[32];
        first.AdminHash[0] = 7;
        first.AdminSalt = new byte[16];
        byte[] beforeSave = ((MemoryFlash)flash.Inner).Image.ToArray();
        long start = flash.OperationCount;
        Assert.True(store.Save(first).Succeeded);
        long saveOperations = flash.OperationCount - start;
        image = ((MemoryFlash)flash.Inner).Image.ToArray();
        Assert.Equal(0, HeaderFlags(image, 1));
        var afterSave = NewFlash(image);
        loaded = new ConfigStore(afterSave, 0, ConfigSectors).Load(RouterConfig.For(Capacities));
        Assert.Equal(1, loaded.Slot);
        Assert.False(loaded.FinishedFactoryReset);
        Assert.Equal(image, afterSave.Image.ToArray()); // the reset's image is older now: its flag asks nothing

        // That save cut before its commit: the defaults boot, and boot erases the uncommitted half-written image.
        for (long cut = 0; cut < saveOperations - 1; cut++)
        {
            var inner = NewFlash(beforeSave);
            var cutStore = new ConfigStore(new PowerCutFlash(inner, cut, 17), 0, ConfigSectors);
            cutStore.Load(RouterConfig.For(Capacities));
            Assert.Throws<PowerLossException>(() => cutStore.Save(first));
            Assert.Equal(ConfigSamples.Payload(defaults), Reboot(inner));
            Assert.True(OneSlotBlank(inner.Image.ToArray()), $"the first save after a reset, cut before operation {cut + 1}: its partial image outlived the boot");
        }
    }

    [Fact]
    public void AFactoryResetTheFlashRefusesPutsTheOldConfigurationBackAndAnswers500()
    {
        var flash = new RefusingFlash(NewFlash());
        var (rig, web) = Boot(flash);
        RouterConfig old = CommitOld(rig, web, 3);
        flash.DropPrograms = true; // worn cells: the defaults' read-back fails
        var response = NewResponse();
        new AdminApi(web).FactoryReset(response);
        Assert.Equal(0, rig.Firmware.Forwards.Count);
        for (int ticks = 0; response.Pending != null; ticks++)
        {
            Assert.True(ticks < 100, "the factory reset never completed");
            rig.Firmware.RunOnce();
            response.Pending.Poll(null, response);
        }
        Assert.Equal(HttpStatus.InternalError, response.Status);
        Assert.Equal(3, rig.Firmware.Forwards.Count); // the stored configuration is back in force
        Assert.Equal(ConfigSamples.Payload(old), Booted(flash.Inner.Image.ToArray())); // and still boots: nothing erased
    }

    [Fact]
    public void AFactoryResetAskedWhileASaveRunsFollowsItAndAChangeMadeAfterItKeepsTheErase()
    {
        var flash = NewFlash();
        var (rig, web) = Boot(flash);
        CommitOld(rig, web, 2);
        var save = NewResponse();
        RouterConfig more = web.Editor.Draft();
        PortForward f = more.AddForward();
        f.Name = "x";
        f.ExternalPort = f.ExternalPortEnd = 9000;
        f.InternalAddress = Host;
        f.InternalPort = 80;
        Assert.True(web.Editor.Commit(more, "more", save).IsValid);
        rig.Firmware.RunOnce(); // that save is under way
        var reset = NewResponse();
        new AdminApi(web).FactoryReset(reset);
        RouterConfig setup = web.Editor.Draft(); // first-run setup right after the reset: a new credential
        setup.AdminHash = new byte[32];
        setup.AdminHash[0] = 1;
        setup.AdminSalt = new byte[16];
        var password = NewResponse();
        Assert.True(web.Editor.Commit(setup, "admin password set", password).IsValid);
        for (int ticks = 0; save.Pending != null || reset.Pending != null || password.Pending != null; ticks++)
        {
            Assert.True(ticks < 200, "the saves never completed");
            long before = flash.EraseCount + flash.ProgramCount;
            rig.Firmware.RunOnce();
            Assert.True(flash.EraseCount + flash.ProgramCount - before <= 1);
            foreach (var r in new[] { save, reset, password }) r.Pending?.Poll(null, r);
        }
        Assert.Equal(HttpStatus.Ok, reset.Status);
        byte[] image = flash.Image.ToArray();
        Assert.Equal(ConfigSamples.Payload(setup), Booted(image));
        Assert.False(HoldsOldCredential(image), "the reset's erase was lost when a change followed it");
    }

    /// <summary>Flash whose programs stop sticking when asked (worn cells).</summary>
    private sealed class RefusingFlash : IFlash
    {
        public readonly MemoryFlash Inner;
        public bool DropPrograms;
        public RefusingFlash(MemoryFlash inner) { Inner = inner; }
        public int SectorSize => Inner.SectorSize;
        public int SectorCount => Inner.SectorCount;
        public void EraseSector(int sector) => Inner.EraseSector(sector);
        public void Program(int address, byte[] data, int offset, int count) { if (!DropPrograms) Inner.Program(address, data, offset, count); }
        public void Read(int address, byte[] buffer, int offset, int count) => Inner.Read(address, buffer, offset, count);
    }
}
