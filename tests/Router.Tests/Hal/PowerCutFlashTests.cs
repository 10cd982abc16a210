using System;
using Router.Hal.Desktop;
using Xunit;

namespace Router.Tests.Hal
{
    public class PowerCutFlashTests
    {
        private readonly MemoryFlash _inner = new MemoryFlash(256, 4);

        [Fact]
        public void CutsAfterExactlyNOperationsWithoutPerformingTheNext()
        {
            var flash = new PowerCutFlash(_inner, cutAfterOperations: 3);
            var data = new byte[] { 0x11, 0x22 };
            flash.EraseSector(0);
            flash.Program(0, data, 0, 2);
            var read = new byte[2];
            flash.Read(0, read, 0, 2); // reads are not counted
            flash.Program(16, data, 0, 2);
            Assert.Equal(3, flash.OperationCount);
            Assert.False(flash.IsPowerLost);

            var ex = Assert.Throws<PowerLossException>(() => flash.Program(32, data, 0, 2));
            Assert.Equal(4, ex.OperationNumber);
            Assert.True(flash.IsPowerLost);
            _inner.Read(32, read, 0, 2);
            Assert.Equal(new byte[] { 0xFF, 0xFF }, read); // not performed
            Assert.Equal(2, _inner.ProgramCount);
            Assert.Equal(1, _inner.EraseCount);

            // Power stays off until restored.
            Assert.Throws<PowerLossException>(() => flash.Read(0, read, 0, 2));
            Assert.Throws<PowerLossException>(() => flash.EraseSector(1));
            Assert.Equal(1, _inner.EraseCount);

            flash.RestorePower();
            flash.Read(16, read, 0, 2);
            Assert.Equal(data, read);
            Assert.Equal(0, flash.OperationCount);
        }

        [Fact]
        public void CutOnAnEraseLeavesTheSectorUntouched()
        {
            _inner.Program(256, new byte[] { 0x00 }, 0, 1);
            var flash = new PowerCutFlash(_inner, cutAfterOperations: 0);
            Assert.Throws<PowerLossException>(() => flash.EraseSector(1));
            var read = new byte[1];
            _inner.Read(256, read, 0, 1);
            Assert.Equal(0x00, read[0]);
        }

        [Fact]
        public void TornWriteLeavesOnlyAPrefix()
        {
            var flash = new PowerCutFlash(_inner, cutAfterOperations: 1, tornWriteBytes: 3);
            var data = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
            flash.Program(0, data, 0, 8);
            Assert.Throws<PowerLossException>(() => flash.Program(100, data, 0, 8));

            var read = new byte[8];
            _inner.Read(100, read, 0, 8);
            Assert.Equal(new byte[] { 1, 2, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, read);
        }

        [Fact]
        public void NeverCutOnlyCounts()
        {
            var flash = new PowerCutFlash(_inner);
            for (int i = 0; i < 100; i++) flash.EraseSector(i % 4);
            flash.Program(0, new byte[] { 0 }, 0, 1);
            Assert.Equal(101, flash.OperationCount);
            Assert.Equal(100, flash.EraseCount);
            Assert.Equal(1, flash.ProgramCount);
            Assert.False(flash.IsPowerLost);
        }

        [Fact]
        public void SweepingTheCutPointInterruptsEveryOperationOnce()
        {
            // The pattern a power-loss test of the config store uses: cut after 0, 1, 2, ... operations.
            int completedRuns = 0;
            for (int cut = 0; cut <= 5; cut++)
            {
                var inner = new MemoryFlash(256, 2);
                var flash = new PowerCutFlash(inner, cut);
                try
                {
                    flash.EraseSector(0);
                    flash.Program(0, new byte[] { 1 }, 0, 1);
                    flash.Program(1, new byte[] { 2 }, 0, 1);
                    flash.EraseSector(1);
                    completedRuns++;
                }
                catch (PowerLossException ex)
                {
                    Assert.Equal(cut + 1, ex.OperationNumber);
                    Assert.Equal(cut, inner.EraseCount + inner.ProgramCount);
                }
            }
            Assert.Equal(2, completedRuns); // cut = 4 and 5 let all 4 operations finish
        }
    }
}
