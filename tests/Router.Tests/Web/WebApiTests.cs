using System;
using Router.Wire;
using System.Threading;
using Router.Hal.Desktop;
using Xunit;

namespace Router.Tests.Web;

/// <summary>The JSON API over raw sockets: first-run setup, sessions, CSRF, back-off, validation that saves nothing.</summary>
public sealed class WebApiTests
{
    private const string Password = "correct horse 1";
    private const string Forward = "{\"name\":\"web\",\"enabled\":true,\"protocol\":\"tcp\",\"externalPort\":\"8080\",\"externalPortEnd\":\"\",\"internalAddress\":\"192.168.1.100\",\"internalPort\":\"80\",\"allowedSource\":\"\"}";

    private static ApiClient SetUp(RunningEmulator emulator)
    {
        var api = new ApiClient(emulator.Port);
        Assert.Equal(200, api.Send("POST", "/api/setup", "{\"password\":\"" + Password + "\"}").Status);
        return api;
    }

    [Fact]
    public void First_run_allows_only_setting_the_password_and_the_session_cookie_is_httponly_strict()
    {
        using var emulator = new RunningEmulator();
        var anonymous = new ApiClient(emulator.Port);
        Assert.Contains("\"setup\":true", anonymous.Send("GET", "/api/session").Body);
        Assert.Equal(401, anonymous.Send("GET", "/api/status").Status);
        Assert.Equal(401, anonymous.Send("POST", "/api/forwards", Forward).Status);
        Assert.Equal(415, anonymous.Send("POST", "/api/setup", "password=" + Password, "application/x-www-form-urlencoded").Status);
        var weak = anonymous.Send("POST", "/api/setup", "{\"password\":\"short\"}");
        Assert.Equal(422, weak.Status);
        Assert.Contains("\"field\":\"password\"", weak.Body);

        var setup = anonymous.Send("POST", "/api/setup", "{\"password\":\"" + Password + "\"}");
        Assert.Equal(200, setup.Status);
        Assert.Matches("^sid=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Strict$", setup.Header("Set-Cookie"));
        Assert.NotNull(anonymous.Csrf);
        Assert.Equal(409, new ApiClient(emulator.Port).Send("POST", "/api/setup", "{\"password\":\"another password\"}").Status);
        Assert.Equal(200, anonymous.Send("GET", "/api/status").Status);
    }

    [Fact]
    public void Logins_at_the_same_time_wait_their_turn_for_the_hasher_and_each_gets_its_own_answer()
    {
        using var emulator = new RunningEmulator();
        SetUp(emulator);
        var right = new[] { new ApiClient(emulator.Port), new ApiClient(emulator.Port), new ApiClient(emulator.Port) };
        var wrong = new ApiClient(emulator.Port);
        var results = new int[4];
        var threads = new Thread[4];
        for (int i = 0; i < 3; i++)
        {
            int n = i;
            threads[n] = new Thread(() => results[n] = right[n].Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}").Status);
        }
        threads[3] = new Thread(() => results[3] = wrong.Send("POST", "/api/login", "{\"password\":\"not the password\"}").Status);
        foreach (var t in threads) t.Start();
        foreach (var t in threads) Assert.True(t.Join(60000), "a login got no answer");
        Assert.Equal(new[] { 200, 200, 200, 401 }, results);
        for (int i = 0; i < 3; i++) Assert.Equal(200, right[i].Send("GET", "/api/status").Status);
    }

    [Fact]
    public void Requests_naming_another_host_are_refused_and_so_are_cross_origin_state_changes()
    {
        using var emulator = new RunningEmulator();
        var api = SetUp(emulator);
        // DNS rebinding: a page of evil.example whose name now resolves to the router still sends Host: evil.example.
        Assert.Equal(421, new ApiClient(emulator.Port) { Host = "evil.example" }.Send("GET", "/").Status);
        Assert.Equal(421, new ApiClient(emulator.Port) { Host = "evil.example:" + emulator.Port }.Send("GET", "/api/session").Status);
        Assert.Equal(421, new ApiClient(emulator.Port) { Host = "192.168.1.1:8080" }.Send("GET", "/api/session").Status);
        Assert.Equal(200, new ApiClient(emulator.Port) { Host = "192.168.1.1" }.Send("GET", "/api/session").Status);
        Assert.Equal(200, new ApiClient(emulator.Port) { Host = "192.168.1.1:80" }.Send("GET", "/api/session").Status);
        Assert.Equal(200, new ApiClient(emulator.Port) { Host = "LOCALHOST:" + emulator.Port }.Send("GET", "/api/session").Status);

        api.Origin = "http://evil.example";
        Assert.Equal(403, api.Send("POST", "/api/forwards", Forward).Status);
        api.Origin = "null";
        Assert.Equal(403, api.Send("POST", "/api/forwards", Forward).Status);
        Assert.Contains("\"forwards\":[]", api.Send("GET", "/api/forwards").Body); // reads carry no Origin check
        api.Origin = "http://127.0.0.1:" + emulator.Port;
        Assert.Equal(200, api.Send("POST", "/api/forwards", Forward).Status);
    }

    [Fact]
    public void After_a_factory_reset_only_the_routers_own_host_may_choose_the_first_password()
    {
        using var emulator = new RunningEmulator();
        var api = SetUp(emulator);
        byte[] oldHash = emulator.OnLoop(() => (byte[])emulator.Host.Firmware.Config.AdminHash.Clone());
        Assert.True(Holds(emulator.OnLoop(() => FlashImage(emulator)), oldHash));
        Assert.Equal(200, api.Send("POST", "/api/factory-reset", "{}").Status);
        // The answer is held until the reset is complete (docs/loop.md): the old credential is gone from flash by then.
        Assert.False(Holds(emulator.OnLoop(() => FlashImage(emulator)), oldHash), "the factory reset answered before the old slot was erased");
        Assert.Contains("\"setup\":true", new ApiClient(emulator.Port).Send("GET", "/api/session").Body);

        // A rebinding page racing the owner to the first-run step, by name or by a cross-origin form post.
        string body = "{\"password\":\"attacker's password\"}";
        Assert.Equal(421, new ApiClient(emulator.Port) { Host = "evil.example" }.Send("POST", "/api/setup", body).Status);
        Assert.Equal(403, new ApiClient(emulator.Port) { Origin = "http://evil.example" }.Send("POST", "/api/setup", body).Status);
        Assert.Contains("\"setup\":true", new ApiClient(emulator.Port).Send("GET", "/api/session").Body);
        Assert.Equal(200, new ApiClient(emulator.Port) { Host = "192.168.1.1" }.Send("POST", "/api/setup", "{\"password\":\"" + Password + "\"}").Status);
    }

    [Fact]
    public void A_factory_reset_abandons_the_password_change_and_login_in_flight_and_the_defaults_stay_in_first_run()
    {
        using var emulator = new RunningEmulator();
        var changer = SetUp(emulator);
        var resetter = new ApiClient(emulator.Port);
        Assert.Equal(200, resetter.Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}").Status);
        // The new password's hash takes seconds (the current one's, 2000 iterations as stored, does not): a reset lands during the change.
        emulator.OnLoop(() => emulator.Host.Web.Context.PasswordIterations = 1_000_000);
        var hasher = emulator.Host.Web.Context.Hasher;

        RawHttp.Response change = null, login = null;
        var changing = new Thread(() => change = changer.Send("POST", "/api/password", "{\"current\":\"" + Password + "\",\"password\":\"a new password 2\"}"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        changing.Start();
        while (!emulator.OnLoop(() => hasher.Owner != null)) Assert.True(watch.ElapsedMilliseconds < 10000, "the password change never started hashing");
        var loggingIn = new Thread(() => login = new ApiClient(emulator.Port).Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}"));
        loggingIn.Start(); // waits its turn behind the change
        Thread.Sleep(50);
        Assert.True(emulator.OnLoop(() => hasher.Owner != null), "the password change finished hashing before the reset was asked");

        Assert.Equal(200, resetter.Send("POST", "/api/factory-reset", "{}").Status);
        Assert.True(changing.Join(30000) && loggingIn.Join(30000), "the change or the login got no answer");
        Assert.True(change.Status == 401, $"the password change in flight across the reset was answered {change.Status} {change.Body} after {watch.ElapsedMilliseconds} ms (401 expected: the reset ended its session)");
        Assert.Contains("factory reset", change.Body);
        Assert.Null(changer.Cookie); // the cookie is cleared
        Assert.Equal(401, login.Status);
        Assert.DoesNotContain("wrong password", login.Body);

        // The defaults stay in first-run state: no password in force or in flash, the hasher free, setup open.
        Assert.Contains("\"setup\":true", new ApiClient(emulator.Port).Send("GET", "/api/session").Body);
        Assert.Empty(emulator.OnLoop(() => emulator.Host.Firmware.Config.AdminHash));
        Assert.Null(emulator.OnLoop(() => hasher.Owner));
        Assert.Equal(200, new ApiClient(emulator.Port).Send("POST", "/api/setup", "{\"password\":\"the first password\"}").Status);
        Assert.Equal(401, changer.Send("GET", "/api/status").Status);
    }

    [Fact]
    public void A_new_lan_subnet_is_answered_from_the_old_address_then_put_in_force()
    {
        using var emulator = new RunningEmulator();
        var api = SetUp(emulator);
        string current = api.Send("GET", "/api/network").Body;
        string moved = current.Replace("\"lanAddress\":\"192.168.1.1\"", "\"lanAddress\":\"10.0.0.1\"");
        Assert.NotEqual(current, moved);
        moved = moved.Substring(0, moved.LastIndexOf('}')) + ",\"moveHosts\":true}";

        var reply = api.Send("PUT", "/api/network", moved); // answered, although the router moves right after
        Assert.Equal(200, reply.Status);
        Assert.Contains("\"lanAddress\":\"10.0.0.1\"", reply.Body);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (emulator.OnLoop(() => emulator.Host.Firmware.Config.LanAddress) != Ipv4Address.Make(10, 0, 0, 1) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.Equal(Ipv4Address.Make(10, 0, 0, 1), emulator.OnLoop(() => emulator.Host.Firmware.Config.LanAddress));
        Assert.False(emulator.OnLoop(() => emulator.Host.Web.Context.Editor.LanChangePending));
        Assert.Equal(200, api.Send("GET", "/api/session").Status); // the bridge's host follows to 10.0.0.254
    }

    [Fact]
    public void No_state_change_without_a_valid_session_and_csrf_token()
    {
        using var emulator = new RunningEmulator();
        var api = SetUp(emulator);
        byte[] flashBefore = FlashImage(emulator);

        string csrf = api.Csrf;
        api.Csrf = null;
        Assert.Equal(403, api.Send("POST", "/api/forwards", Forward).Status);                  // no token
        api.Csrf = new string('0', 32);
        Assert.Equal(403, api.Send("POST", "/api/forwards", Forward).Status);                  // wrong token
        Assert.Equal(403, api.Send("PUT", "/api/ftp", "{\"enabled\":false}").Status);
        Assert.Equal(403, api.Send("POST", "/api/factory-reset", "{}").Status);
        var stranger = new ApiClient(emulator.Port) { Csrf = csrf };                           // token without the cookie
        Assert.Equal(401, stranger.Send("POST", "/api/forwards", Forward).Status);
        Assert.Equal(401, stranger.Send("POST", "/api/reboot", "{}").Status);
        Assert.Contains("\"forwards\":[]", WithToken(api, csrf).Send("GET", "/api/forwards").Body);
        Assert.False(emulator.Host.RebootRequested);
        Assert.Equal(flashBefore, FlashImage(emulator));

        Assert.Equal(200, api.Send("POST", "/api/forwards", Forward).Status);                  // the real token
        Assert.Contains("\"name\":\"web\"", api.Send("GET", "/api/forwards").Body);
        Assert.Equal(200, api.Send("POST", "/api/logout", "{}").Status);
        Assert.Null(api.Cookie);
        Assert.Equal(401, api.Send("GET", "/api/forwards").Status);
    }

    private static ApiClient WithToken(ApiClient api, string csrf)
    {
        api.Csrf = csrf;
        return api;
    }

    [Fact]
    public void Wrong_method_unknown_path_and_wrong_media_type_get_precise_statuses()
    {
        using var emulator = new RunningEmulator();
        var api = SetUp(emulator);
        var wrongMethod = api.Send("DELETE", "/api/status");
        Assert.Equal(405, wrongMethod.Status);
        Assert.Equal("GET, HEAD", wrongMethod.Header("Allow"));
        Assert.Equal(405, api.Send("POST", "/app.js", "{}").Status);
        Assert.Equal(404, api.Send("GET", "/api/nothing").Status);
        Assert.Equal(404, api.Send("GET", "/nothing").Status);
        Assert.Equal(415, api.Send("POST", "/api/forwards", Forward, "text/plain").Status);
        Assert.Equal(400, api.Send("POST", "/api/forwards", "{\"name\":").Status);
        Assert.Equal(404, api.Send("PUT", "/api/forwards/3", Forward).Status);
        var page = api.Send("GET", "/");
        Assert.Equal(200, page.Status);
        Assert.Equal("gzip", page.Header("Content-Encoding")); // the page itself: WebAssetTests
        Assert.StartsWith("default-src 'self'", page.Header("Content-Security-Policy"));
    }

    [Fact]
    public void Bad_input_names_its_field_and_saves_nothing()
    {
        using var emulator = new RunningEmulator();
        var api = SetUp(emulator);
        byte[] flashBefore = FlashImage(emulator);

        var notNumber = api.Send("POST", "/api/forwards", Forward.Replace("\"8080\"", "\"80x\""));
        Assert.Equal(422, notNumber.Status);
        Assert.Equal("{\"error\":\"must be a whole number\",\"field\":\"externalPort\"}", notNumber.Body);
        var outsideLan = api.Send("POST", "/api/forwards", Forward.Replace("192.168.1.100", "10.0.0.5"));
        Assert.Equal(422, outsideLan.Status);
        Assert.Contains("\"field\":\"forwards[0].internalAddress\"", outsideLan.Body);
        var badFtp = api.Send("PUT", "/api/ftp", "{\"enabled\":true,\"controlPorts\":\"21, 70000\"}");
        Assert.Equal(422, badFtp.Status);
        Assert.Equal("{\"error\":\"70000 is not a port (1 to 65535)\",\"field\":\"controlPorts\"}", badFtp.Body);

        Assert.Contains("\"forwards\":[]", api.Send("GET", "/api/forwards").Body);
        Assert.Contains("\"controlPorts\":\"21\"", api.Send("GET", "/api/ftp").Body);
        Assert.Equal(flashBefore, FlashImage(emulator));
    }

    [Fact]
    public void Failed_logins_back_off_and_refuse_even_the_right_password_meanwhile()
    {
        using var emulator = new RunningEmulator();
        SetUp(emulator);
        var api = new ApiClient(emulator.Port);
        for (int i = 0; i < 3; i++) Assert.Equal(401, api.Send("POST", "/api/login", "{\"password\":\"wrong password\"}").Status);
        var refused = api.Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}");
        Assert.Equal(429, refused.Status);
        Assert.Equal("1", refused.Header("Retry-After"));
        Thread.Sleep(1100);
        Assert.Equal(200, api.Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}").Status);
    }

    [Fact]
    public void A_guessing_host_cannot_lock_the_admin_out_from_another_host()
    {
        using var emulator = new RunningEmulator();
        SetUp(emulator);
        var guesser = new ApiClient(emulator.Port) { From = System.Net.IPAddress.Parse("127.0.0.2") }; // LAN host .253
        for (int i = 0; i < 8; i++) guesser.Send("POST", "/api/login", "{\"password\":\"guess " + i + "\"}");
        Assert.Equal(429, guesser.Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}").Status);

        var admin = new ApiClient(emulator.Port); // LAN host .254
        Assert.Equal(200, admin.Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}").Status);
        Assert.Equal(429, guesser.Send("POST", "/api/login", "{\"password\":\"" + Password + "\"}").Status); // its back-off stays
    }

    [Fact]
    public void Status_reports_addresses_conntrack_counters_ftp_helper_and_events()
    {
        using var emulator = new RunningEmulator();
        var api = SetUp(emulator);
        System.Threading.Thread.Sleep(700); // traffic flows and the packet loop publishes a fresh snapshot
        string body = api.Send("GET", "/api/status").Body;
        Assert.Contains("\"lan\":{\"address\":\"192.168.1.1\",\"prefixLength\":24}", body);
        Assert.Contains("\"wan\":{\"address\":\"203.0.113.2\",\"prefixLength\":24,\"gateway\":\"203.0.113.1\"", body);
        Assert.Matches("\"conntrack\":\\{\"used\":[1-9][0-9]*,\"capacity\":16384\\}", body);
        Assert.Matches("\"frames_received\":[1-9]", body);
        Assert.Contains("{\"name\":\"Control ports\",\"value\":\"21\"}", body);
        Assert.Contains("{\"name\":\"expectations_created\",\"value\":\"0\"}", body);
        // The board's FTP session limit and the sessions refused beyond it are always shown (issue 16 part 5).
        Assert.Contains("{\"name\":\"Sessions\",\"value\":\"0 of 64 in use\"}", body);
        Assert.Contains("{\"name\":\"refused_no_slot\",\"value\":\"0\"}", body);
        Assert.Contains("\"text\":\"admin password set\"", body);
    }

    [Fact]
    public void A_forward_pool_round_trips_through_the_api_and_bad_members_are_named()
    {
        using var emulator = new RunningEmulator();
        var api = SetUp(emulator);
        const string Pool = "{\"name\":\"ftp\",\"enabled\":true,\"protocol\":\"tcp\",\"externalPort\":\"21\",\"internalAddress\":\"192.168.1.2\",\"pool\":\"{0}\",\"internalPort\":\"21\"}";
        var tooMany = api.Send("POST", "/api/forwards", Pool.Replace("{0}", "192.168.1.3, 192.168.1.4, 192.168.1.5, 192.168.1.6"));
        Assert.Equal(422, tooMany.Status);
        Assert.Contains("\"field\":\"pool\"", tooMany.Body);
        Assert.Contains("at most 3 more hosts (4 in all)", tooMany.Body);
        var notAddress = api.Send("POST", "/api/forwards", Pool.Replace("{0}", "192.168.1.3; 192.168.1.4"));
        Assert.Equal(422, notAddress.Status);
        Assert.Contains("must be IPv4 addresses separated by commas", notAddress.Body);
        var twice = api.Send("POST", "/api/forwards", Pool.Replace("{0}", "192.168.1.3, 192.168.1.2"));
        Assert.Equal(422, twice.Status);
        Assert.Contains("\"field\":\"forwards[0].pool\"", twice.Body);
        Assert.Contains("192.168.1.2 is in the pool twice", twice.Body);

        Assert.Equal(200, api.Send("POST", "/api/forwards", Pool.Replace("{0}", "192.168.1.3,192.168.1.4")).Status);
        Assert.Contains("\"internalAddress\":\"192.168.1.2\",\"pool\":\"192.168.1.3, 192.168.1.4\"", api.Send("GET", "/api/forwards").Body);
        Assert.Equal(3, emulator.OnLoop(() => emulator.Host.Firmware.Forwards[0].PoolSize));
        Assert.Equal(200, api.Send("PUT", "/api/forwards/0", "{\"pool\":\"\"}").Status);
        Assert.Contains("\"pool\":\"\"", api.Send("GET", "/api/forwards").Body);
        Assert.Equal(1, emulator.OnLoop(() => emulator.Host.Firmware.Forwards[0].PoolSize));
    }

    private const string Dhcp = "{\"dhcp\":{\"enabled\":true,\"poolStart\":\"192.168.1.50\",\"poolEnd\":\"192.168.1.80\",\"leaseSeconds\":\"3600\",\"dns1\":\"9.9.9.9\",\"dns2\":\"\",\"reservations\":[{\"mac\":\"02:00:00:00:00:0A\",\"address\":\"192.168.1.10\"},{\"mac\":\"02-00-00-00-00-0b\",\"address\":\"192.168.1.11\"}]}}";

    [Fact]
    public void Dhcp_server_settings_round_trip_through_the_network_api_and_are_applied()
    {
        using var emulator = new RunningEmulator();
        var api = SetUp(emulator);
        Assert.Contains("\"dhcp\":{\"enabled\":true,\"poolStart\":\"192.168.1.100\",\"poolEnd\":\"192.168.1.199\",\"leaseSeconds\":43200,\"dns1\":\"\",\"dns2\":\"\",\"reservationCapacity\":128,\"reservations\":[]}",
            api.Send("GET", "/api/network").Body);

        var put = api.Send("PUT", "/api/network", Dhcp);
        Assert.Equal(200, put.Status);
        const string Stored = "\"dhcp\":{\"enabled\":true,\"poolStart\":\"192.168.1.50\",\"poolEnd\":\"192.168.1.80\",\"leaseSeconds\":3600,\"dns1\":\"9.9.9.9\",\"dns2\":\"\",\"reservationCapacity\":128,"
            + "\"reservations\":[{\"mac\":\"02:00:00:00:00:0a\",\"address\":\"192.168.1.10\"},{\"mac\":\"02:00:00:00:00:0b\",\"address\":\"192.168.1.11\"}]}";
        Assert.Contains(Stored, put.Body);
        Assert.Contains(Stored, api.Send("GET", "/api/network").Body);
        Assert.Contains("\"lanAddress\":\"192.168.1.1\"", put.Body);                          // the rest of the page is untouched

        var inForce = emulator.OnLoop(() => emulator.Host.Firmware.Config.Dhcp);
        Assert.Equal(Router.Wire.Ipv4Address.Make(192, 168, 1, 50), inForce.PoolStart);
        Assert.Equal(3600u, inForce.LeaseSeconds);
        Assert.Equal(2, inForce.Reservations.Count);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 0x0b }, inForce.Reservations.MacBuffer[6..12]);
        Assert.Equal(Router.Wire.Ipv4Address.Make(192, 168, 1, 11), inForce.Reservations.Address(1));

        Assert.Equal(200, api.Send("PUT", "/api/network", "{\"dhcp\":{\"reservations\":[]}}").Status);   // an empty list clears them
        Assert.Contains("\"reservations\":[]", api.Send("GET", "/api/network").Body);
    }

    [Fact]
    public void Bad_dhcp_pool_or_reservation_names_its_field_and_saves_nothing()
    {
        using var emulator = new RunningEmulator();
        var api = SetUp(emulator);
        byte[] flashBefore = FlashImage(emulator);
        string before = api.Send("GET", "/api/network").Body;

        var outsideLan = api.Send("PUT", "/api/network", Dhcp.Replace("192.168.1.50", "10.0.0.50"));
        Assert.Equal(422, outsideLan.Status);
        Assert.Equal("{\"error\":\"must be a host address of the LAN prefix\",\"field\":\"dhcp.poolStart\"}", outsideLan.Body);
        var notAddress = api.Send("PUT", "/api/network", Dhcp.Replace("192.168.1.50", "192.168.1.x"));
        Assert.Equal(422, notAddress.Status);
        Assert.Contains("\"field\":\"dhcp.poolStart\"", notAddress.Body);
        var duplicate = api.Send("PUT", "/api/network", Dhcp.Replace("02-00-00-00-00-0b", "02:00:00:00:00:0a"));
        Assert.Equal(422, duplicate.Status);
        Assert.Equal("{\"error\":\"is already reserved in an earlier entry\",\"field\":\"dhcp.reservations[1].mac\"}", duplicate.Body);
        var badMac = api.Send("PUT", "/api/network", Dhcp.Replace("02-00-00-00-00-0b", "02:00:00:00:0b"));
        Assert.Equal(422, badMac.Status);
        Assert.Equal("{\"error\":\"must be a MAC address like aa:bb:cc:dd:ee:ff\",\"field\":\"dhcp.reservations[1].mac\"}", badMac.Body);

        Assert.Equal(before, api.Send("GET", "/api/network").Body);
        Assert.Equal(flashBefore, FlashImage(emulator));
    }

    /// <summary>The flash sectors holding the configuration's two slots (the DHCP lease store follows them).</summary>
    private static bool Holds(byte[] image, byte[] bytes)
    {
        for (int i = 0; i + bytes.Length <= image.Length; i++)
        {
            if (image.AsSpan(i, bytes.Length).SequenceEqual(bytes)) return true;
        }
        return false;
    }

    private static byte[] FlashImage(RunningEmulator emulator)
    {
        var flash = emulator.Host.Flash;
        var image = new byte[flash.SectorSize * emulator.Host.Profile.ConfigSectors];
        flash.Read(0, image, 0, image.Length);
        return image;
    }
}
