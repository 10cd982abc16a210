using System.Text;
using Router.Hal;

namespace Router.Web
{
    /// <summary>
    /// The admin password as stored in the config: a random 16-byte salt, and a hash blob of the PBKDF2-HMAC-SHA256
    /// iteration count (4 bytes, big-endian) followed by the 32-byte derived key. The count travels with the hash so it
    /// can be raised later without invalidating stored passwords.
    /// </summary>
    public static class AdminCredential
    {
        public const int SaltBytes = 16;
        public const int HashBlobBytes = 4 + Pbkdf2.HashBytes;
        public const int MinPasswordLength = 8;
        public const int MaxPasswordLength = 64;
        /// <summary>About half a second on an ESP32 (HMAC in native code); a few milliseconds on a desktop.</summary>
        public const int DefaultIterations = 10000;

        /// <summary>Null if acceptable, else a message for the password field.</summary>
        public static string CheckPassword(string password)
        {
            if (password == null || password.Length < MinPasswordLength) return "must be at least 8 characters";
            if (password.Length > MaxPasswordLength) return "must be at most 64 characters";
            return null;
        }

        public static void Create(string password, IRandomSource random, int iterations, out byte[] salt, out byte[] hashBlob)
        {
            salt = new byte[SaltBytes];
            random.NextBytes(salt, 0, SaltBytes);
            byte[] key = Pbkdf2.DeriveKey(Encoding.UTF8.GetBytes(password), salt, iterations, Pbkdf2.HashBytes);
            hashBlob = new byte[HashBlobBytes];
            hashBlob[0] = (byte)(iterations >> 24);
            hashBlob[1] = (byte)(iterations >> 16);
            hashBlob[2] = (byte)(iterations >> 8);
            hashBlob[3] = (byte)iterations;
            for (int i = 0; i < Pbkdf2.HashBytes; i++) hashBlob[4 + i] = key[i];
        }

        public static bool IsSet(byte[] hashBlob)
        {
            return hashBlob != null && hashBlob.Length == HashBlobBytes;
        }

        /// <summary>Recomputes the hash and compares in constant time.</summary>
        public static bool Verify(string password, byte[] salt, byte[] hashBlob)
        {
            if (!IsSet(hashBlob) || password == null || password.Length > MaxPasswordLength) return false;
            int iterations = (hashBlob[0] << 24) | (hashBlob[1] << 16) | (hashBlob[2] << 8) | hashBlob[3];
            if (iterations <= 0) return false;
            byte[] key = Pbkdf2.DeriveKey(Encoding.UTF8.GetBytes(password), salt, iterations, Pbkdf2.HashBytes);
            int difference = 0;
            for (int i = 0; i < Pbkdf2.HashBytes; i++) difference |= key[i] ^ hashBlob[4 + i];
            return difference == 0;
        }
    }
}
