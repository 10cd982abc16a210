using System;
using Router.Hal;

namespace Router.Tests.Support;

public sealed class TestClock : IClock
{
    public long NowMilliseconds { get; set; } = 1000;
    public void Advance(long ms) => NowMilliseconds += ms;
}

public sealed class TestRandom : IRandomSource
{
    private readonly System.Random _r;
    public TestRandom(int seed = 1) { _r = new System.Random(seed); }
    public uint NextUInt32() => (uint)_r.Next() ^ ((uint)_r.Next() << 16);
    public void NextBytes(byte[] buffer, int offset, int count) => _r.NextBytes(buffer.AsSpan(offset, count));
}
