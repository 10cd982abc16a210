using System.Collections.Generic;
using System.IO;
using Router.Config;
using Router.Helpers.Ftp;
using Router.Rules;
using Router.Wire;
using Router.Emulator;
using Xunit;

namespace Router.Tests.Lab;

/// <summary>Real FTP clients (curl, lftp) and real servers (vsftpd, pure-ftpd) on either side of the router; every case runs per server.</summary>
[Collection(LabCollection.Name)]
public class LabFtpTests
{
    private const int FileBytes = 6 << 20;
    private readonly LabFixture _lab;

    public LabFtpTests(LabFixture lab) => _lab = lab;

    /// <summary>What drives the router's ports; <see cref="LabFtpW5500Tests"/> runs every test here again through W5500s.</summary>
    protected virtual NicKind Nic => NicKind.Direct;

    public static readonly FtpServerKind[] Servers = { FtpServerKind.Vsftpd, FtpServerKind.PureFtpd };

    /// <summary>curl's options for each way of opening the data connection; the command name proves which was used.</summary>
    private static readonly (string Command, string[] Options)[] CurlOptions =
    {
        ("PASV", new[] { "--disable-epsv" }),
        ("EPSV", new string[0]),
        ("PORT", new[] { "-P", "-", "--disable-eprt" }),
        ("EPRT", new[] { "-P", "-" }),
    };

    /// <summary>Every curl mode against every server.</summary>
    public static TheoryData<FtpServerKind, string, string[]> CurlModes
    {
        get
        {
            var data = new TheoryData<FtpServerKind, string, string[]>();
            foreach (var server in Servers)
            {
                foreach (var (command, options) in CurlOptions) data.Add(server, command, options);
            }
            return data;
        }
    }

    /// <summary>Every server, for the cases that do not vary the client.</summary>
    public static TheoryData<FtpServerKind> EveryServer
    {
        get
        {
            var data = new TheoryData<FtpServerKind>();
            foreach (var server in Servers) data.Add(server);
            return data;
        }
    }

    /// <summary>lftp against every server, both directions, passive mode off and on.</summary>
    public static TheoryData<FtpServerKind, bool, bool> LftpModes
    {
        get
        {
            var data = new TheoryData<FtpServerKind, bool, bool>();
            foreach (var server in Servers)
            {
                foreach (bool lanClient in new[] { true, false })
                {
                    foreach (bool passive in new[] { false, true }) data.Add(server, lanClient, passive);
                }
            }
            return data;
        }
    }

    [LabTheory]
    [MemberData(nameof(CurlModes))]
    public void LanClientDownloadsFromAnInternetServer(FtpServerKind kind, string command, string[] mode)
    {
        using var router = LabRouter.Start(_lab, Nic);
        using var server = LabFtpServer.Start(kind, _lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: FileBytes);
        string output = Download($"{kind}-{command}");

        var curl = Curl(_lab.LanNamespace, server.Url, output, mode);
        router.Stop();

        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Contains("> " + command, curl.Stderr);
        Assert.DoesNotContain("disabling", curl.Stderr); // no fallback to another command
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));
        // Active mode needs the helper: the client's PORT/EPRT named 192.168.1.2, the server saw the WAN address.
        bool active = command is "PORT" or "EPRT";
        Assert.Equal(active ? 1 : 0, router.Firmware.Ftp.Counters[FtpCounters.Rewrites]);
        Assert.Equal(active ? 1 : 0, router.Firmware.Ftp.Counters[FtpCounters.ExpectationsUsed]);
        Assert.Equal(0, router.Firmware.Ftp.Counters.RefusedTotal);
    }

    [LabTheory]
    [MemberData(nameof(CurlModes))]
    public void InternetClientDownloadsFromALanServerBehindAForwardOfPort21Only(FtpServerKind kind, string command, string[] mode)
    {
        using var router = LabRouter.Start(_lab, Nic, config => ForwardFtpControlPort(config, 21));
        using var server = LabFtpServer.Start(kind, _lab, _lab.LanNamespace, LabFixture.LanHost, fileBytes: FileBytes);
        string output = Download($"wan-{kind}-{command}");

        var curl = Curl(_lab.WanNamespace, server.UrlVia(LabFixture.RouterWan, 21), output, mode);
        router.Stop();

        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Contains("> " + command, curl.Stderr);
        Assert.DoesNotContain("disabling", curl.Stderr);
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));
        var ftp = router.Firmware.Ftp.Counters;
        if (command == "PASV")
        {
            // The server's 227 named 192.168.1.2; the client was told the WAN address and its data connection was expected.
            Assert.Matches(@"< 227 Entering Passive Mode \(203,0,113,2,\d+,\d+\)", curl.Stderr);
            Assert.Equal(1, ftp[FtpCounters.Rewrites]);
        }
        if (command == "EPSV") Assert.Equal(0, ftp[FtpCounters.Rewrites]); // 229 names only a port: expected, not rewritten
        bool passive = command is "PASV" or "EPSV";
        Assert.Equal(passive ? 1 : 0, ftp[FtpCounters.ExpectationsUsed]); // active: the server's data connection is outbound
        Assert.Equal(0, ftp.RefusedTotal);
    }

    /// <summary>
    /// lftp as the client, from the LAN to an internet server and from the internet to a LAN server behind a forward of
    /// port 21, with passive mode off (PORT) and on (PASV). lftp's own repair of a private 227 address
    /// (<c>ftp:fix-pasv-address</c>) is switched off, so only the router's rewrite can make passive mode work from outside.
    /// </summary>
    [LabTheory]
    [MemberData(nameof(LftpModes))]
    public void LftpDownloadsThroughTheRouter(FtpServerKind kind, bool lanClient, bool passive)
    {
        using var router = LabRouter.Start(_lab, Nic, lanClient ? null : config => ForwardFtpControlPort(config, 21));
        using var server = lanClient
            ? LabFtpServer.Start(kind, _lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: FileBytes)
            : LabFtpServer.Start(kind, _lab, _lab.LanNamespace, LabFixture.LanHost, fileBytes: FileBytes);
        string output = Download($"lftp-{kind}-{(lanClient ? "lan" : "wan")}-{(passive ? "passive" : "active")}");
        string url = lanClient ? server.Url : server.UrlVia(LabFixture.RouterWan, 21);
        var site = new System.Uri(url);

        var lftp = _lab.Run(lanClient ? _lab.LanNamespace : _lab.WanNamespace, "lftp", "-d", "-e",
            $"set ftp:passive-mode {(passive ? "on" : "off")}; set ftp:prefer-epsv no; set ftp:fix-pasv-address off; " +
            "set net:max-retries 1; set net:timeout 10; set xfer:clobber on; " +
            $"get {LabFtpServer.FileName} -o {output}; bye",
            $"{site.Scheme}://{site.UserInfo}{(site.UserInfo.Length > 0 ? "@" : "")}{site.Host}:{site.Port}");
        router.Stop();

        Assert.True(lftp.ExitCode == 0, lftp.Output);
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));
        var ftp = router.Firmware.Ftp.Counters;
        Assert.Equal(0, ftp.RefusedTotal);
        if (passive)
        {
            Assert.Contains("---> PASV", lftp.Output);
            Assert.DoesNotContain("---> PORT", lftp.Output);
        }
        else
        {
            Assert.Contains("---> PORT " + (lanClient ? "192,168,1,2," : "203,0,113,1,"), lftp.Output); // what the client sent
            Assert.DoesNotContain("---> PASV", lftp.Output);
            Assert.DoesNotContain("---> EPSV", lftp.Output);
        }
        if (lanClient)
        {
            // Only the client's PORT needs the helper; its data connection comes back through the expectation.
            Assert.Equal(passive ? 0 : 1, ftp[FtpCounters.Rewrites]);
            Assert.Equal(passive ? 0 : 1, ftp[FtpCounters.ExpectationsUsed]);
        }
        else
        {
            // Only the server's 227 needs the helper: the client is told the WAN address, and its data connection is expected.
            if (passive) Assert.Matches(@"<--- 227 [^\r\n]*\(203,0,113,2,\d+,\d+\)", lftp.Output);
            Assert.Equal(passive ? 1 : 0, ftp[FtpCounters.Rewrites]);
            Assert.Equal(passive ? 1 : 0, ftp[FtpCounters.ExpectationsUsed]);
        }
    }

    [LabTheory]
    [MemberData(nameof(EveryServer))]
    public void HelperOnControlPort2121MakesActiveModeWorkThere(FtpServerKind kind)
    {
        using var router = LabRouter.Start(_lab, Nic, config => config.Ftp.AddControlPort(2121));
        using var server = LabFtpServer.Start(kind, _lab, _lab.WanNamespace, LabFixture.InternetServer, port: 2121, fileBytes: FileBytes);
        string output = Download($"2121-{kind}");

        var curl = Curl(_lab.LanNamespace, server.Url, output, "-P", "-", "--disable-eprt");
        router.Stop();

        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));
        Assert.Equal(1, router.Firmware.Ftp.Counters[FtpCounters.Rewrites]);
    }

    [LabTheory]
    [MemberData(nameof(EveryServer))]
    public void HelperOnControlPort2121RewritesTheLanServers227(FtpServerKind kind)
    {
        using var router = LabRouter.Start(_lab, Nic, config =>
        {
            config.Ftp.AddControlPort(2121);
            ForwardFtpControlPort(config, 2121);
        });
        using var server = LabFtpServer.Start(kind, _lab, _lab.LanNamespace, LabFixture.LanHost, port: 2121, fileBytes: FileBytes);
        string output = Download($"wan-2121-{kind}");

        var curl = Curl(_lab.WanNamespace, server.UrlVia(LabFixture.RouterWan, 2121), output, "--disable-epsv");
        router.Stop();

        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Matches(@"< 227 Entering Passive Mode \(203,0,113,2,\d+,\d+\)", curl.Stderr);
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));
        Assert.Equal(1, router.Firmware.Ftp.Counters[FtpCounters.ExpectationsUsed]);
    }

    [LabTheory]
    [MemberData(nameof(EveryServer))]
    public void ActiveModeOnPort2121FailsWhenTheHelperIsNotConfiguredForIt(FtpServerKind kind)
    {
        using var router = LabRouter.Start(_lab, Nic);
        using var server = LabFtpServer.Start(kind, _lab, _lab.WanNamespace, LabFixture.InternetServer, port: 2121, fileBytes: 4096);

        var curl = Curl(_lab.LanNamespace, server.Url, Download($"2121-unconfigured-{kind}"), "-P", "-", "--disable-eprt");
        router.Stop();

        Assert.NotEqual(0, curl.ExitCode);
        // The server refuses a PORT naming another host than the client's.
        Assert.Contains("< " + server.ForeignAddressRefusal("PORT", LabFixture.LanHost, LabFixture.RouterWan), curl.Stderr);
        Assert.Equal(0, router.Firmware.Ftp.Counters[FtpCounters.CommandsSeen]);
    }

    public static TheoryData<FtpServerKind, string> HelperOffModes
    {
        get
        {
            var data = new TheoryData<FtpServerKind, string>();
            foreach (var server in Servers)
            {
                data.Add(server, "PORT");
                data.Add(server, "EPRT"); // refused, after which curl falls back to PORT, refused too
            }
            return data;
        }
    }

    [LabTheory]
    [MemberData(nameof(HelperOffModes))]
    public void ActiveModeFromTheLanFailsWithTheHelperSwitchedOff(FtpServerKind kind, string command)
    {
        using var router = LabRouter.Start(_lab, Nic, config => config.Ftp.Enabled = false);
        using var server = LabFtpServer.Start(kind, _lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: 4096);
        string output = Download($"helper-off-{kind}-{command}");

        var curl = Curl(_lab.LanNamespace, server.Url, output, command == "PORT" ? new[] { "-P", "-", "--disable-eprt" } : new[] { "-P", "-" });
        router.Stop();

        Assert.NotEqual(0, curl.ExitCode);
        Assert.Contains($"> {command} ", curl.Stderr);
        Assert.Contains("< " + server.ForeignAddressRefusal(command, LabFixture.LanHost, LabFixture.RouterWan), curl.Stderr);
        Assert.False(File.Exists(output) && new FileInfo(output).Length > 0, "nothing was downloaded");
        Assert.Equal(0, router.Firmware.Ftp.Counters[FtpCounters.Rewrites]);
    }

    internal static void ForwardFtpControlPort(RouterConfig config, int port)
    {
        PortForward forward = config.AddForward();
        forward.Name = "ftp";
        forward.Protocol = RuleProtocol.Tcp;
        forward.ExternalPort = forward.ExternalPortEnd = forward.InternalPort = port;
        forward.InternalAddress = Ipv4Address.Make(192, 168, 1, 2);
    }

    private string Download(string name) => Path.Combine(_lab.Directory, $"download-{name}.bin");

    private CommandResult Curl(string ns, string url, string output, params string[] mode)
    {
        var arguments = new List<string> { "-sS", "-v", "--max-time", "25", "--connect-timeout", "5", "-o", output };
        arguments.AddRange(mode);
        arguments.Add(url);
        return _lab.Run(ns, "curl", arguments.ToArray());
    }
}

/// <summary>The FTP tests again, with both router ports behind W5500 chip models driven over SPI (<c>--nic w5500</c>).</summary>
[Collection(LabCollection.Name)]
public class LabFtpW5500Tests : LabFtpTests
{
    public LabFtpW5500Tests(LabFixture lab) : base(lab) { }

    protected override NicKind Nic => NicKind.W5500;
}
