using System;
using System.Security.Cryptography;
using System.Text;
using Router.Tests.Support;
using Router.Web;
using Xunit;

namespace Router.Tests.Web;

public sealed class SecurityPrimitiveTests
{
    [Fact]
    public void Pbkdf2_matches_rfc7914_vector()
    {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256(P="passwd", S="salt", c=1, dkLen=64).
        byte[] key = Pbkdf2.DeriveKey(Encoding.ASCII.GetBytes("passwd"), Encoding.ASCII.GetBytes("salt"), 1, 64);
        Assert.Equal("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
            Convert.ToHexStringLower(key));
    }

    [Theory]
    [InlineData("password", "salt", 1, 32)]
    [InlineData("password", "salt", 4096, 32)]
    [InlineData("correct horse battery staple", "0123456789abcdef", 10000, 32)]
    [InlineData("pässwörd", "s", 3, 80)] // non-ASCII password, output longer than one block
    public void Pbkdf2_matches_dotnet_Rfc2898DeriveBytes(string password, string salt, int iterations, int length)
    {
        byte[] p = Encoding.UTF8.GetBytes(password), s = Encoding.UTF8.GetBytes(salt);
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(p, s, iterations, HashAlgorithmName.SHA256, length);
        Assert.Equal(expected, Pbkdf2.DeriveKey(p, s, iterations, length));
    }

    [Theory]
    [InlineData(1, 64, 1)]
    [InlineData(100, 7, 15)]      // 100 iterations, 7 per slice: 14 partial slices, then the one that completes
    [InlineData(10000, PasswordHasher.IterationsPerTick, 157)]
    public void Pbkdf2_in_slices_never_runs_more_than_its_budget_and_gives_the_same_key(int iterations, int budget, int slices)
    {
        byte[] p = Encoding.UTF8.GetBytes("correct horse battery staple"), s = Encoding.UTF8.GetBytes("0123456789abcdef");
        var job = new Pbkdf2(s.Length, Pbkdf2.HashBytes);
        job.Start(p, s, iterations);
        int steps = 1;
        while (!job.Step(budget)) steps++;
        Assert.Equal(slices, steps);
        Assert.False(job.Running);
        Assert.Equal(Rfc2898DeriveBytes.Pbkdf2(p, s, iterations, HashAlgorithmName.SHA256, Pbkdf2.HashBytes), job.Key);
    }

    [Fact]
    public void Credential_verifies_only_its_password_and_carries_its_iteration_count()
    {
        AdminCredential.Create("hunter2hunter2", new TestRandom(5), 1000, out byte[] salt, out byte[] blob);
        Assert.Equal(AdminCredential.SaltBytes, salt.Length);
        Assert.Equal(new byte[] { 0, 0, 0x03, 0xE8 }, blob[..4]);
        Assert.Equal(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("hunter2hunter2"), salt, 1000, HashAlgorithmName.SHA256, 32), blob[4..]);
        Assert.True(AdminCredential.Verify("hunter2hunter2", salt, blob));
        Assert.False(AdminCredential.Verify("hunter2hunter3", salt, blob));
        Assert.False(AdminCredential.Verify("hunter2hunter2", salt, new byte[0]));
        Assert.Equal("must be at least 8 characters", AdminCredential.CheckPassword("short"));
    }

    [Fact]
    public void Login_throttle_grows_after_free_attempts_and_caps()
    {
        var throttle = new LoginThrottle();
        const uint client = 0xC0A801FE;
        long now = 0;
        throttle.Failed(client, now);
        throttle.Failed(client, now);
        Assert.Equal(0, throttle.WaitMs(client, now));
        throttle.Failed(client, now);
        Assert.Equal(1000, throttle.WaitMs(client, now));
        throttle.Failed(client, now);
        Assert.Equal(2000, throttle.WaitMs(client, now));
        throttle.Failed(client, now);
        Assert.Equal(4000, throttle.WaitMs(client, now));
        for (int i = 0; i < 20; i++) throttle.Failed(client, now);
        Assert.Equal(LoginThrottle.MaxDelayMs, throttle.WaitMs(client, now));
        throttle.Succeeded(client);
        Assert.Equal(0, throttle.WaitMs(client, now));
        Assert.Equal(0, throttle.Failures(client));
    }

    [Fact]
    public void Login_throttle_is_per_client()
    {
        var throttle = new LoginThrottle();
        const uint guesser = 0xC0A80166, admin = 0xC0A80102;
        for (int i = 0; i < 10; i++) throttle.Failed(guesser, 0);
        Assert.True(throttle.WaitMs(guesser, 0) > 0);
        Assert.Equal(0, throttle.WaitMs(admin, 0));
        throttle.Failed(admin, 0); // one typo of the admin's does not touch the guesser's count, nor the reverse
        Assert.Equal(1, throttle.Failures(admin));
        Assert.Equal(10, throttle.Failures(guesser));
        throttle.Succeeded(admin);
        Assert.True(throttle.WaitMs(guesser, 0) > 0);
    }

    [Fact]
    public void A_full_login_throttle_replaces_the_least_throttled_client_and_keeps_the_guesser_blocked()
    {
        var throttle = new LoginThrottle(4);
        const uint guesser = 0xC0A80166;
        for (int i = 0; i < 10; i++) throttle.Failed(guesser, 0);
        long blocked = throttle.WaitMs(guesser, 0);
        for (uint other = 1; other <= 20; other++) throttle.Failed(0xC0A80100 + other, 0); // more clients than entries
        Assert.Equal(blocked, throttle.WaitMs(guesser, 0));
        Assert.Equal(10, throttle.Failures(guesser));
        Assert.Equal(1, throttle.Failures(0xC0A80114)); // the newest is on record
    }

    [Fact]
    public void Event_log_keeps_the_newest_in_a_fixed_ring()
    {
        var log = new EventLog(3);
        for (int i = 1; i <= 5; i++) log.Add(i * 1000, "e" + i);
        var texts = new string[8];
        var times = new long[8];
        Assert.Equal(3, log.CopyNewestFirst(texts, times));
        Assert.Equal(new[] { "e5", "e4", "e3" }, texts[..3]);
        Assert.Equal(new long[] { 5000, 4000, 3000 }, times[..3]);
    }
}
