using System;
using Router.Hal;

namespace Router.Device.Hal
{
    /// <summary>
    /// <see cref="IRandomSource"/> over nanoFramework's <see cref="Random"/> (a native generator seeded by the runtime).
    /// </summary>
    /// <remarks>
    /// Where its seed comes from (hardware RNG or tick) is the target's business and not checked here: good for NAT port
    /// selection and DHCP transaction ids; treat it as non-cryptographic.
    /// </remarks>
    public sealed class NanoRandomSource : IRandomSource
    {
        private readonly Random _random = new Random();
        private readonly byte[] _word = new byte[4];

        public uint NextUInt32()
        {
            _random.NextBytes(_word);
            return (uint)(_word[0] | (_word[1] << 8) | (_word[2] << 16) | (_word[3] << 24));
        }

        public void NextBytes(byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                uint word = NextUInt32();
                for (int i = 0; i < 4 && count > 0; i++, count--) buffer[offset++] = (byte)(word >> (8 * i));
            }
        }
    }
}
