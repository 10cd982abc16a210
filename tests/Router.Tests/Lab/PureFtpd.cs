using System;
using System.IO;
using System.Security.Cryptography;

namespace Router.Tests.Lab;

/// <summary>
/// Debian's pure-ftpd, the lab's second FTP server: started in the foreground inside a lab namespace with its options
/// on the command line and a virtual user in its own PureDB file (login <see cref="User"/>, chrooted into a directory
/// holding one file of random bytes), never the system service. Debian's FTP servers conflict with each other
/// ("ftp-server"), so it is unpacked beside vsftpd by <c>lab/install-pure-ftpd.sh</c> (<see cref="Root"/>).
/// </summary>
public sealed class PureFtpd : ILabFtpServer
{
    public const string User = "lab";
    public const string Password = "lab";
    /// <summary><see cref="Password"/> as MD5-crypt: quick to check (pure-pw's default argon2id costs seconds per login).</summary>
    private const string PasswordHash = "$1$routerla$gc8zGFE6ppx39WxCj.eVj0";
    /// <summary>The unprivileged account the sessions run as.</summary>
    private const int NobodyId = 65534;

    private readonly LabProcess _process;

    private PureFtpd(LabFixture lab, string ns, string address, int port, int fileBytes)
    {
        string home = Path.Combine(lab.Directory, $"pure-ftpd-{ns}-{port}");
        string root = Path.Combine(home, "root");
        Directory.CreateDirectory(root);
        byte[] payload = RandomNumberGenerator.GetBytes(fileBytes);
        File.WriteAllBytes(Path.Combine(root, LabFtpServer.FileName), payload);
        Sha256 = Convert.ToHexString(SHA256.HashData(payload));
        foreach (string path in new[] { lab.Directory, home, root }) ReadableByAll(path);
        ReadableByAll(Path.Combine(root, LabFtpServer.FileName));

        // pure-pw's passwd format: login:hash:uid:gid:gecos:home/./ (the "/./" chroots the user there), then limits.
        string passwd = Path.Combine(home, "pureftpd.passwd"), database = Path.Combine(home, "pureftpd.pdb");
        File.WriteAllText(passwd, $"{User}:{PasswordHash}:{NobodyId}:{NobodyId}::{root}/./::::::::::::\n");
        var mkdb = lab.Run(ns, Tool("usr/bin/pure-pw"), "mkdb", database, "-f", passwd);
        if (mkdb.ExitCode != 0) throw new InvalidOperationException("pure-pw mkdb failed: " + mkdb.Output);

        Address = address;
        Port = port;
        _process = lab.Start(ns, Tool("usr/sbin/pure-ftpd"),
            "--bind", $"{address},{port}",
            "--login", "puredb:" + database,
            "--noanonymous",
            "--chrooteveryone",
            "--dontresolve", // the lab has no DNS
            "--ipv4only",
            "--altlog", "clf:" + Path.Combine(home, "transfer.log"));
        lab.WaitForListener(ns, address, port);
    }

    public static PureFtpd Start(LabFixture lab, string ns, string address, int port = 21, int fileBytes = 4 << 20)
        => new(lab, ns, address, port, fileBytes);

    /// <summary>Where <c>lab/install-pure-ftpd.sh</c> unpacked the package (<c>$PURE_FTPD_ROOT</c>, default /opt/router-lab/pure-ftpd).</summary>
    public static string Root => Environment.GetEnvironmentVariable("PURE_FTPD_ROOT") is { Length: > 0 } root ? root : "/opt/router-lab/pure-ftpd";

    public static bool Installed => File.Exists(Tool("usr/sbin/pure-ftpd")) && File.Exists(Tool("usr/bin/pure-pw"));

    private static string Tool(string relative) => Path.Combine(Root, relative);

    public string Address { get; }
    public int Port { get; }
    public string Sha256 { get; }

    public string Url => UrlVia(Address, Port);

    public string UrlVia(string host, int port) => $"ftp://{User}:{Password}@{host}:{port}/{LabFtpServer.FileName}";

    public string ForeignAddressRefusal(string command, string named, string client) => $"500 I won't open a connection to {named} (only to {client})";

    private static void ReadableByAll(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        if (Directory.Exists(path)) mode |= UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(path, mode);
    }

    public void Dispose() => _process.Dispose();
}
