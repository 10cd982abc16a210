using System;
using System.IO;
using Router.Hal;
using Router.Hal.Desktop;
using Xunit;

namespace Router.Tests.Hal
{
    public class NorFlashTests : IDisposable
    {
        private const int SectorSize = 4096;
        private const int SectorCount = 4;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-flash-" + Guid.NewGuid().ToString("N"));

        public NorFlashTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        public static TheoryData<string> Kinds => new TheoryData<string> { "memory", "file" };

        private NorFlash Create(string kind) =>
            kind == "memory" ? new MemoryFlash(SectorSize, SectorCount) : FileFlash.Open(Path.Combine(_dir, "flash.bin"), SectorSize, SectorCount);

        private static void Release(NorFlash flash) => (flash as IDisposable)?.Dispose();

        [Theory]
        [MemberData(nameof(Kinds))]
        public void StartsErasedAndReportsGeometry(string kind)
        {
            NorFlash flash = Create(kind);
            try
            {
                Assert.Equal(SectorSize, flash.SectorSize);
                Assert.Equal(SectorCount, flash.SectorCount);
                var all = new byte[SectorSize * SectorCount];
                flash.Read(0, all, 0, all.Length);
                Assert.All(all, b => Assert.Equal(0xFF, b));
            }
            finally { Release(flash); }
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public void ProgramClearsBitsAndCanClearMoreWithoutErase(string kind)
        {
            NorFlash flash = Create(kind);
            try
            {
                flash.Program(SectorSize + 10, new byte[] { 0xF0, 0x0F, 0xAA }, 0, 3);
                flash.Program(SectorSize + 10, new byte[] { 0x70, 0x0F, 0x00 }, 0, 3); // only clears further: allowed
                var read = new byte[5];
                flash.Read(SectorSize + 9, read, 0, 5);
                Assert.Equal(new byte[] { 0xFF, 0x70, 0x0F, 0x00, 0xFF }, read);
                Assert.Equal(2, flash.ProgramCount);
                Assert.Equal(6, flash.BytesProgrammed);
            }
            finally { Release(flash); }
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public void SettingABitFromZeroToOneThrowsNamingTheAddressAndChangesNothing(string kind)
        {
            NorFlash flash = Create(kind);
            try
            {
                flash.Program(100, new byte[] { 0x00, 0x0F }, 0, 2);
                var ex = Assert.Throws<FlashProgramException>(() => flash.Program(100, new byte[] { 0x00, 0x1F }, 0, 2));
                Assert.Equal(101, ex.Address);
                Assert.Contains("0x00000065", ex.Message);
                Assert.Equal(0x0F, ex.CurrentValue);
                Assert.Equal(0x1F, ex.RequestedValue);

                var read = new byte[2];
                flash.Read(100, read, 0, 2);
                Assert.Equal(new byte[] { 0x00, 0x0F }, read);
                Assert.Equal(1, flash.ProgramCount);
            }
            finally { Release(flash); }
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public void EraseRestores0xFFInThatSectorOnly(string kind)
        {
            NorFlash flash = Create(kind);
            try
            {
                var zeros = new byte[SectorSize * 2];
                flash.Program(0, zeros, 0, zeros.Length); // sectors 0 and 1
                flash.EraseSector(1);

                var read = new byte[SectorSize * 2];
                flash.Read(0, read, 0, read.Length);
                Assert.All(read.AsSpan(0, SectorSize).ToArray(), b => Assert.Equal(0x00, b));
                Assert.All(read.AsSpan(SectorSize, SectorSize).ToArray(), b => Assert.Equal(0xFF, b));
                flash.Program(SectorSize, new byte[] { 0x12 }, 0, 1); // programmable again
                Assert.Equal(1, flash.EraseCount);
                Assert.Equal(1, flash.GetSectorEraseCount(1));
                Assert.Equal(0, flash.GetSectorEraseCount(0));
            }
            finally { Release(flash); }
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public void OutOfBoundsAccessThrows(string kind)
        {
            NorFlash flash = Create(kind);
            try
            {
                int size = SectorSize * SectorCount;
                var b = new byte[16];
                Assert.Throws<ArgumentOutOfRangeException>(() => flash.EraseSector(SectorCount));
                Assert.Throws<ArgumentOutOfRangeException>(() => flash.EraseSector(-1));
                Assert.Throws<ArgumentOutOfRangeException>(() => flash.Program(size - 8, b, 0, 16));
                Assert.Throws<ArgumentOutOfRangeException>(() => flash.Program(-1, b, 0, 1));
                Assert.Throws<ArgumentOutOfRangeException>(() => flash.Read(size, b, 0, 1));
                Assert.Throws<ArgumentOutOfRangeException>(() => flash.Read(0, b, 10, 8)); // past the caller's buffer
                flash.Read(size - 16, b, 0, 16); // the last bytes are fine
            }
            finally { Release(flash); }
        }

        [Fact]
        public void FileFlashPersistsAcrossInstances()
        {
            string path = Path.Combine(_dir, "persist.bin");
            using (var flash = FileFlash.Open(path, SectorSize, SectorCount))
            {
                flash.Program(2 * SectorSize + 5, new byte[] { 0xDE, 0xAD }, 0, 2);
                flash.Program(0, new byte[] { 0x00 }, 0, 1);
                flash.EraseSector(0);
            }
            Assert.Equal(SectorSize * SectorCount, new FileInfo(path).Length);

            using (var again = FileFlash.Open(path, SectorSize, SectorCount))
            {
                var read = new byte[2];
                again.Read(2 * SectorSize + 5, read, 0, 2);
                Assert.Equal(new byte[] { 0xDE, 0xAD }, read);
                again.Read(0, read, 0, 1);
                Assert.Equal(0xFF, read[0]);
                Assert.Throws<FlashProgramException>(() => again.Program(2 * SectorSize + 5, new byte[] { 0xFF }, 0, 1));
            }
        }

        [Fact]
        public void FileFlashRejectsAFileOfTheWrongSize()
        {
            string path = Path.Combine(_dir, "wrong.bin");
            File.WriteAllBytes(path, new byte[100]);
            Assert.Throws<InvalidDataException>(() => FileFlash.Open(path, SectorSize, SectorCount));
        }

        [Fact]
        public void MemoryFlashCanStartFromAnImageCopy()
        {
            var source = new MemoryFlash(256, 2);
            source.Program(3, new byte[] { 0x42 }, 0, 1);
            var copy = new MemoryFlash(256, 2, source.Image.ToArray());
            var read = new byte[1];
            copy.Read(3, read, 0, 1);
            Assert.Equal(0x42, read[0]);
            IFlash asInterface = copy;
            Assert.Equal(2, asInterface.SectorCount);
        }
    }
}
