using System;

namespace Router.Tests.Lab;

/// <summary>The real FTP servers the lab runs; every FTP lab case runs once per server.</summary>
public enum FtpServerKind
{
    Vsftpd,
    PureFtpd,
}

/// <summary>
/// A real FTP server started by a test inside a lab namespace with its own configuration (never a system service),
/// serving one file of random bytes (<see cref="FileName"/>, checked by <see cref="Sha256"/>).
/// </summary>
public interface ILabFtpServer : IDisposable
{
    string Address { get; }
    int Port { get; }
    /// <summary>SHA-256 of the served file, upper-case hex.</summary>
    string Sha256 { get; }
    /// <summary>The file's URL at the server's own address.</summary>
    string Url { get; }

    /// <summary>The file's URL as seen through <paramref name="host"/>:<paramref name="port"/> (a forward on the router), with the login it needs.</summary>
    string UrlVia(string host, int port);

    /// <summary>What the server answers a PORT/EPRT naming <paramref name="named"/> when the control connection comes from <paramref name="client"/>.</summary>
    string ForeignAddressRefusal(string command, string named, string client);
}

public static class LabFtpServer
{
    public const string FileName = "payload.bin";

    public static ILabFtpServer Start(FtpServerKind kind, LabFixture lab, string ns, string address, int port = 21, int fileBytes = 4 << 20)
        => kind switch
        {
            FtpServerKind.Vsftpd => Vsftpd.Start(lab, ns, address, port, fileBytes),
            FtpServerKind.PureFtpd => PureFtpd.Start(lab, ns, address, port, fileBytes),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
}
