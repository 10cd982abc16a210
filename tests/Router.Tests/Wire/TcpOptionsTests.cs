using System;
using System.Collections.Generic;
using Router.Wire;
using Xunit;

namespace Router.Tests.Wire;

/// <summary>The one TCP option walker and the odd-offset checksum update used by MSS clamping and SACK adjustment.</summary>
public class TcpOptionsTests
{
    /// <summary>A TCP header with <paramref name="options"/> (padded with zeros to a multiple of 4) and a valid checksum.</summary>
    private static byte[] Segment(params byte[] options)
    {
        int headerLength = 20 + (options.Length + 3) / 4 * 4;
        byte[] b = new byte[headerLength + 3]; // a little payload
        TcpSegment.SetSourcePort(b, 0, 50000);
        TcpSegment.SetDestinationPort(b, 0, 80);
        b[12] = (byte)(headerLength / 4 << 4);
        b[13] = TcpSegment.Syn;
        options.CopyTo(b, 20);
        b[headerLength] = 0x41;
        TcpSegment.FillChecksum(b, 0, 0x0A000001, 0x0A000002, b.Length);
        return b;
    }

    private static List<(int kind, int length)> Walk(byte[] b)
    {
        var seen = new List<(int, int)>();
        for (int i = TcpOptions.First(b, 0); i != TcpOptions.None; i = TcpOptions.Next(b, 0, i)) seen.Add((TcpOptions.Kind(b, i), TcpOptions.Length(b, i)));
        return seen;
    }

    [Fact]
    public void WalksEveryOptionSkippingNops()
    {
        // MSS, NOP, window scale, NOP, NOP, SACK permitted, NOP, NOP, SACK with one block.
        byte[] b = Segment(2, 4, 5, 0xB4, 1, 3, 3, 7, 1, 1, 4, 2, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2);
        Assert.Equal(new List<(int, int)> { (2, 4), (3, 3), (4, 2), (5, 10) }, Walk(b));
        Assert.Equal(20, TcpOptions.Find(b, 0, TcpOptions.Mss));
        Assert.Equal(34, TcpOptions.Find(b, 0, TcpOptions.Sack));
        Assert.Equal(36, TcpOptions.ValueOffset(34));
        Assert.Equal(TcpOptions.None, TcpOptions.Find(b, 0, 8)); // no timestamps
    }

    [Fact]
    public void StopsAtEndOfListAndAtTheHeaderEnd()
    {
        Assert.Empty(Walk(Segment()));
        Assert.Equal(new List<(int, int)> { (2, 4) }, Walk(Segment(2, 4, 5, 0xB4, 0, 5, 10)));           // End, then garbage
        Assert.Equal(TcpOptions.None, TcpOptions.Find(Segment(1, 1, 1, 1), 0, TcpOptions.Mss));          // only NOPs
    }

    [Fact]
    public void StopsAtAMalformedOption()
    {
        Assert.Empty(Walk(Segment(2, 1, 5, 0xB4)));                     // length below 2
        Assert.Empty(Walk(Segment(1, 1, 1, 2, 9, 0, 0, 0)));            // length runs past the header
        Assert.Equal(new List<(int, int)> { (4, 2) }, Walk(Segment(4, 2, 1, 2))); // a kind with no room for its length byte
    }

    [Theory]
    [InlineData(2, 2)] // aligned 16-bit field
    [InlineData(3, 2)] // odd offset: straddles two checksum words
    [InlineData(2, 4)] // aligned 32-bit field
    [InlineData(3, 4)] // odd offset 32-bit field
    public void WriteFieldKeepsTheChecksumEqualToAFullRecompute(int optionAt, int size)
    {
        byte[] b = Segment(1, 1, 1, 1, 1, 1, 1, 1);
        int at = 20 + optionAt;
        uint value = size == 2 ? 0x05B4u : 0xDEADBEEFu;
        Checksum.WriteField(b, 0, TcpSegment.ChecksumField, at, size, value);
        Assert.Equal(value, size == 2 ? NetworkOrder.ReadUInt16(b, at) : NetworkOrder.ReadUInt32(b, at));

        int incremental = TcpSegment.Checksum(b, 0);
        TcpSegment.FillChecksum(b, 0, 0x0A000001, 0x0A000002, b.Length);
        Assert.Equal(TcpSegment.Checksum(b, 0), incremental);
    }
}
