using System;
using System.Security.Cryptography;

namespace Router.Web
{
    /// <summary>PBKDF2 with HMAC-SHA256 as the PRF (RFC 8018 section 5.2), over the HMACSHA256 nanoFramework provides.</summary>
    public static class Pbkdf2
    {
        public const int HashBytes = 32;

        /// <summary>Derives <paramref name="length"/> bytes from a password and salt with the given iteration count.</summary>
        public static byte[] DeriveKey(byte[] password, byte[] salt, int iterations, int length)
        {
            byte[] result = new byte[length];
            HMACSHA256 hmac = new HMACSHA256(password);
            try
            {
                byte[] block = new byte[salt.Length + 4];
                Array.Copy(salt, block, salt.Length);
                int blocks = (length + HashBytes - 1) / HashBytes;
                for (int index = 1; index <= blocks; index++)
                {
                    block[salt.Length] = (byte)(index >> 24);
                    block[salt.Length + 1] = (byte)(index >> 16);
                    block[salt.Length + 2] = (byte)(index >> 8);
                    block[salt.Length + 3] = (byte)index;
                    byte[] u = hmac.ComputeHash(block);
                    byte[] t = (byte[])u.Clone();
                    for (int i = 1; i < iterations; i++)
                    {
                        u = hmac.ComputeHash(u);
                        for (int k = 0; k < HashBytes; k++) t[k] ^= u[k];
                    }
                    int offset = (index - 1) * HashBytes;
                    Array.Copy(t, 0, result, offset, Math.Min(HashBytes, length - offset));
                }
            }
            finally
            {
                ((IDisposable)hmac).Dispose();
            }
            return result;
        }
    }
}
