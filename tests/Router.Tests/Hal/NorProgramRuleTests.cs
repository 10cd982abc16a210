using Router.Hal;
using Router.Hal.Desktop;
using Xunit;

namespace Router.Tests.Hal
{
    /// <summary>
    /// The NOR rule shared by the desktop flashes and the boards' file-backed flash (boards/device FileNorFlash):
    /// programming may only clear bits.
    /// </summary>
    public class NorProgramRuleTests
    {
        [Fact]
        public void ClearingBitsOrRewritingTheSameValueIsAllowed()
        {
            byte[] current = { 0xFF, 0xF0, 0x0F, 0x00 };
            byte[] requested = { 0x12, 0xF0, 0x05, 0x00 };
            Assert.Equal(-1, NorProgramRule.FirstViolation(current, 0, requested, 0, 4));
        }

        [Fact]
        public void FindsTheFirstByteThatWouldSetABit()
        {
            byte[] current = { 0xFF, 0xF0, 0x0F, 0x00 };
            byte[] requested = { 0x00, 0xF0, 0x1F, 0x01 };
            Assert.Equal(2, NorProgramRule.FirstViolation(current, 0, requested, 0, 4));
        }

        [Fact]
        public void HonoursBothOffsetsAndTheCount()
        {
            byte[] current = { 0x00, 0x00, 0xFF, 0x0F };
            byte[] requested = { 0xAA, 0xFF, 0x01, 0x80 };
            // Compares current[2..3] with requested[1..2]: 0xFF/0xFF ok, 0x0F/0x01 ok; requested[3] = 0x80 is outside the count.
            Assert.Equal(-1, NorProgramRule.FirstViolation(current, 2, requested, 1, 2));
            Assert.Equal(1, NorProgramRule.FirstViolation(current, 2, requested, 2, 2));
        }

        [Fact]
        public void DescribeNamesTheAddressAndBothValues()
        {
            Assert.Equal("Flash program at address 0x00001004 would set bits 0->1 without erase (current 0x0F, requested 0x1F).",
                NorProgramRule.Describe(0x1004, 0x0F, 0x1F));
        }

        [Fact]
        public void DesktopFlashRejectsWithTheRuleAndChangesNothing()
        {
            var flash = new MemoryFlash(4096, 1);
            flash.Program(0, new byte[] { 0xF0, 0xF0 }, 0, 2);
            var ex = Assert.Throws<FlashProgramException>(() => flash.Program(0, new byte[] { 0x00, 0xF8 }, 0, 2));
            Assert.Equal(1, ex.Address);
            Assert.Equal(NorProgramRule.Describe(1, 0xF0, 0xF8), ex.Message);
            var back = new byte[2];
            flash.Read(0, back, 0, 2);
            Assert.Equal(new byte[] { 0xF0, 0xF0 }, back);
        }
    }
}
