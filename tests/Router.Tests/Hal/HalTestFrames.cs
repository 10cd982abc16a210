using System;

namespace Router.Tests.Hal
{
    /// <summary>Builds Ethernet II test frames for the HAL tests.</summary>
    internal static class HalTestFrames
    {
        public static readonly byte[] Broadcast = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

        public static byte[] Mac(byte last) => new byte[] { 0x02, 0x00, 0x00, 0x00, 0x00, last };

        /// <summary>A frame dst|src|0x88B5|payload where payload byte i = (seed + i).</summary>
        public static byte[] Make(byte[] dst, byte[] src, int length, byte seed = 0)
        {
            if (length < 14) throw new ArgumentOutOfRangeException(nameof(length));
            var f = new byte[length];
            Buffer.BlockCopy(dst, 0, f, 0, 6);
            Buffer.BlockCopy(src, 0, f, 6, 6);
            f[12] = 0x88;
            f[13] = 0xB5; // local experimental ethertype
            for (int i = 14; i < length; i++) f[i] = (byte)(seed + i);
            return f;
        }
    }
}
