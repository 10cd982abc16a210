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

        /// <summary>Hashes at once (tests, tools); the web UI derives the key a slice per loop tick with <see cref="PasswordHasher"/>.</summary>
        public static void Create(string password, IRandomSource random, int iterations, out byte[] salt, out byte[] hashBlob)
        {
            salt = NewSalt(random);
            hashBlob = Blob(iterations, Pbkdf2.DeriveKey(Encoding.UTF8.GetBytes(password), salt, iterations, Pbkdf2.HashBytes));
        }

        public static byte[] NewSalt(IRandomSource random)
        {
            byte[] salt = new byte[SaltBytes];
            random.NextBytes(salt, 0, SaltBytes);
            return salt;
        }

        /// <summary>The stored form: the iteration count, big-endian, then the derived key.</summary>
        public static byte[] Blob(int iterations, byte[] key)
        {
            byte[] hashBlob = new byte[HashBlobBytes];
            hashBlob[0] = (byte)(iterations >> 24);
            hashBlob[1] = (byte)(iterations >> 16);
            hashBlob[2] = (byte)(iterations >> 8);
            hashBlob[3] = (byte)iterations;
            for (int i = 0; i < Pbkdf2.HashBytes; i++) hashBlob[4 + i] = key[i];
            return hashBlob;
        }

        /// <summary>True when a password can be checked against this salt and hash (else every attempt fails).</summary>
        public static bool CanVerify(string password, byte[] salt, byte[] hashBlob)
        {
            return IsSet(hashBlob) && salt != null && salt.Length == SaltBytes && password != null && password.Length <= MaxPasswordLength && Iterations(hashBlob) > 0;
        }

        public static int Iterations(byte[] hashBlob)
        {
            return (hashBlob[0] << 24) | (hashBlob[1] << 16) | (hashBlob[2] << 8) | hashBlob[3];
        }

        /// <summary>Compares a derived key with the stored one in constant time.</summary>
        public static bool Matches(byte[] key, byte[] hashBlob)
        {
            int difference = 0;
            for (int i = 0; i < Pbkdf2.HashBytes; i++) difference |= key[i] ^ hashBlob[4 + i];
            return difference == 0;
        }

        public static bool IsSet(byte[] hashBlob)
        {
            return hashBlob != null && hashBlob.Length == HashBlobBytes;
        }

        /// <summary>Recomputes the hash at once and compares in constant time (tests, tools).</summary>
        public static bool Verify(string password, byte[] salt, byte[] hashBlob)
        {
            if (!CanVerify(password, salt, hashBlob)) return false;
            return Matches(Pbkdf2.DeriveKey(Encoding.UTF8.GetBytes(password), salt, Iterations(hashBlob), Pbkdf2.HashBytes), hashBlob);
        }
    }
}
