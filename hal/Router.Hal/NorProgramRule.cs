namespace Router.Hal
{
    /// <summary>
    /// The NOR rule every <see cref="IFlash"/> enforces: programming may only clear bits (1 to 0); a bit goes back to 1
    /// only by erasing its sector. Shared by the desktop flashes and the boards' file-backed flash.
    /// </summary>
    public static class NorProgramRule
    {
        /// <summary>
        /// The index (0..count-1) of the first byte where <paramref name="requested"/> would set a bit that
        /// <paramref name="current"/> has cleared, or -1 when every byte can be programmed.
        /// </summary>
        public static int FirstViolation(byte[] current, int currentOffset, byte[] requested, int requestedOffset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if ((requested[requestedOffset + i] & ~current[currentOffset + i]) != 0) return i;
            }
            return -1;
        }

        /// <summary>The error text for a violation at absolute flash <paramref name="address"/>.</summary>
        public static string Describe(int address, byte current, byte requested)
        {
            return "Flash program at address 0x" + address.ToString("X8") + " would set bits 0->1 without erase (current 0x" +
                current.ToString("X2") + ", requested 0x" + requested.ToString("X2") + ").";
        }
    }
}
