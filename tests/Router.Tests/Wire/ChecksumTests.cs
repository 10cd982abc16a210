using System;
using Router.Wire;
using Xunit;

namespace Router.Tests.Wire;

public class ChecksumTests
{
    [Fact]
    public void Rfc1071ExampleSumsToDdf2()
    {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, so the checksum is its complement 220d.
        byte[] b = { 0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7 };
        Assert.Equal(0x220D, Checksum.Compute(b, 0, b.Length));
        Assert.Equal(0xDDF2u, Checksum.Add(0, b, 0, b.Length) & 0xFFFF);
    }

    [Fact]
    public void OddLengthPadsTheLastByteWithZero()
    {
        byte[] b = { 0xEE, 0x01, 0x02, 0x03, 0xEE };
        // 0x0102 + 0x0300 = 0x0402, complement 0xfbfd.
        Assert.Equal(0xFBFD, Checksum.Compute(b, 1, 3));
        Assert.Equal(Checksum.Compute(new byte[] { 1, 2, 3, 0 }, 0, 4), Checksum.Compute(b, 1, 3));
        Assert.Equal(0xFFFF, Checksum.Compute(b, 0, 0));
    }

    [Fact]
    public void ABufferWithItsChecksumInPlaceSumsToZero()
    {
        byte[] h = Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");
        Assert.Equal(0xB861, Checksum.Compute(h, 0, 20));
        h[10] = 0xB8;
        h[11] = 0x61;
        Assert.Equal(0, Checksum.Compute(h, 0, 20));
    }

    [Fact]
    public void PseudoHeaderSumsAddressesProtocolAndLength()
    {
        // 10.0.0.1 -> 10.0.0.2, UDP, 10 bytes: 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 0x11 + 0x0a = 0x141e.
        Assert.Equal(0x141Eu, Checksum.PseudoHeader(0x0A000001, 0x0A000002, 17, 10));
        // Carries fold: 255.255.255.255 twice = 4 * 0xffff.
        Assert.Equal(Checksum.Add(0, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 6, 0, 20 }, 0, 12),
            Checksum.PseudoHeader(0xFFFFFFFF, 0xFFFFFFFF, 6, 20));
    }

    [Fact]
    public void IncrementalUpdatesEqualAFullRecomputeOnRandomData()
    {
        var random = new Random(1624);
        byte[] b = new byte[64];
        for (int round = 0; round < 5000; round++)
        {
            int length = 10 + random.Next(50); // odd and even lengths
            random.NextBytes(b.AsSpan(0, length));
            b[0] = 0; b[1] = 0;
            NetworkOrder.WriteUInt16(b, 0, Checksum.Compute(b, 0, length));
            Assert.Equal(0, Checksum.Compute(b, 0, length));

            int at = 2 + 2 * random.Next((length - 6) / 2);
            if (random.Next(2) == 0)
            {
                int old = NetworkOrder.ReadUInt16(b, at);
                int value = random.Next(3) == 0 ? (random.Next(2) == 0 ? 0 : 0xFFFF) : random.Next(0x10000);
                NetworkOrder.WriteUInt16(b, at, value);
                Checksum.Update16(b, 0, old, value);
            }
            else
            {
                uint old = NetworkOrder.ReadUInt32(b, at);
                uint value = random.Next(3) == 0 ? (random.Next(2) == 0 ? 0u : 0xFFFFFFFFu) : (uint)random.NextInt64(0x100000000);
                NetworkOrder.WriteUInt32(b, at, value);
                Checksum.Update32(b, 0, old, value);
            }
            // The updated field verifies (sums to zero) like a recomputed one; both are valid encodings of the same sum.
            Assert.Equal(0, Checksum.Compute(b, 0, length));
            int updated = NetworkOrder.ReadUInt16(b, 0);
            NetworkOrder.WriteUInt16(b, 0, 0);
            int full = Checksum.Compute(b, 0, length);
            Assert.True(updated == full || (updated ^ full) == 0xFFFF && (updated == 0 || full == 0),
                $"round {round}: incremental {updated:x4} vs full {full:x4}");
        }
    }

    [Fact]
    public void UpdateBySumAppliesADeltaOfSums()
    {
        byte[] b = Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");
        NetworkOrder.WriteUInt16(b, 10, Checksum.Compute(b, 0, 20));
        // Replace the source 192.168.0.1 by 203.0.113.2 as a sum delta.
        Checksum.UpdateBySum(b, 10, 0xC0A8u + 0x0001u, 0xCB00u + 0x7102u);
        NetworkOrder.WriteUInt32(b, 12, 0xCB007102);
        Assert.Equal(0, Checksum.Compute(b, 0, 20));
    }

    [Fact]
    public void NetworkOrderIsBigEndian()
    {
        byte[] b = new byte[6];
        NetworkOrder.WriteUInt16(b, 0, 0x1234);
        NetworkOrder.WriteUInt32(b, 2, 0xC0A80101);
        Assert.Equal(new byte[] { 0x12, 0x34, 0xC0, 0xA8, 0x01, 0x01 }, b);
        Assert.Equal(0x1234, NetworkOrder.ReadUInt16(b, 0));
        Assert.Equal(0xC0A80101u, NetworkOrder.ReadUInt32(b, 2));
    }
}
