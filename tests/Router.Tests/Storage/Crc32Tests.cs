using System.Text;
using Router.Storage;
using Xunit;

namespace Router.Tests.Storage;

public class Crc32Tests
{
    /// <summary>The textbook bit-at-a-time CRC-32, independent of the firmware's nibble table.</summary>
    internal static uint Reference(byte[] data, int offset, int count)
    {
        uint crc = 0xFFFFFFFF;
        for (int i = 0; i < count; i++)
        {
            crc ^= data[offset + i];
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void CheckValueOfTheStandard()
    {
        byte[] check = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xCBF43926u, Crc32.Compute(check, 0, check.Length));
        Assert.Equal(0u, Crc32.Compute(check, 0, 0));
        Assert.Equal(0xD202EF8Du, Crc32.Compute(new byte[1], 0, 1));
    }

    [Fact]
    public void MatchesTheBitwiseReferenceAndCanBeFedInPieces()
    {
        var random = new System.Random(4);
        for (int n = 0; n < 50; n++)
        {
            byte[] data = new byte[random.Next(1, 600)];
            random.NextBytes(data);
            int split = random.Next(0, data.Length);
            uint pieces = Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Initial, data, 0, split), data, split, data.Length - split));
            Assert.Equal(Reference(data, 0, data.Length), Crc32.Compute(data, 0, data.Length));
            Assert.Equal(Reference(data, 0, data.Length), pieces);
        }
    }
}
