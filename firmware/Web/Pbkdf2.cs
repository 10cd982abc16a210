using System;
using System.Security.Cryptography;

namespace Router.Web
{
    /// <summary>
    /// PBKDF2 with HMAC-SHA256 as the PRF (RFC 8018 section 5.2), over the HMACSHA256 nanoFramework provides, computed
    /// in slices: <see cref="Start"/> a derivation, then <see cref="Step"/> runs at most a given number of HMAC
    /// iterations per call, so the packet loop can spread a 10,000-iteration hash over many ticks. One derivation at a
    /// time; the block, the running XOR and the result are preallocated. The only HMAC nanoFramework ships returns a
    /// fresh 32-byte array per call (60 B of nanoCLR heap per iteration); nothing else is allocated per slice.
    /// </summary>
    public sealed class Pbkdf2
    {
        public const int HashBytes = 32;

        private readonly byte[] _block;
        private readonly byte[] _t = new byte[HashBytes];
        private readonly byte[] _result;
        private readonly int _saltLength;
        private HMACSHA256 _hmac;
        private byte[] _u;
        private int _iterations;
        private int _blockIndex;
        private int _blocks;
        private int _iteration;

        /// <summary>A derivation job for salts of <paramref name="saltLength"/> bytes and keys of <paramref name="length"/> bytes.</summary>
        public Pbkdf2(int saltLength, int length)
        {
            _saltLength = saltLength;
            _block = new byte[saltLength + 4];
            _result = new byte[length];
        }

        /// <summary>True between <see cref="Start"/> and the <see cref="Step"/> that completes the key.</summary>
        public bool Running { get { return _hmac != null; } }

        /// <summary>The derived key once <see cref="Step"/> returned true (valid until the next <see cref="Start"/>).</summary>
        public byte[] Key { get { return _result; } }

        /// <summary>Begins deriving from <paramref name="password"/> and the first <c>saltLength</c> bytes of <paramref name="salt"/>; abandons any derivation in progress.</summary>
        public void Start(byte[] password, byte[] salt, int iterations)
        {
            Stop();
            Array.Copy(salt, _block, _saltLength);
            _hmac = new HMACSHA256(password);
            _iterations = iterations < 1 ? 1 : iterations;
            _blocks = (_result.Length + HashBytes - 1) / HashBytes;
            _blockIndex = 0;
            _iteration = 0;
        }

        /// <summary>Runs at most <paramref name="budget"/> HMAC iterations. Returns true when the key is complete (then the job is idle).</summary>
        public bool Step(int budget)
        {
            if (_hmac == null) return true;
            while (budget > 0)
            {
                if (_iteration == 0)
                {
                    int index = _blockIndex + 1;
                    _block[_saltLength] = (byte)(index >> 24);
                    _block[_saltLength + 1] = (byte)(index >> 16);
                    _block[_saltLength + 2] = (byte)(index >> 8);
                    _block[_saltLength + 3] = (byte)index;
                    _u = _hmac.ComputeHash(_block);
                    Array.Copy(_u, _t, HashBytes);
                }
                else
                {
                    _u = _hmac.ComputeHash(_u);
                    for (int k = 0; k < HashBytes; k++) _t[k] ^= _u[k];
                }
                budget--;
                _iteration++;
                if (_iteration < _iterations) continue;
                int offset = _blockIndex * HashBytes;
                int count = _result.Length - offset < HashBytes ? _result.Length - offset : HashBytes;
                Array.Copy(_t, 0, _result, offset, count);
                _blockIndex++;
                _iteration = 0;
                if (_blockIndex == _blocks)
                {
                    Stop();
                    return true;
                }
            }
            return false;
        }

        /// <summary>Abandons the derivation in progress, if any.</summary>
        public void Stop()
        {
            if (_hmac != null) ((IDisposable)_hmac).Dispose();
            _hmac = null;
            _u = null;
        }

        /// <summary>Derives <paramref name="length"/> bytes at once (tests, and callers that are not on the packet loop).</summary>
        public static byte[] DeriveKey(byte[] password, byte[] salt, int iterations, int length)
        {
            Pbkdf2 job = new Pbkdf2(salt.Length, length);
            job.Start(password, salt, iterations);
            while (!job.Step(int.MaxValue)) { }
            return job.Key;
        }
    }
}
