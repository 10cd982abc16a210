using System;
using System.IO;
using System.Security.Cryptography;

namespace Router.Tests.Lab;

/// <summary>
/// A vsftpd serving one directory anonymously (read-only), started in the foreground inside a lab namespace with its
/// own config file — never the system service. Holds a file of random bytes for checksum comparisons.
/// </summary>
public sealed class Vsftpd : ILabFtpServer
{
    public const string FileName = LabFtpServer.FileName;

    private readonly LabProcess _process;

    private Vsftpd(LabFixture lab, string ns, string address, int port, int fileBytes, int maxBytesPerSecond, string[] extraConfig)
    {
        string home = Path.Combine(lab.Directory, $"vsftpd-{ns}-{address}-{port}");
        string root = Path.Combine(home, "root");
        string empty = Path.Combine(home, "empty");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(empty);
        // The anonymous session runs as the unprivileged "ftp" user inside the chroot: it must read, must not write.
        foreach (string dir in new[] { lab.Directory, home, root }) ReadableByAll(dir);
        byte[] payload = RandomNumberGenerator.GetBytes(fileBytes);
        FilePath = Path.Combine(root, FileName);
        File.WriteAllBytes(FilePath, payload);
        Sha256 = Convert.ToHexString(SHA256.HashData(payload));

        string config = Path.Combine(home, "vsftpd.conf");
        File.WriteAllText(config, string.Join("\n",
            "listen=YES",
            "listen_ipv6=NO",
            $"listen_address={address}",
            $"listen_port={port}",
            "background=NO",
            "anonymous_enable=YES",
            "no_anon_password=YES",
            $"anon_root={root}",
            "local_enable=NO",
            "write_enable=NO",
            "pasv_enable=YES",
            "port_enable=YES",
            "seccomp_sandbox=NO",
            $"secure_chroot_dir={empty}",
            $"anon_max_rate={maxBytesPerSecond}", // 0: unlimited
            "xferlog_enable=NO",
            "syslog_enable=NO",
            $"vsftpd_log_file={Path.Combine(home, "vsftpd.log")}",
            string.Join("\n", extraConfig),
            ""));
        Address = address;
        Port = port;
        _process = lab.Start(ns, "vsftpd", config);
        lab.WaitForListener(ns, address, port);
    }

    /// <summary>Starts a server; <paramref name="extraConfig"/> lines (FTPS, passive ports) are appended to its config.</summary>
    /// <param name="maxBytesPerSecond">vsftpd paces every download to this rate (0: unlimited).</param>
    public static Vsftpd Start(LabFixture lab, string ns, string address, int port = 21, int fileBytes = 4 << 20, int maxBytesPerSecond = 0, params string[] extraConfig)
        => new(lab, ns, address, port, fileBytes, maxBytesPerSecond, extraConfig);

    public string Address { get; }
    public int Port { get; }
    public string FilePath { get; }
    /// <summary>SHA-256 of the served file, upper-case hex.</summary>
    public string Sha256 { get; }

    public string Url => UrlVia(Address, Port);

    public string UrlVia(string host, int port) => $"ftp://{host}:{port}/{FileName}"; // anonymous

    public string ForeignAddressRefusal(string command, string named, string client) => $"500 Illegal {command} command";

    private static void ReadableByAll(string directory)
    {
        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                  UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(directory, Mode);
    }

    public static string Sha256Of(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    public void Dispose() => _process.Dispose();
}
