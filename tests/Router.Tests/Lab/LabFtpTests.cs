using System.IO;
using Xunit;

namespace Router.Tests.Lab;

/// <summary>Real FTP clients (curl, lftp) and a real server (vsftpd) on either side of the router.</summary>
[Collection(LabCollection.Name)]
public class LabFtpTests
{
    private const int FileBytes = 6 << 20;
    private readonly LabFixture _lab;

    public LabFtpTests(LabFixture lab) => _lab = lab;

    /// <summary>curl's options for each way of opening the data connection, and the command that proves it was used.</summary>
    public static TheoryData<string, string[]> CurlModes => new()
    {
        { "PASV", new[] { "--disable-epsv" } },
        { "EPSV", new string[0] },
    };

    [LabTheory]
    [MemberData(nameof(CurlModes))]
    public void LanClientDownloadsFromAnInternetServer(string command, string[] mode)
    {
        using var router = LabRouter.Start(_lab);
        using var server = Vsftpd.Start(_lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: FileBytes);
        string output = Path.Combine(_lab.Directory, $"lan-download-{command}.bin");

        var curl = Curl(_lab.LanNamespace, server.Url, output, mode);
        router.Stop();

        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Contains("> " + command, curl.Stderr);
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));
    }

    private CommandResult Curl(string ns, string url, string output, string[] mode)
    {
        var arguments = new System.Collections.Generic.List<string> { "-sS", "-v", "--max-time", "25", "--connect-timeout", "5", "-o", output };
        arguments.AddRange(mode);
        arguments.Add(url);
        return _lab.Run(ns, "curl", arguments.ToArray());
    }
}
