using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Router.Boards;
using Router.Helpers.Ftp;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Lab;

/// <summary>
/// Many real FTP sessions through the router on the esp32-eth profile (4 helper slots): the helper's slots follow
/// the sessions (freed when a control connection closes, reclaimed from a closing one when all are busy).
/// </summary>
[Collection(LabCollection.Name)]
public class LabFtpSessionTests
{
    private const int Sessions = 100;
    private const int Parallel = 4;
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(2400); // 25 rounds of 4: 60 s
    private const int HolderEvery = 5; // every fifth round starts with every slot held by a closing control connection

    private readonly LabFixture _lab;
    private readonly ITestOutputHelper _output;
    private LabRouter _router;

    public LabFtpSessionTests(LabFixture lab, ITestOutputHelper output)
    {
        _lab = lab;
        _output = output;
    }

    /// <summary>
    /// 100 curl sessions over 60 s, four at a time, each an active-mode download (PORT and EPRT alternately) of a
    /// random file from an internet vsftpd. Every fifth round first opens four control connections the server closes
    /// after QUIT and the client never closes (a hung client). Every download must succeed with the right bytes, every
    /// PORT/EPRT be rewritten, no connection be refused a slot, and every control connection give its slot back once
    /// (freed or reclaimed). Each holder round's first download finds every slot held by a closing connection and
    /// must reclaim one; the others may get the slot of a download that already finished. Found here: the server's
    /// FIN arrives twice (Linux's tail loss probe fires before the client's delayed ACK), and conntrack used to take
    /// the second copy for the client's FIN, so a half-closed connection reached TIME_WAIT, its slot was freed and
    /// reclaim was never shown (TcpWindowTrackingTests.ARetransmittedFinIsNotTheOtherSidesFin).
    /// </summary>
    [LabFact]
    public void AHundredActiveModeSessionsInAMinuteOnEsp32AreAllRewritten()
    {
        var capacities = BoardProfiles.Esp32Ethernet().Capacities;
        using var router = LabRouter.Start(_lab, capacities: capacities);
        _router = router;
        using var server = Vsftpd.Start(_lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: 64 << 10);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        int holders = 0, holderRounds = 0;
        for (int round = 0; round * Parallel < Sessions; round++)
        {
            TimeSpan wait = round * Round - clock.Elapsed;
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            var held = new List<Socket>();
            try
            {
                if (round % HolderEvery == HolderEvery - 1)
                {
                    for (int i = 0; i < capacities.HelperConnections; i++)
                    {
                        try
                        {
                            held.Add(HalfClosedControlConnection(server, failures));
                        }
                        catch (Exception e) when (e is SocketException or IOException)
                        {
                            failures.Add($"round {round}: half-closed control connection {i}: {e.Message}");
                        }
                    }
                    holders += held.Count;
                    holderRounds++;
                    _output.WriteLine($"round {round}: {held.Count} half-closed, slots in use {router.Firmware.Ftp.Sessions.InUseCount}, " +
                                      $"freed {router.Firmware.Ftp.Counters[FtpCounters.SlotsFreed]}, reclaimed {router.Firmware.Ftp.Counters[FtpCounters.SlotsReclaimed]}, conntrack {router.Firmware.DataPlane.Connections.Count}");
                }
                var downloads = new Task<string>[Parallel];
                for (int i = 0; i < Parallel; i++)
                {
                    int session = round * Parallel + i;
                    downloads[i] = Task.Run(() => Download(server, session));
                }
                foreach (var download in downloads)
                {
                    if (download.Result != null) failures.Add(download.Result);
                }
            }
            finally
            {
                foreach (var socket in held) socket.Dispose();
            }
        }
        TimeSpan elapsed = clock.Elapsed;
        Thread.Sleep(500); // the last closes' final ACKs
        router.Stop();

        var ftp = router.Firmware.Ftp.Counters;
        _output.WriteLine($"{Sessions} sessions in {elapsed.TotalSeconds:F1} s: rewrites {ftp[FtpCounters.Rewrites]}, " +
                          $"slots freed {ftp[FtpCounters.SlotsFreed]}, reclaimed {ftp[FtpCounters.SlotsReclaimed]}, " +
                          $"refused (no slot) {ftp[FtpCounters.RefusedNoSlot]}, half-closed holders {holders}; " +
                          $"conntrack in use {router.Firmware.DataPlane.Connections.Count}, expired {router.Firmware.DataPlane.Connections.Expired}, " +
                          $"evicted {router.Firmware.DataPlane.Connections.Evicted}, refused (full) {router.Firmware.DataPlane.Connections.RefusedFull}");
        Assert.Empty(failures);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(90));
        Assert.Equal(Sessions, ftp[FtpCounters.Rewrites]);
        Assert.Equal(Sessions, ftp[FtpCounters.ExpectationsUsed]);
        Assert.Equal(0, ftp[FtpCounters.RefusedNoSlot]);
        Assert.Equal(0, ftp.RefusedTotal);
        // Every control connection got a slot and gave it back once: freed when it closed, or reclaimed while closing.
        Assert.Equal(Sessions + holders, ftp[FtpCounters.SlotsFreed] + ftp[FtpCounters.SlotsReclaimed]);
        // Reclaim happens: every holder round's first download finds all slots held by half-closed connections.
        Assert.True(ftp[FtpCounters.SlotsReclaimed] >= holderRounds, $"reclaimed {ftp[FtpCounters.SlotsReclaimed]} in {holderRounds} holder rounds");
    }

    /// <summary>The established timeout the keep-alive tests shorten the router's to (RFC 5382's 2 h 4 min in normal use).</summary>
    private const int ShortEstablishedSeconds = 2;
    /// <summary>The keep-alive download: paced by the server (a client-side limit lets the kernel buffer it all at once).</summary>
    private const int TransferBytes = 3 << 20, TransferRate = 384 << 10;

    /// <summary>
    /// Keep-alive in every mode, on a real clock: with the router's established timeout cut to 2 s (in process, on the
    /// running firmware's conntrack timeouts; the configuration refuses less than RFC 5382's 7440 s), a download paced
    /// by vsftpd to 8 s (4 timeouts) leaves the control connection idle the whole time. It survives only if the
    /// data connection refreshes it: expected (LAN client active, LAN server passive) or observed (LAN client passive,
    /// LAN server active). If it expired, the server's 226 after the data would be dropped (no entry, no pick-up of
    /// mid-stream TCP) and curl would time out.
    /// </summary>
    [LabTheory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void ALongTransferKeepsItsIdleControlConnectionAlive(bool lanClient, bool passive)
    {
        using var router = LabRouter.Start(_lab, lanClient ? null : config => LabFtpTests.ForwardFtpControlPort(config, 21));
        router.Firmware.DataPlane.Connections.Timeouts.TcpEstablished = ShortEstablishedSeconds;
        using var server = lanClient
            ? Vsftpd.Start(_lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: TransferBytes, maxBytesPerSecond: TransferRate)
            : Vsftpd.Start(_lab, _lab.LanNamespace, LabFixture.LanHost, fileBytes: TransferBytes, maxBytesPerSecond: TransferRate);
        string output = Path.Combine(_lab.Directory, $"keepalive-{lanClient}-{passive}.bin");
        var arguments = new List<string> { "-sS", "-v", "--max-time", "25", "--connect-timeout", "5", "-o", output };
        arguments.AddRange(passive ? new[] { "--disable-epsv" } : new[] { "-P", "-", "--disable-eprt" });
        arguments.Add(lanClient ? server.Url : server.UrlVia(LabFixture.RouterWan, 21));

        var clock = Stopwatch.StartNew();
        var curl = _lab.Run(lanClient ? _lab.LanNamespace : _lab.WanNamespace, "curl", arguments.ToArray());
        TimeSpan elapsed = clock.Elapsed;
        router.Stop();

        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Contains("< 226", curl.Stderr); // the reply after the data came through the control connection
        Assert.Equal(server.Sha256, Vsftpd.Sha256Of(output));
        Assert.True(elapsed > TimeSpan.FromSeconds(3 * ShortEstablishedSeconds), $"the transfer took {elapsed.TotalSeconds:F1} s");
        var ftp = router.Firmware.Ftp.Counters;
        bool expected = lanClient != passive; // the helper admitted the data connection; otherwise it saw it go out
        Assert.Equal(expected ? 1 : 0, ftp[FtpCounters.ExpectationsUsed]);
        Assert.Equal(expected ? 0 : 1, ftp[FtpCounters.DataConnectionsObserved]);
    }

    /// <summary>The other half: with the same 2 s timeout, a logged-in control connection left idle with no data is gone (its NOOP gets no reply).</summary>
    [LabFact]
    public void WithTheShortTimeoutAnIdleControlConnectionExpires()
    {
        using var router = LabRouter.Start(_lab);
        router.Firmware.DataPlane.Connections.Timeouts.TcpEstablished = ShortEstablishedSeconds;
        using var server = Vsftpd.Start(_lab, _lab.WanNamespace, LabFixture.InternetServer, fileBytes: 4096);
        using var control = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp);
        control.ReceiveTimeout = control.SendTimeout = 5000;
        control.Connect(IPAddress.Parse(server.Address), server.Port);
        ReadUntil(control, "220 ");
        control.Send(Encoding.ASCII.GetBytes("USER anonymous\r\n"));
        ReadUntil(control, "230 ");
        control.Send(Encoding.ASCII.GetBytes("NOOP\r\n"));
        ReadUntil(control, "200 "); // alive while used

        Thread.Sleep(TimeSpan.FromSeconds(ShortEstablishedSeconds + 2));
        control.ReceiveTimeout = 3000;
        control.Send(Encoding.ASCII.GetBytes("NOOP\r\n"));
        var noReply = Assert.Throws<SocketException>(() => ReadUntil(control, "200 "));
        router.Stop();

        Assert.Equal(SocketError.TimedOut, noReply.SocketErrorCode);
    }

    /// <summary>One active-mode download; null when it worked, else what went wrong.</summary>
    private string Download(ILabFtpServer server, int session)
    {
        string output = Path.Combine(_lab.Directory, $"session-{session}.bin");
        string[] mode = session % 2 == 0 ? new[] { "-P", "-", "--disable-eprt" } : new[] { "-P", "-" };
        var arguments = new List<string> { "-sS", "-v", "--max-time", "20", "--connect-timeout", "5", "-o", output };
        arguments.AddRange(mode);
        arguments.Add(server.Url);
        var curl = _lab.Run(_lab.LanNamespace, "curl", arguments.ToArray());
        string command = session % 2 == 0 ? "PORT" : "EPRT";
        if (curl.ExitCode != 0) return $"session {session}: curl exit {curl.ExitCode}: {curl.Output}";
        if (!curl.Stderr.Contains("> " + command + " ")) return $"session {session}: no {command}: {curl.Stderr}";
        if (Vsftpd.Sha256Of(output) != server.Sha256) return $"session {session}: wrong content";
        return null;
    }

    /// <summary>
    /// A control connection from the LAN host that the server has closed (after QUIT) and the client has not (its
    /// socket stays open in CLOSE_WAIT, no FIN sent): the router has seen one FIN, so the connection is FIN_WAIT (the
    /// client's delayed ACK not yet seen) or CLOSE_WAIT and its helper slot is closing; anything else is a failure.
    /// Bounded: 5 s per step.
    /// </summary>
    private Socket HalfClosedControlConnection(ILabFtpServer server, List<string> failures)
    {
        var socket = LabFixture.Socket(_lab.LanNamespace, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.ReceiveTimeout = socket.SendTimeout = 5000;
            socket.Connect(IPAddress.Parse(server.Address), server.Port);
            ReadUntil(socket, "220 ");
            socket.Send(Encoding.ASCII.GetBytes("QUIT\r\n"));
            ReadUntil(socket, null); // the server's FIN
            Thread.Sleep(50);
            var local = (IPEndPoint)socket.LocalEndPoint;
            var connections = _router.Firmware.DataPlane.Connections;
            int node = connections.Find(Router.Wire.IpProtocol.Tcp, Router.Wire.Ipv4Address.Make(192, 168, 1, 2), Router.Wire.Ipv4Address.Make(198, 51, 100, 7), local.Port, server.Port);
            int state = node < 0 ? -1 : connections.State(node >> 1);
            string line = $"holder {local.Port}: conntrack {(node < 0 ? "none" : Router.Conntrack.TcpState.Name(state))}, slots in use {_router.Firmware.Ftp.Sessions.InUseCount}";
            _output.WriteLine(line);
            if (state != Router.Conntrack.TcpState.FinWait && state != Router.Conntrack.TcpState.CloseWait) failures.Add(line + " (expected FIN_WAIT or CLOSE_WAIT)");
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads until a line starting with <paramref name="reply"/> arrived, or (null) until the peer closes.</summary>
    private static void ReadUntil(Socket socket, string reply)
    {
        var text = new StringBuilder();
        var buffer = new byte[1024];
        while (true)
        {
            int n = socket.Receive(buffer);
            if (n == 0)
            {
                if (reply == null) return;
                throw new IOException($"closed before \"{reply}\": {text}");
            }
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
            string all = text.ToString();
            if (reply != null && (all.StartsWith(reply) || all.Contains("\n" + reply)) && all.EndsWith("\n")) return;
        }
    }
}
