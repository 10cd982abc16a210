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
/// the old configuration or the defaults. Slots of four sectors (the desktop profile's geometry) so the erase of the
/// other slot takes several ticks.
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
    private static byte[] Booted(byte[] image)
    {
        var booted = RouterConfig.For(Capacities);
        new ConfigStore(NewFlash(image), 0, ConfigSectors).Load(booted);
        return ConfigSamples.Payload(booted);
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
            byte[] booted = Booted(image); // a power cut after this tick
            bool isOld = booted.AsSpan().SequenceEqual(oldPayload), isDefaults = booted.AsSpan().SequenceEqual(defaults);
            Assert.True(isOld || isDefaults, $"a cut after tick {ticks} boots neither the old configuration nor the defaults");
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
    public void APowerCutAtEveryFlashOperationOfAWebFactoryResetBootsTheOldConfigurationOrTheDefaults()
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

        int tried = 0, bootedOld = 0, bootedDefaults = 0;
        foreach (int torn in new[] { 0, 2, 17, ConfigStore.ProgramChunk })
        {
            for (long cut = 0; cut < operations; cut++)
            {
                var inner = NewFlash(before);
                var flash = new PowerCutFlash(inner, cut, torn);
                Assert.Throws<PowerLossException>(() => RunFactoryReset(flash));
                byte[] booted = Booted(inner.Image.ToArray()); // power back on
                bool isOld = booted.AsSpan().SequenceEqual(oldPayload), isDefaults = booted.AsSpan().SequenceEqual(defaults);
                Assert.True(isOld || isDefaults, $"cut before operation {cut + 1} (torn {torn}): boots neither the old configuration nor the defaults");
                if (isOld) bootedOld++; else bootedDefaults++;
                tried++;
            }
        }
        _output.WriteLine($"web factory reset: {operations} flash operations, {tried} cut points tried (4 torn-write sizes): {bootedOld} boot the old configuration, {bootedDefaults} the defaults");
        Assert.True(bootedOld > 0);
        Assert.True(bootedDefaults > 0);
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
