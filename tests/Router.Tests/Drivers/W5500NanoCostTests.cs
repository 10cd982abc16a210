using System.Linq;
using Router.Drivers.W5500;
using Router.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Drivers;

/// <summary>The W5500 driver on nanoCLR, from its IL and its objects: no allocation per frame, and a known heap size.</summary>
public class W5500NanoCostTests
{
    private readonly ITestOutputHelper _output;
    public W5500NanoCostTests(ITestOutputHelper output) { _output = output; }

    [Fact]
    public void ReceiveAndSendAllocateNothingOnNanoClr()
    {
        var (sites, visited) = NanoCost.Scan(typeof(W5500Driver).GetMethod(nameof(W5500Driver.Receive)), typeof(W5500Driver).GetMethod(nameof(W5500Driver.Send)));
        _output.WriteLine($"{visited.Count} methods reachable from Receive and Send: " + string.Join(", ", visited.Select(m => m.Name)));
        Assert.Contains(visited, m => m.Name == "ReceiveFromBatch");
        Assert.Contains(visited, m => m.Name == "BringUp"); // recovery paths are scanned too
        Assert.True(sites.Count == 0, string.Join("; ", sites));
    }

    [Fact]
    public void TheScanSeesAllocations()
    {
        var (sites, _) = NanoCost.Scan(typeof(W5500Driver).GetMethod(nameof(W5500Driver.Describe)));
        Assert.Contains(sites, s => s.What == "ldstr");
    }

    [Fact]
    public void DriverHeapIsItsBuffersAndCounters()
    {
        var driver = new W5500Driver(new NullSpi(), null, null, new TestClock(), Frames.Mac(1));
        long bytes = NanoCost.HeapBytes(driver);
        _output.WriteLine($"one W5500 driver: {bytes} bytes of nanoCLR heap");
        // Two 1519-byte SPI buffers dominate: 12 × ceil((20 + 1519) / 12) = 1548 each.
        Assert.InRange(bytes, 2 * 1548, 2 * 1548 + 1200);
    }

    private sealed class NullSpi : Router.Hal.ISpiDevice
    {
        public void Write(byte[] buffer, int offset, int count) { }
        public void TransferFullDuplex(byte[] writeBuffer, int writeOffset, byte[] readBuffer, int readOffset, int count) { }
    }
}
