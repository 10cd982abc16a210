using System;
using System.IO;
using Router.Device.Hal;
using Xunit;

namespace Router.Tests.Boards
{
    /// <summary>
    /// The boards' flash (boards/device FileNorFlash: the nanoFramework boards and the Meadow board open it on their
    /// storage) against a real file: created erased, NOR rules enforced before anything changes, wrong sizes refused.
    /// </summary>
    public sealed class FileNorFlashTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-flash-" + Guid.NewGuid().ToString("N"));

        public FileNorFlashTests() { Directory.CreateDirectory(_dir); }

        public void Dispose() { Directory.Delete(_dir, true); }

        private string Image => Path.Combine(_dir, "router.flash");

        [Fact]
        public void AMissingImageIsCreatedErasedAtTheGeometrysSize()
        {
            var flash = new FileNorFlash(Image, 4096, 3);
            var all = new byte[3 * 4096];
            flash.Read(0, all, 0, all.Length);
            Assert.All(all, b => Assert.Equal(0xFF, b));
            Assert.Equal(3 * 4096, new FileInfo(Image).Length);
        }

        [Fact]
        public void ProgramClearsBitsAndEraseSetsTheSectorBack()
        {
            var flash = new FileNorFlash(Image, 4096, 2);
            flash.Program(4100, new byte[] { 0x0F, 0xF0 }, 0, 2);
            flash.Program(4100, new byte[] { 0x0E, 0xF0 }, 0, 2); // clearing one more bit is allowed
            var got = new byte[2];
            flash.Read(4100, got, 0, 2);
            Assert.Equal(new byte[] { 0x0E, 0xF0 }, got);
            flash.EraseSector(1);
            flash.Read(4100, got, 0, 2);
            Assert.Equal(new byte[] { 0xFF, 0xFF }, got);
        }

        [Fact]
        public void SettingABitWithoutEraseThrowsAndChangesNothing()
        {
            var flash = new FileNorFlash(Image, 4096, 1);
            flash.Program(10, new byte[] { 0xA0, 0x00 }, 0, 2);
            var e = Assert.Throws<InvalidOperationException>(() => flash.Program(10, new byte[] { 0x80, 0x01 }, 0, 2));
            Assert.Contains("0x0000000B", e.Message);
            var got = new byte[2];
            flash.Read(10, got, 0, 2);
            Assert.Equal(new byte[] { 0xA0, 0x00 }, got); // the first byte, which alone was legal, was not written either
        }

        [Fact]
        public void AnImageOfAnotherSizeIsRefusedNotResized()
        {
            File.WriteAllBytes(Image, new byte[100]);
            var e = Assert.Throws<IOException>(() => new FileNorFlash(Image, 4096, 2));
            Assert.Contains("100 bytes", e.Message);
            Assert.Equal(100, new FileInfo(Image).Length);
        }

        [Fact]
        public void AccessOutsideTheImageIsRefused()
        {
            var flash = new FileNorFlash(Image, 4096, 1);
            Assert.Throws<ArgumentOutOfRangeException>(() => flash.Read(4095, new byte[2], 0, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => flash.EraseSector(1));
        }
    }
}
