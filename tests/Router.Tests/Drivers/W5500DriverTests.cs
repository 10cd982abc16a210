using System;
using Router.Drivers.W5500;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Hal.Desktop.Chips;
using Router.Tests.Support;
using Xunit;

namespace Router.Tests.Drivers;

/// <summary>
/// The W5500 driver against the chip model, inside a forwarding router: each fault moves its counter, and the router
/// forwards again once the fault is gone.
/// </summary>
public class W5500DriverTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BringsUpAndForwards(bool interrupts)
    {
        var rig = new W5500Rig(interrupts);
        Assert.True(rig.LanDriver.IsRunning);
        Assert.True(rig.LanDriver.IsLinkUp);
        Assert.Equal(W5500BringUp.Ok, rig.LanDriver.LastBringUp);
        Assert.Equal(1, rig.LanChip.HardResets);      // RSTn pulsed (≥ 500 µs), then MR.RST
        Assert.True(rig.LanChip.SoftResets >= 2);     // power-on + MR.RST
        Assert.Equal(interrupts, (rig.LanDriver.Capabilities & InterfaceCapabilities.FrameReadySignal) != 0);
        Assert.Equal(ReceiveFilter.Normal, rig.LanDriver.Filter);
        Assert.True(rig.Forwards());
        Assert.True(rig.Forwards(41001));
        Assert.Equal(0, rig.LanDriver.Counters.BringUpFailures);
    }

    [Fact]
    public void MacFilterDropsOtherStationsInTheChip()
    {
        var rig = new W5500Rig();
        byte[] other = Frames.Udp(Frames.Mac(0x55), W5500Rig.HostMac, W5500Rig.Host, W5500Rig.Remote, 40000, 53, new byte[40]);
        long spiBefore = rig.LanChip.SpiTransactions;
        rig.FromHost(other);
        rig.Poll();
        Assert.Equal(1, rig.LanChip.RxFilteredDrops);
        Assert.Equal(0, rig.LanChip.SpiTransactions - spiBefore); // no interrupt, no bus traffic for it
        rig.LanDriver.SetReceiveFilter(ReceiveFilter.Promiscuous);
        rig.FromHost(other);
        rig.Poll();
        Assert.Equal(1, rig.LanChip.RxFilteredDrops);
        Assert.Equal(1, rig.LanDriver.Counters.FramesReceived - 1 /* the ARP at start */);
    }

    [Fact]
    public void LinkFlapIsCountedAndForwardingResumes()
    {
        var rig = new W5500Rig();
        rig.LanChip.LinkUp = false;
        rig.Clock.Advance(rig.LanDriver.HealthCheckMs);
        rig.Poll();
        Assert.False(rig.LanDriver.IsLinkUp);
        Assert.Equal(1, rig.LanDriver.LinkDownCount);
        Assert.False(rig.Forwards());                 // the chip hears nothing while the cable is out
        Assert.Equal(1, rig.LanChip.RxClosedDrops);

        rig.LanChip.LinkUp = true;
        rig.Clock.Advance(rig.LanDriver.HealthCheckMs);
        rig.Poll();
        Assert.True(rig.LanDriver.IsLinkUp);
        Assert.Equal(1, rig.LanDriver.LinkUpCount);
        Assert.True(rig.Forwards());

        rig.WanChip.LinkUp = false;
        rig.Clock.Advance(rig.WanDriver.HealthCheckMs);
        rig.Poll();                                   // the WAN driver sees link down at its next health check
        rig.FromHost(rig.HostUdp(100));
        rig.Poll();
        Assert.Equal(1, rig.WanDriver.Counters.SendDropsLinkDown);
        Assert.True(rig.Counters[Counters.DropTransmitFailed] >= 1);
        rig.WanChip.LinkUp = true;
        rig.Clock.Advance(rig.WanDriver.HealthCheckMs);
        rig.Poll();
        Assert.True(rig.Forwards(41002));
    }

    [Fact]
    public void ReceiveRingWrapsWithoutSplittingOrLosingBytes()
    {
        var rig = new W5500Rig();
        long before = rig.LanDriver.Counters.FramesReceived;
        var rx = new byte[2048];
        int forwarded = 0;
        for (int round = 0; round < 40; round++)
        {
            // 7 frames of 1000..1006 bytes per round: about 7 KB, so the 16 KB ring wraps every few rounds.
            for (int i = 0; i < 7; i++)
            {
                var payload = new byte[1000 + i - 42];
                for (int k = 0; k < payload.Length; k++) payload[k] = (byte)(round + 42 + k);
                Assert.True(rig.FromHost(Frames.Udp(W5500Rig.RouterLanMac, W5500Rig.HostMac, W5500Rig.Host, W5500Rig.Remote, 42000 + i, 53, payload)));
            }
            rig.Poll();
            for (int i = 0; i < 7; i++)
            {
                Assert.Equal(ReceiveResult.Frame, rig.WanWire.B.Receive(rx, 0, rx.Length, out int n));
                Assert.Equal(1000 + i, n);
                for (int k = 42; k < n; k++) Assert.Equal((byte)(round + k), rx[k]);
                forwarded++;
            }
        }
        Assert.Equal(280, forwarded);
        Assert.True((rig.LanDriver.Counters.FramesReceived - before) * 1002 > 16 * W5500Model.MemoryBytes); // wrapped many times
        Assert.Equal(0, rig.LanDriver.Counters.RxCorruptLength);
    }

    /// <summary>
    /// Frames are read ahead through the snapshot a buffer-full at a time; the bytes read ahead stay in the driver
    /// between calls. Frames of every size (buffer-fulls ending mid-frame and mid-header), across ring wraps and the
    /// half-ring hand-back, with a send on the same chip (its Sn_IR and Sn_CR reads) and health reads between frames:
    /// every frame arrives whole and in order.
    /// </summary>
    [Fact]
    public void ReadAheadSurvivesSendsAndHealthReadsBetweenFramesOfEverySize()
    {
        var rig = new W5500Rig();
        int[] sizes = { 60, 1514, 61, 777, 1513, 64, 1000, 60, 60, 1200, 333, 1514, 62, 900, 1455 };
        byte[] toHost = Frames.Udp(W5500Rig.HostMac, W5500Rig.RouterLanMac, W5500Rig.RouterLan, W5500Rig.Host, 53, 40000, new byte[100]);
        var sent = new byte[sizes.Length][];
        var rx = new byte[1514];
        for (int round = 0; round < 8; round++)
        {
            for (int i = 0; i < sizes.Length; i++)
            {
                var payload = new byte[sizes[i] - 42];
                for (int k = 0; k < payload.Length; k++) payload[k] = (byte)(round * 31 + i * 7 + k);
                sent[i] = Frames.Udp(W5500Rig.RouterLanMac, W5500Rig.HostMac, W5500Rig.Host, W5500Rig.Remote, 47000 + i, 53, payload);
                Assert.True(rig.FromHost(sent[i]));
            }
            for (int i = 0; i < sizes.Length; i++)
            {
                Assert.Equal(ReceiveResult.Frame, rig.LanDriver.Receive(rx, 0, rx.Length, out int n));
                Assert.Equal(sent[i].Length, n);
                Assert.True(sent[i].AsSpan().SequenceEqual(rx.AsSpan(0, n)), $"round {round}, frame {i} ({n} B) differs");
                Assert.True(rig.LanDriver.Send(toHost, 0, toHost.Length));
                rig.Clock.Advance(rig.LanDriver.HealthCheckMs / 2);
            }
            Assert.Equal(ReceiveResult.NoFrame, rig.LanDriver.Receive(rx, 0, rx.Length, out _));
            Assert.Equal(sizes.Length, rig.DrainHost());
        }
        var c = rig.LanDriver.Counters;
        Assert.Equal(0, c.RxCorruptLength);
        Assert.Equal(0, rig.LanChip.RxOverflowDrops);
        Assert.True(c.RxCommits > c.RxBatches, "the half-ring hand-back ran");
    }

    [Fact]
    public void FullReceiveBufferDropsInTheChipAndRecovers()
    {
        var rig = new W5500Rig();
        for (int i = 0; i < 30; i++) Assert.True(rig.FromHost(rig.HostUdp(1514, 43000 + i)));
        // 16 KB holds ten 1516-byte entries (frame + length header); the chip drops the rest.
        Assert.Equal(20, rig.LanChip.RxOverflowDrops);
        rig.Poll();
        Assert.Equal(10, rig.DrainGateway());
        Assert.True(rig.Forwards());
    }

    [Fact]
    public void CorruptLengthHeaderReopensTheSocketAndForwardingResumes()
    {
        var rig = new W5500Rig();
        rig.LanChip.CorruptNextLengthHeaders(1);
        rig.FromHost(rig.HostUdp(100));
        rig.Poll();
        Assert.Equal(1, rig.LanDriver.Counters.RxCorruptLength);
        Assert.Equal(1, rig.LanDriver.Counters.SocketReopens);
        Assert.True(rig.LanDriver.IsRunning);
        Assert.Equal(0, rig.DrainGateway());
        Assert.True(rig.Forwards());
    }

    [Fact]
    public void StuckCommandRegisterResetsTheChip()
    {
        var rig = new W5500Rig();
        rig.WanChip.StuckCommandRegister = true;
        rig.FromHost(rig.HostUdp(100, 44000));       // SEND written, never executed
        rig.Poll();
        rig.FromHost(rig.HostUdp(100, 44001));       // waits for the first: Sn_CR never clears
        rig.Poll();
        // One timeout waiting for SEND, one for OPEN in the immediate reset attempt (the fault is still there).
        Assert.Equal(2, rig.WanDriver.Counters.CommandTimeouts);
        Assert.Equal(1, rig.WanDriver.Counters.Resets);
        Assert.False(rig.WanDriver.IsRunning);
        Assert.Equal(0, rig.DrainGateway());

        rig.WanChip.StuckCommandRegister = false;
        rig.Clock.Advance(rig.WanDriver.RecoveryIntervalMs);
        Assert.True(rig.Forwards());                  // the next attempt resets and reopens the chip
        Assert.Equal(2, rig.WanDriver.Counters.Resets);
        Assert.True(rig.WanDriver.IsRunning);
    }

    /// <summary>
    /// RECVs follow each other without a Sn_CR check, so a receive-only chip whose command register sticks is found by
    /// the periodic health read: counted, reset, and forwarding resumes once the fault is gone.
    /// </summary>
    [Fact]
    public void StuckReceiveCommandIsFoundByTheHealthReadAndTheChipReset()
    {
        var rig = new W5500Rig();
        rig.LanChip.StuckCommandRegister = true;
        Assert.True(rig.Forwards(44200));            // the frame is read; its RECV is written and never executed
        Assert.Equal(0, rig.LanDriver.Counters.CommandTimeouts);
        rig.Clock.Advance(rig.LanDriver.HealthCheckMs);
        rig.Poll();
        Assert.Equal(1, rig.LanDriver.Counters.CommandTimeouts); // the health read found Sn_CR stuck
        Assert.False(rig.LanDriver.IsRunning);
        rig.Poll();
        // The immediate reset attempt times out on OPEN (the fault is still there).
        Assert.Equal(2, rig.LanDriver.Counters.CommandTimeouts);
        Assert.Equal(1, rig.LanDriver.Counters.Resets);
        Assert.False(rig.LanDriver.IsRunning);

        rig.LanChip.StuckCommandRegister = false;
        rig.Clock.Advance(rig.LanDriver.RecoveryIntervalMs);
        rig.Poll();
        Assert.True(rig.LanDriver.IsRunning);
        Assert.Equal(2, rig.LanDriver.Counters.Resets);
        Assert.True(rig.Forwards(44201));
        Assert.True(rig.Forwards(44202));
    }

    /// <summary>
    /// Sn_RX_RSR is read in one burst. A read torn by an arriving frame (high byte before, low byte after) ends mid-frame
    /// or below the least frame; the driver reads it again and carries on: nothing lost, nothing corrupted, no reopen.
    /// 3 × 82 bytes wait (0x00F6); a 102-byte entry lands mid-read (0x015C, torn 0x005C: frame 2 straddles) or a 62-byte
    /// one (0x0134, torn 0x0034: less than one frame).
    /// </summary>
    [Theory]
    [InlineData(100)]
    [InlineData(60)]
    public void TornReceivedSizeReadLosesAndCorruptsNothing(int lastLength)
    {
        var rig = new W5500Rig();
        int[] lengths = { 80, 80, 80, lastLength };
        for (int i = 0; i < lengths.Length; i++)
        {
            if (i == 3) rig.LanChip.TearNextReceivedSizeRead();
            var payload = new byte[lengths[i] - 42];
            for (int k = 0; k < payload.Length; k++) payload[k] = (byte)(17 * i + k);
            Assert.True(rig.FromHost(Frames.Udp(W5500Rig.RouterLanMac, W5500Rig.HostMac, W5500Rig.Host, W5500Rig.Remote, 46000 + i, 53, payload)));
        }
        rig.Poll();
        Assert.Equal(1, rig.LanChip.TornSizeReads);
        var rx = new byte[2048];
        for (int i = 0; i < lengths.Length; i++)
        {
            Assert.Equal(ReceiveResult.Frame, rig.WanWire.B.Receive(rx, 0, rx.Length, out int n));
            Assert.Equal(lengths[i], n);
            for (int k = 42; k < n; k++) Assert.Equal((byte)(17 * i + k - 42), rx[k]);
        }
        Assert.Equal(0, rig.DrainGateway());
        var c = rig.LanDriver.Counters;
        Assert.Equal(0, c.RxCorruptLength);
        Assert.Equal(0, c.SocketReopens);
        Assert.Equal(0, c.RxUnstableSize);
        Assert.Equal(1, c.RxBatches - 1 /* the ARP at start */);
    }

    /// <summary>
    /// Burst absorption: each batch is handed back as soon as it is read, so the next burst finds the ring empty. Five
    /// bursts of 200 64-byte frames (13,200 of 16,384 bytes each): all 1,000 forwarded, none dropped in the chip.
    /// </summary>
    [Fact]
    public void BurstsOfSmallFramesAreAbsorbedWhole()
    {
        var rig = new W5500Rig();
        byte[] frame = rig.HostUdp(64);
        int forwarded = 0;
        for (int burst = 0; burst < 5; burst++)
        {
            for (int i = 0; i < 200; i++) Assert.True(rig.FromHost(frame));
            rig.Poll();
            forwarded += rig.DrainGateway();
        }
        Assert.Equal(1000, forwarded);
        Assert.Equal(0, rig.LanChip.RxOverflowDrops);
    }

    /// <summary>
    /// Burst absorption under sustained load: a full ring (ten 1514-byte frames) is read while a frame arrives for every
    /// frame read. The hand-back at half the ring lets arrivals land during the batch; without it every arrival during a
    /// batch is dropped.
    /// </summary>
    [Fact]
    public void ArrivalsDuringAFullRingBatchLandAfterTheHalfRingHandBack()
    {
        var rig = new W5500Rig();
        byte[] frame = rig.HostUdp(1514);
        var buffer = new byte[1514];
        for (int i = 0; i < 10; i++) Assert.True(rig.FromHost(frame));
        Assert.Equal(0, rig.LanChip.RxOverflowDrops);
        int received = 0;
        for (int i = 0; i < 40; i++)
        {
            if (rig.LanDriver.Receive(buffer, 0, buffer.Length, out _) == ReceiveResult.Frame) received++;
            rig.FromHost(frame);
        }
        while (rig.LanDriver.Receive(buffer, 0, buffer.Length, out _) == ReceiveResult.Frame) received++;
        Assert.Equal(50, received + rig.LanChip.RxOverflowDrops);
        Assert.True(rig.LanChip.RxOverflowDrops <= 5, $"{rig.LanChip.RxOverflowDrops} of 50 dropped (5 with the half-ring hand-back, 9 without)");
    }

    [Fact]
    public void StuckCommandThatPersistsRetriesOnlyEveryRecoveryInterval()
    {
        var rig = new W5500Rig();
        rig.WanChip.StuckCommandRegister = true;
        for (int i = 0; i < 3; i++)
        {
            rig.FromHost(rig.HostUdp(100, 44100 + i));
            rig.Poll();
        }
        Assert.Equal(1, rig.WanDriver.Counters.BringUpFailures); // the immediate retry failed (OPEN never accepted)
        Assert.Equal(W5500BringUp.CommandTimeout, rig.WanDriver.LastBringUp);
        rig.WanChip.StuckCommandRegister = false;
        Assert.False(rig.Forwards());                            // not retried before the interval
        rig.Clock.Advance(rig.WanDriver.RecoveryIntervalMs);
        Assert.True(rig.Forwards(41003));
    }

    [Theory]
    [InlineData(AbsentChip.MisoHigh, 0xFF)]
    [InlineData(AbsentChip.MisoLow, 0x00)]
    public void AbsentChipFailsBringUpWithAClearError(AbsentChip absent, int version)
    {
        var wire = VirtualWire.Create(1518, 8, Frames.Mac(0x70), Frames.Mac(0x71));
        var chip = new W5500Model(wire.A) { Absent = absent };
        var driver = new W5500Driver(chip, chip.ResetPin, chip.InterruptPin, new ManualClock(), Frames.Mac(0x10));
        Assert.Equal(W5500BringUp.NoChip, driver.Start());
        Assert.Equal(version, driver.LastVersion);
        Assert.Contains($"VERSIONR reads 0x{version:X2}", W5500Driver.Describe(W5500BringUp.NoChip, driver.LastVersion));
        Assert.Equal(1, driver.Counters.BringUpFailures);
        Assert.Equal(ReceiveResult.NoFrame, driver.Receive(new byte[1514], 0, 1514, out _));
        Assert.False(driver.Send(new byte[60], 0, 60));
        Assert.Equal(1, driver.Counters.SendDropsNotRunning);
    }

    [Theory]
    [InlineData(AbsentChip.MisoHigh)]
    [InlineData(AbsentChip.MisoLow)]
    public void ChipVanishingMidRunIsDetectedAndRecovered(AbsentChip absent)
    {
        var rig = new W5500Rig();
        rig.LanChip.Absent = absent;
        rig.Clock.Advance(rig.LanDriver.HealthCheckMs);
        rig.Poll();
        Assert.False(rig.LanDriver.IsRunning);
        var c = rig.LanDriver.Counters;
        Assert.True(c.ChipLost + c.CommandTimeouts + c.RxCorruptLength >= 1);
        Assert.False(rig.Forwards());

        rig.LanChip.Absent = AbsentChip.No;
        rig.Clock.Advance(rig.LanDriver.RecoveryIntervalMs);
        rig.Poll();
        Assert.True(rig.LanDriver.IsRunning);
        Assert.True(c.Resets >= 1);
        Assert.True(rig.Forwards());
    }

    [Fact]
    public void SpiBitErrorsNeverThrowAndForwardingResumes()
    {
        var rig = new W5500Rig();
        rig.LanChip.MisoBitErrorRate = 0.002;
        rig.WanChip.MisoBitErrorRate = 0.002;
        for (int i = 0; i < 300; i++)
        {
            rig.FromHost(rig.HostUdp(60 + i % 1400, 45000 + i % 50));
            rig.Poll();
            rig.Clock.Advance(1 + i % 20);
        }
        Assert.True(rig.LanChip.BitErrorsInjected + rig.WanChip.BitErrorsInjected > 0);
        rig.LanChip.MisoBitErrorRate = 0;
        rig.WanChip.MisoBitErrorRate = 0;
        rig.Clock.Advance(rig.LanDriver.RecoveryIntervalMs);
        rig.Poll();
        Assert.True(rig.Forwards());
    }

    [Fact]
    public void OversizeForTheCallerIsReportedAndSkipped()
    {
        var rig = new W5500Rig();
        rig.FromHost(rig.HostUdp(1000));
        rig.FromHost(rig.HostUdp(100));
        var small = new byte[512];
        Assert.Equal(ReceiveResult.DroppedOversize, rig.LanDriver.Receive(small, 0, small.Length, out int n));
        Assert.Equal(0, n);
        Assert.Equal(ReceiveResult.Frame, rig.LanDriver.Receive(small, 0, small.Length, out n));
        Assert.Equal(100, n);
        Assert.Equal(1, rig.LanDriver.Counters.RxOversize);
    }

    /// <summary>CoreCLR check of the driver's per-frame paths (and the model's): no allocation once warm.</summary>
    [Fact]
    public void PerFrameReceiveAndSendAllocateNothing()
    {
        var rig = new W5500Rig();
        byte[] frame = rig.HostUdp(600);
        var buffer = new byte[1514];
        void Round()
        {
            for (int i = 0; i < 8; i++) rig.FromHost(frame);
            while (rig.LanDriver.Receive(buffer, 0, buffer.Length, out int n) == ReceiveResult.Frame) rig.WanDriver.Send(buffer, 0, n);
            rig.DrainGateway();
        }
        for (int i = 0; i < 2000; i++) Round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++) Round();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(rig.WanDriver.Counters.FramesSent >= 4000 * 8 / 2);
    }
}
