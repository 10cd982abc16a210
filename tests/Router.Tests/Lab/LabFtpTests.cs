using System.Collections.Generic;
using System.IO;
using Router.Config;
using Router.Helpers.Ftp;
using Router.Rules;
using Router.Wire;
using Router.Emulator;
using Xunit;

namespace Router.Tests.Lab;

/// <summary>Real FTP clients (curl, lftp) and a real server (vsftpd) on either side of the router.</summary>
[Collection(LabCollection.Name)]
public class LabFtpTests
{
    private const int FileBytes = 6 << 20;
    private readonly LabFixture _lab;

    public LabFtpTests(LabFixture lab) => _lab = lab;

    /// <summary>What drives the router's ports; <see cref="LabFtpW5500Tests"/> runs every test here again through W5500s.</summary>
    protected virtual NicKind Nic => NicKind.Direct;

    /// <summary>curl's options for each way of opening the data connection; the command name proves which was used.</summary>
    public static TheoryData<string, string[]> CurlModes => new()
    {
        { "PASV", new[] { "--disable-epsv" } },
        { "EPSV", new string[0] },
        { "PORT", new[] { "-P", "-", "--disable-eprt" } },
        { "EPRT", new[] { "-P", "-" } },
    };

    [LabTheory]
    [MemberData(nameof(CurlModes))]
    public void LanClientDownloadsFromAnInternetServer(string command, string[] mode)
    {
        using var router = LabRouter.Start(_lab, Nic);
        using var server = Vsftpd.Start(_lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: FileBytes);
        string output = Download(command);

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
    public void InternetClientDownloadsFromALanServerBehindAForwardOfPort21Only(string command, string[] mode)
    {
        using var router = LabRouter.Start(_lab, Nic, config => ForwardFtpControlPort(config, 21));
        using var server = Vsftpd.Start(_lab, _lab.LanNamespace, LabFixture.LanHost, fileBytes: FileBytes);
        string output = Download("wan-" + command);

        var curl = Curl(_lab.WanNamespace, $"ftp://{LabFixture.RouterWan}/{Vsftpd.FileName}", output, mode);
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

    [LabFact]
    public void LftpWithPassiveModeOffDownloadsFromAnInternetServer()
    {
        using var router = LabRouter.Start(_lab, Nic);
        using var server = Vsftpd.Start(_lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: FileBytes);
        string output = Download("lftp");

        var lftp = _lab.Run(_lab.LanNamespace, "lftp", "-d", "-e",
            "set ftp:passive-mode off; set net:max-retries 1; set net:timeout 10; set xfer:clobber on; " +
            $"get {Vsftpd.FileName} -o {output}; bye",
            $"ftp://{LabFixture.InternetServer}");
        router.Stop();

        Assert.True(lftp.ExitCode == 0, lftp.Output);
        Assert.Contains("---> PORT 192,168,1,2,", lftp.Output); // what the client sent, before the router rewrote it
        Assert.DoesNotContain("---> PASV", lftp.Output);
        Assert.DoesNotContain("---> EPSV", lftp.Output);
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));
        Assert.Equal(1, router.Firmware.Ftp.Counters[FtpCounters.ExpectationsUsed]);
    }

    [LabFact]
    public void HelperOnControlPort2121MakesActiveModeWorkThere()
    {
        using var router = LabRouter.Start(_lab, Nic, config => config.Ftp.AddControlPort(2121));
        using var server = Vsftpd.Start(_lab, _lab.WanNamespace, LabFixture.InternetServer, port: 2121, fileBytes: FileBytes);
        string output = Download("2121");

        var curl = Curl(_lab.LanNamespace, server.Url, output, "-P", "-", "--disable-eprt");
        router.Stop();

        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));
        Assert.Equal(1, router.Firmware.Ftp.Counters[FtpCounters.Rewrites]);
    }

    [LabFact]
    public void HelperOnControlPort2121RewritesTheLanServers227()
    {
        using var router = LabRouter.Start(_lab, Nic, config =>
        {
            config.Ftp.AddControlPort(2121);
            ForwardFtpControlPort(config, 2121);
        });
        using var server = Vsftpd.Start(_lab, _lab.LanNamespace, LabFixture.LanHost, port: 2121, fileBytes: FileBytes);
        string output = Download("wan-2121");

        var curl = Curl(_lab.WanNamespace, $"ftp://{LabFixture.RouterWan}:2121/{Vsftpd.FileName}", output, "--disable-epsv");
        router.Stop();

        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Matches(@"< 227 Entering Passive Mode \(203,0,113,2,\d+,\d+\)", curl.Stderr);
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));
        Assert.Equal(1, router.Firmware.Ftp.Counters[FtpCounters.ExpectationsUsed]);
    }

    [LabFact]
    public void ActiveModeOnPort2121FailsWhenTheHelperIsNotConfiguredForIt()
    {
        using var router = LabRouter.Start(_lab, Nic);
        using var server = Vsftpd.Start(_lab, _lab.WanNamespace, LabFixture.InternetServer, port: 2121, fileBytes: 4096);

        var curl = Curl(_lab.LanNamespace, server.Url, Download("2121-unconfigured"), "-P", "-", "--disable-eprt");
        router.Stop();

        Assert.NotEqual(0, curl.ExitCode);
        Assert.Contains("< 500 Illegal PORT command", curl.Stderr); // vsftpd refuses a PORT naming another host than the client's
        Assert.Equal(0, router.Firmware.Ftp.Counters[FtpCounters.CommandsSeen]);
    }

    [LabTheory]
    [InlineData("PORT")]
    [InlineData("EPRT")] // refused, after which curl falls back to PORT, refused too
    public void ActiveModeFromTheLanFailsWithTheHelperSwitchedOff(string command)
    {
        using var router = LabRouter.Start(_lab, Nic, config => config.Ftp.Enabled = false);
        using var server = Vsftpd.Start(_lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: 4096);
        string output = Download("helper-off-" + command);

        var curl = Curl(_lab.LanNamespace, server.Url, output, command == "PORT" ? new[] { "-P", "-", "--disable-eprt" } : new[] { "-P", "-" });
        router.Stop();

        Assert.NotEqual(0, curl.ExitCode);
        Assert.Contains($"> {command} ", curl.Stderr);
        Assert.Contains($"< 500 Illegal {command} command", curl.Stderr);
        Assert.False(File.Exists(output) && new FileInfo(output).Length > 0, "nothing was downloaded");
        Assert.Equal(0, router.Firmware.Ftp.Counters[FtpCounters.Rewrites]);
    }

    /// <summary>
    /// esp32-eth has 4 helper slots: ten active-mode downloads in a row only work because a slot comes back when its
    /// session closes (before, each stayed taken for the 240 s of TIME_WAIT and the fifth PORT went out unrewritten).
    /// </summary>
    [LabFact]
    public void TenActiveModeSessionsInARowOnEsp32AllGetAHelperSlot()
    {
        using var router = LabRouter.Start(_lab, capacities: Router.Boards.BoardProfiles.Esp32Ethernet().Capacities);
        using var server = Vsftpd.Start(_lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: 4096);
        var failures = new List<string>();
        for (int session = 0; session < 10; session++)
        {
            string output = Download($"esp32-{session}");
            var curl = Curl(_lab.LanNamespace, server.Url, output, "-P", "-", "--disable-eprt");
            if (curl.ExitCode != 0 || Vsftpd.Sha256Of(output) != server.Sha256) failures.Add($"session {session}: {curl.Output}");
        }
        router.Stop();

        Assert.Empty(failures);
        var ftp = router.Firmware.Ftp.Counters;
        Assert.Equal(10, ftp[FtpCounters.Rewrites]);
        Assert.Equal(0, ftp[FtpCounters.RefusedNoSlot]);
        Assert.True(ftp[FtpCounters.SlotsFreed] + ftp[FtpCounters.SlotsReclaimed] >= 6, $"freed {ftp[FtpCounters.SlotsFreed]}, reclaimed {ftp[FtpCounters.SlotsReclaimed]}");
    }

    private static void ForwardFtpControlPort(RouterConfig config, int port)
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
