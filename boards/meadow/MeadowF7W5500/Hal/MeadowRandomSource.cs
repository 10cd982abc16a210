using System;
using System.Security.Cryptography;
using Router.Hal;

namespace Router.MeadowF7W5500.Hal
{
    /// <summary><see cref="IRandomSource"/> over .NET's <see cref="RandomNumberGenerator"/> (Meadow OS's entropy source).</summary>
    public sealed class MeadowRandomSource : IRandomSource
    {
        private readonly RandomNumberGenerator _rng = RandomNumberGenerator.Create();
        private readonly byte[] _four = new byte[4];

        public uint NextUInt32()
        {
            _rng.GetBytes(_four);
            return BitConverter.ToUInt32(_four, 0);
        }

        public void NextBytes(byte[] buffer, int offset, int count)
        {
            _rng.GetBytes(buffer, offset, count);
        }
    }
}
