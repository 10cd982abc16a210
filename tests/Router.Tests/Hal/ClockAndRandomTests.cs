using System;
using System.Threading;
using Router.Hal.Desktop;
using Xunit;

namespace Router.Tests.Hal
{
    public class ClockAndRandomTests
    {
        [Fact]
        public void SystemClockStartsNearZeroAndAdvances()
        {
            var clock = new SystemClock();
            long t0 = clock.NowMilliseconds;
            Assert.InRange(t0, 0, 1000);
            Thread.Sleep(30);
            long t1 = clock.NowMilliseconds;
            Assert.InRange(t1 - t0, 25, 5000);
        }

        [Fact]
        public void ManualClockMovesOnlyWhenTold()
        {
            var clock = new ManualClock(100);
            Assert.Equal(100, clock.NowMilliseconds);
            Assert.Equal(350, clock.Advance(250));
            Assert.Equal(350, clock.NowMilliseconds);
            clock.NowMilliseconds = 1000;
            Assert.Equal(1000, clock.NowMilliseconds);
            Assert.Throws<ArgumentOutOfRangeException>(() => clock.NowMilliseconds = 999);
            Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(-1));
            Assert.Equal(1000, clock.NowMilliseconds);
        }

        [Fact]
        public void SeededRandomIsReproducibleAndSeedDependent()
        {
            var a = new SeededRandom(7);
            var b = new SeededRandom(7);
            var c = new SeededRandom(8);
            for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt32(), b.NextUInt32());
            Assert.NotEqual(new SeededRandom(7).NextUInt32(), c.NextUInt32());

            var x = new byte[37];
            var y = new byte[37];
            new SeededRandom(99).NextBytes(x, 0, 37);
            new SeededRandom(99).NextBytes(y, 0, 37);
            Assert.Equal(x, y);

            // SplitMix64 reference value: first output for seed 0.
            Assert.Equal(0xE220A8397B1DCDAFUL, new SeededRandom(0).NextUInt64());
        }

        [Fact]
        public void RandomSourcesFillOnlyTheRequestedRange()
        {
            foreach (Router.Hal.IRandomSource source in new Router.Hal.IRandomSource[] { new SeededRandom(5), new SystemRandomSource() })
            {
                var buffer = new byte[64];
                source.NextBytes(buffer, 8, 48);
                Assert.All(buffer.AsSpan(0, 8).ToArray(), b => Assert.Equal(0, b));
                Assert.All(buffer.AsSpan(56, 8).ToArray(), b => Assert.Equal(0, b));
                int nonZero = 0;
                for (int i = 8; i < 56; i++) if (buffer[i] != 0) nonZero++;
                Assert.True(nonZero > 30);
                Assert.Throws<ArgumentOutOfRangeException>(() => source.NextBytes(buffer, 60, 8));
            }
        }

        [Fact]
        public void SystemRandomSourceValuesVary()
        {
            var rng = new SystemRandomSource();
            uint first = rng.NextUInt32();
            bool differs = false;
            for (int i = 0; i < 10 && !differs; i++) differs = rng.NextUInt32() != first;
            Assert.True(differs);
        }
    }
}
