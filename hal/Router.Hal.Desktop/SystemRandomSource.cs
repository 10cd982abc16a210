using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>Cryptographically strong <see cref="IRandomSource"/> backed by <see cref="RandomNumberGenerator"/>. Thread-safe, allocation-free.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    public uint NextUInt32()
    {
        Span<byte> b = stackalloc byte[4];
        RandomNumberGenerator.Fill(b);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    public void NextBytes(byte[] buffer, int offset, int count)
    {
        if (buffer == null) throw new ArgumentNullException(nameof(buffer));
        if (offset < 0 || count < 0 || (long)offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
        RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
    }
}
