using System.Text;

namespace Router.Web
{
    /// <summary>
    /// The web UI's one PBKDF2 derivation at a time (a login, a password set or change), run by the packet loop
    /// <see cref="IterationsPerTick"/> HMAC iterations per tick so a 10,000-iteration hash never stalls the frames
    /// behind it. The request that started it owns it until it takes the key or goes away; others wait their turn.
    /// </summary>
    public sealed class PasswordHasher : ILoopJob
    {
        /// <summary>HMAC-SHA256 iterations per loop tick: about 3 ms on an ESP32 (native HMAC, ~50 µs each), well under 1 ms on a desktop.</summary>
        public const int IterationsPerTick = 64;

        private readonly Pbkdf2 _pbkdf2 = new Pbkdf2(AdminCredential.SaltBytes, Pbkdf2.HashBytes);
        private HttpResponse _owner;
        private bool _done;

        /// <summary>The response whose request started the derivation in progress or finished and not yet taken, or null.</summary>
        public HttpResponse Owner { get { return _owner; } }

        /// <summary>True when the derivation <paramref name="owner"/> started is complete (<see cref="Key"/> holds it).</summary>
        public bool DoneFor(HttpResponse owner) { return _owner == owner && _done; }

        public byte[] Key { get { return _pbkdf2.Key; } }

        /// <summary>Starts deriving for <paramref name="owner"/>; false (nothing started) while another request holds the hasher.</summary>
        public bool TryStart(HttpResponse owner, string password, byte[] salt, int iterations)
        {
            if (_owner != null && _owner != owner) return false;
            _owner = owner;
            _done = false;
            _pbkdf2.Start(Encoding.UTF8.GetBytes(password), salt, iterations);
            return true;
        }

        /// <summary>The owner took the key or went away: the next request may start.</summary>
        public void Release(HttpResponse owner)
        {
            if (_owner != owner) return;
            _pbkdf2.Stop();
            _owner = null;
            _done = false;
        }

        /// <summary>
        /// A factory reset: the derivation in progress (or done and not yet taken) was started against the credential
        /// the reset just erased, so it is dropped. Its owner finds itself no longer the owner and answers that its
        /// request was ended (<see cref="AuthApi"/>).
        /// </summary>
        public void Cancel()
        {
            if (_owner != null) Release(_owner);
        }

        public bool Pending { get { return _owner != null && !_done; } }

        public void Step(long now)
        {
            if (_owner == null || _done) return;
            _done = _pbkdf2.Step(IterationsPerTick);
        }
    }
}
