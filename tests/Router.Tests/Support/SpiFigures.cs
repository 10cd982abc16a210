using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Router.Drivers.W5500;

namespace Router.Tests.Support;

/// <summary>SPI cost of one forwarded frame, summed over both chips (RX on the LAN W5500, TX on the WAN W5500).</summary>
/// <param name="Writes">Of <paramref name="Transactions"/>, those issued as ISpiDevice.Write; the rest are TransferFullDuplex.</param>
public sealed record SpiCost(int FrameBytes, int Burst, double Transactions, double BusBytes, double Writes)
{
    /// <summary>Full-duplex transfers per forwarded frame.</summary>
    public double Transfers => Transactions - Writes;

    /// <summary>The bus-byte budget: twice the frame (in and out) plus 24 bytes of headers and registers.</summary>
    public int BusByteBudget => 2 * FrameBytes + 24;

    /// <summary>Seconds of bus time per forwarded frame at <paramref name="hz"/>, plus <paramref name="gapSeconds"/> per transaction.</summary>
    public double Seconds(double hz, double gapSeconds) => BusBytes * 8 / hz + Transactions * gapSeconds;
}

/// <summary>
/// Deterministic SPI figures from the W5500 chip model (the driver runs unchanged; the model counts transactions and bytes
/// clocked, 3 header bytes each included). Frame sizes are as handed to the router (no FCS).
/// </summary>
public static class SpiFigures
{
    /// <summary>Forwards <paramref name="rounds"/> bursts of <paramref name="burst"/> UDP frames LAN → WAN and averages.</summary>
    public static SpiCost Measure(int frameBytes, int burst, int rounds = 20)
    {
        var rig = new W5500Rig();
        byte[] frame = rig.HostUdp(frameBytes);
        rig.FromHost(frame);  // the flow's first frame creates its connection: not part of the steady state
        rig.Poll();
        if (rig.DrainGateway() != 1) throw new InvalidOperationException("the warm-up frame was not forwarded");
        rig.LanChip.ResetCounters();
        rig.WanChip.ResetCounters();
        int forwarded = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < burst; i++) rig.FromHost(frame);
            rig.Poll();
            forwarded += rig.DrainGateway();
        }
        if (forwarded != rounds * burst) throw new InvalidOperationException($"forwarded {forwarded} of {rounds * burst}");
        return new SpiCost(frameBytes, burst,
            (double)(rig.LanChip.SpiTransactions + rig.WanChip.SpiTransactions) / forwarded,
            (double)(rig.LanChip.BusBytes + rig.WanChip.BusBytes) / forwarded,
            (double)(rig.LanChip.SpiWrites + rig.WanChip.SpiWrites) / forwarded);
    }

    /// <summary>The cases reported: one frame at a time, and bursts that fill the chip (a 16 KB ring holds ten 1514-byte frames).</summary>
    public static IReadOnlyList<SpiCost> All() => new[]
    {
        Measure(64, 1), Measure(64, 32), Measure(64, 200, rounds: 5),
        Measure(1514, 1), Measure(1514, 10),
    };

    public static string Render()
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine("W5500 SPI cost per forwarded frame (LAN chip RX + WAN chip TX), from the chip model; driver interrupt-driven.");
        s.AppendLine("frame B | burst | transactions (writes + full-duplex) | bus bytes | budget 2f+24 | ceiling 20 MHz fps / Mbit/s | 26 MHz fps / Mbit/s | 26 MHz +1 µs/CS gap fps / Mbit/s");
        foreach (SpiCost c in All())
        {
            string At(double hz, double gap)
            {
                double fps = 1 / c.Seconds(hz, gap);
                return string.Format(inv, "{0,7:F0} / {1,5:F1}", fps, fps * c.FrameBytes * 8 / 1e6);
            }
            s.AppendLine(string.Format(inv, "{0,7} | {1,5} | {2,12:F2} ({3:F2} + {4:F2}) | {5,9:F1} | {6,12} | {7} | {8} | {9}",
                c.FrameBytes, c.Burst, c.Transactions, c.Writes, c.Transfers, c.BusBytes, c.BusByteBudget, At(20e6, 0), At(26e6, 0), At(26e6, 1e-6)));
        }
        s.AppendLine("Ceilings count bus time only (bytes × 8 / clock; the last column adds 1 µs per transaction for chip-select");
        s.AppendLine("setup/hold and the native call's turnaround). Not counted: interpreted C# per frame on nanoCLR (driver + router),");
        s.AppendLine("which dominates on a board. Native anchor: ESP32-C3 + W5500 at 25 MHz in C ≈ 4 Mbit/s down, 1 Mbit/s up");
        s.AppendLine("(martin-ger/esp32_ethernet_router README).");

        s.AppendLine("nanoCLR allocations per frame in the driver: the allocation gate walks W5500Driver.Receive/Send/FrameReady/OnFallingEdge");
        s.AppendLine("  (dotnet test tests/Router.Tests --filter \"FullyQualifiedName~NanoAllocation\"; report: nanoclr-allocation-report.txt).");
        var driver = new W5500Driver(new NoSpi(), null, null, new TestClock(), Frames.Mac(1));
        long heap = NanoCost.HeapBytes(driver);
        s.AppendLine(string.Format(inv, "nanoCLR heap of the drivers (12 × (1 + fields) per object, arrays 12 × ceil((20 + N)/12)): {0} B each, {1} B for two", heap, 2 * heap));
        return s.ToString();
    }

    private sealed class NoSpi : Router.Hal.ISpiDevice
    {
        public void Write(byte[] buffer, int offset, int count) { }
        public void TransferFullDuplex(byte[] writeBuffer, int writeOffset, byte[] readBuffer, int readOffset, int count) { }
    }
}
