using System;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>
/// Deterministic <see cref="IRandomSource"/> for tests and reproducible emulator runs: SplitMix64, so a seed gives the same
/// sequence on every runtime and platform. Not cryptographic; not thread-safe. Allocation-free.
/// </summary>
public sealed class SeededRandom : IRandomSource
{
    private ulong _state;

    public SeededRandom(ulong seed) => _state = seed;

    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public void NextBytes(byte[] buffer, int offset, int count)
    {
        if (buffer == null) throw new ArgumentNullException(nameof(buffer));
        if (offset < 0 || count < 0 || (long)offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
        int i = 0;
        while (i < count)
        {
            ulong r = NextUInt64();
            for (int b = 0; b < 8 && i < count; b++, i++)
            {
                buffer[offset + i] = (byte)r;
                r >>= 8;
            }
        }
    }
}
