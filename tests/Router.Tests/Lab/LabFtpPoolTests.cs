using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Router.Helpers.Ftp;
using Router.Rules;
using Router.Tests.Support;
using Router.Wire;
using Xunit;

namespace Router.Tests.Lab;

/// <summary>
/// Issue 16 parts 3 and 4 with real servers and clients: two vsftpd servers in the LAN behind one pool forward, fetched
/// by several WAN clients (curl and lftp, passive mode); and an FTPS vsftpd behind the forwards the "FTPS server" preset
/// makes, set up and reported through the web API.
/// </summary>
[Collection(LabCollection.Name)]
public class LabFtpPoolTests
{
    private const string SecondLanHost = "192.168.1.3";
    private const string Url = "http://" + LabFixture.RouterLan + "/";
    private const string Password = "lab admin 42";
    private readonly LabFixture _lab;

    public LabFtpPoolTests(LabFixture lab) => _lab = lab;

    /// <summary>Adds an address to a namespace device for the test's length (replace: another test may hold it too).</summary>
    private sealed class ExtraAddress : IDisposable
    {
        private readonly LabFixture _lab;
        private readonly string _ns, _address, _device;

        public ExtraAddress(LabFixture lab, string ns, string address, string device)
        {
            (_lab, _ns, _address, _device) = (lab, ns, address, device);
            var r = lab.Run(ns, "ip", "addr", "replace", address, "dev", device);
            Assert.True(r.ExitCode == 0, r.Output);
        }

        public void Dispose() => _lab.Run(_ns, "ip", "addr", "del", _address, "dev", _device);
    }

    private static PortForward PoolRule(PortForward f)
    {
        f.Name = "ftp pool";
        f.Protocol = RuleProtocol.Tcp;
        f.ExternalPort = f.ExternalPortEnd = f.InternalPort = 21;
        f.InternalAddress = Ipv4Address.Make(192, 168, 1, 2);
        f.SetPoolMember(1, Ipv4Address.Make(192, 168, 1, 3));
        return f;
    }

    [LabFact]
    public void WanClientsOfAPoolOfTwoServersEachGetTheirFileFromTheMemberTheirControlConnectionReached()
    {
        // Three clients per member, chosen by the forward's own source hash; each on an address of the WAN namespace.
        PortForward hash = PoolRule(new PortForward());
        var clients = new List<string>();
        for (int i = 21; clients.Count < 6; i++)
        {
            uint address = Ipv4Address.Make(198, 51, 100, i);
            if (clients.Count(c => hash.MemberFor(Frames.Ip(c)) == hash.MemberFor(address)) < 3) clients.Add(Ipv4Address.Format(address));
        }
        var extras = new List<IDisposable> { new ExtraAddress(_lab, _lab.LanNamespace, SecondLanHost + "/24", LabFixture.TapName) };
        try
        {
            foreach (string c in clients) extras.Add(new ExtraAddress(_lab, _lab.WanNamespace, c + "/32", "lo"));
            using var router = LabRouter.Start(_lab, config => PoolRule(config.AddForward()));
            using var first = Vsftpd.Start(_lab, _lab.LanNamespace, LabFixture.LanHost, fileBytes: 1 << 20);
            using var second = Vsftpd.Start(_lab, _lab.LanNamespace, SecondLanHost, fileBytes: 1 << 20);
            Assert.NotEqual(first.Sha256, second.Sha256);
            var servedBy = new Dictionary<uint, Vsftpd> { [Frames.Ip(LabFixture.LanHost)] = first, [Frames.Ip(SecondLanHost)] = second };

            // All at once: curl (PASV) from four clients, lftp (passive) from the other two.
            var runs = clients.Select((client, i) => Task.Run(() =>
            {
                string output = Path.Combine(_lab.Directory, $"pool-{client}.bin");
                CommandResult result = i < 4
                    ? _lab.Run(_lab.WanNamespace, "curl", "-sS", "-v", "--max-time", "25", "--connect-timeout", "5", "--disable-epsv",
                        "--interface", client, "-o", output, $"ftp://{LabFixture.RouterWan}/{Vsftpd.FileName}")
                    : _lab.Run(_lab.WanNamespace, "lftp", "-e",
                        $"set net:socket-bind-ipv4 {client}; set ftp:passive-mode on; set net:max-retries 1; set net:timeout 10; " +
                        $"get {Vsftpd.FileName} -o {output}; quit", $"ftp://anonymous:x@{LabFixture.RouterWan}");
                return (Client: client, Tool: i < 4 ? "curl" : "lftp", Result: result, Output: output);
            })).ToArray();
            Task.WaitAll(runs, TimeSpan.FromSeconds(60));
            router.Stop();

            foreach (var run in runs.Select(r => r.Result))
            {
                Assert.True(run.Result.ExitCode == 0, $"{run.Tool} from {run.Client}: {run.Result.Output}");
                Vsftpd member = servedBy[hash.MemberFor(Frames.Ip(run.Client))];
                // Each server holds its own random file: the bytes say which member served the data connection.
                Assert.True(member.Sha256 == Vsftpd.Sha256Of(run.Output), $"{run.Tool} from {run.Client} did not get {member.Address}'s file");
            }
            var ftp = router.Firmware.Ftp.Counters;
            Assert.True(ftp[FtpCounters.ExpectationsUsed] >= clients.Count, $"expectations used: {ftp[FtpCounters.ExpectationsUsed]}");
            Assert.Equal(0, ftp.RefusedTotal);
        }
        finally
        {
            foreach (var e in extras) e.Dispose();
        }
    }

    [LabFact]
    public void AnFtpsServerBehindTheFtpsPresetsForwardsServesCurlAndTheStatusApiSaysWhatToSet()
    {
        string certificate = Path.Combine(_lab.Directory, "ftps-cert.pem"), key = Path.Combine(_lab.Directory, "ftps-key.pem");
        var openssl = _lab.Run(_lab.LanNamespace, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=lab-ftps", "-keyout", key, "-out", certificate);
        Assert.True(openssl.ExitCode == 0, openssl.Output);

        using var router = LabRouter.StartWithWeb(_lab);
        using var server = Vsftpd.Start(_lab, _lab.LanNamespace, LabFixture.LanHost, 21, 1 << 20, 0,
            "ssl_enable=YES", "allow_anon_ssl=YES", "force_anon_logins_ssl=YES", "force_anon_data_ssl=YES", "require_ssl_reuse=NO",
            $"rsa_cert_file={certificate}", $"rsa_private_key_file={key}",
            // What the preset tells the admin to set: the WAN address and the forwarded passive range.
            $"pasv_address={LabFixture.RouterWan}", "pasv_min_port=50000", "pasv_max_port=50009");

        // The two forwards the FTPS preset saves, through the web API as the browser sends them.
        string jar = Path.Combine(_lab.Directory, "cookies-" + Guid.NewGuid().ToString("N"));
        var setup = _lab.Run(_lab.LanNamespace, "curl", "-sS", "-c", jar, "-H", "Content-Type: application/json",
            "--data", "{\"password\":\"" + Password + "\"}", Url + "api/setup");
        Match csrf = Regex.Match(setup.Stdout, "\"csrf\":\"([0-9a-f]+)\"");
        Assert.True(csrf.Success, setup.Output);
        foreach (string forward in new[]
        {
            "{\"name\":\"FTPS server passive\",\"enabled\":true,\"protocol\":\"tcp\",\"externalPort\":\"50000\",\"externalPortEnd\":\"50009\",\"internalAddress\":\"192.168.1.2\",\"pool\":\"\",\"internalPort\":\"50000\",\"allowedSource\":\"\"}",
            "{\"name\":\"FTPS server\",\"enabled\":true,\"protocol\":\"tcp\",\"externalPort\":\"21\",\"externalPortEnd\":\"\",\"internalAddress\":\"192.168.1.2\",\"pool\":\"\",\"internalPort\":\"21\",\"allowedSource\":\"\"}",
        })
        {
            var add = _lab.Run(_lab.LanNamespace, "curl", "-sS", "-b", jar, "-H", "Content-Type: application/json", "-H", "X-CSRF-Token: " + csrf.Groups[1].Value,
                "-w", "\n%{http_code}", "--data", forward, Url + "api/forwards");
            Assert.True(add.Stdout.TrimEnd().EndsWith("\n200"), add.Output);
        }

        string output = Path.Combine(_lab.Directory, "ftps-download.bin");
        var curl = _lab.Run(_lab.WanNamespace, "curl", "-sS", "-v", "--max-time", "25", "--connect-timeout", "5", "--ssl-reqd", "-k",
            "--disable-epsv", "-o", output, $"ftp://{LabFixture.RouterWan}/{Vsftpd.FileName}");
        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Contains("> AUTH", curl.Stderr);
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));

        var status = _lab.Run(_lab.LanNamespace, "curl", "-sS", "-b", jar, Url + "api/status");
        router.Stop();
        Assert.Contains("FTPS server at 192.168.1.2: forward its passive port range and set its external address", status.Stdout);
        var ftp = router.Firmware.Ftp.Counters;
        Assert.Equal(1, ftp[FtpCounters.FtpsServers]);
        Assert.Equal(1, ftp[FtpCounters.TlsStopped]);
        Assert.Equal(0, ftp[FtpCounters.Rewrites]); // the 227 was encrypted: the forwarded range and pasv_address did the work
    }
}
