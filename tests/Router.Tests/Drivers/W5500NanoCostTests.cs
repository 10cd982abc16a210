using Router.Drivers.W5500;
using Router.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Drivers;

/// <summary>The W5500 driver's nanoCLR heap (its per-frame paths are in the allocation gate: NanoAllocationPolicy.EntryPoints).</summary>
public class W5500NanoCostTests
{
    private readonly ITestOutputHelper _output;
    public W5500NanoCostTests(ITestOutputHelper output) { _output = output; }

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
