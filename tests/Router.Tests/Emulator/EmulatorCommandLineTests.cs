using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using Router.Emulator;
using Xunit;

namespace Router.Tests.Emulator;

/// <summary>
/// The emulator's command line as a user meets it: mistakes end in one line saying what to do (exit code 2), never a
/// stack trace; each board profile keeps its own flash file by default.
/// </summary>
public sealed class EmulatorCommandLineTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("router-cli-").FullName;

    private sealed record Result(int ExitCode, string Out, string Error);

    private Result Run(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Router.Emulator.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _work, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30000))
        {
            process.Kill(true);
            Assert.Fail("the emulator did not exit within 30 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static void AssertOneLineError(Result r, string expected)
    {
        Assert.Equal(2, r.ExitCode);
        string[] lines = r.Error.Trim().Split('\n');
        Assert.True(lines.Length == 1, "one line, got:\n" + r.Error);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", r.Error + r.Out);
    }

    [Fact]
    public void A_mistyped_profile_names_the_known_ones()
    {
        AssertOneLineError(Run("--profile", "esp32", "--seconds", "1"), "unknown board profile 'esp32': use --profile with one of esp32-eth,");
    }

    [Fact]
    public void A_busy_port_says_which_and_suggests_another()
    {
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        busy.Listen(1);
        int port = ((IPEndPoint)busy.LocalEndPoint).Port;
        AssertOneLineError(Run("--http", $"http://127.0.0.1:{port}", "--seconds", "1"), $"127.0.0.1:{port} is already in use");
    }

    [Theory]
    [InlineData("http://example.org:8080")]
    [InlineData("https://127.0.0.1:8080")]
    [InlineData("127.0.0.1:8080")]
    public void A_url_the_emulator_cannot_serve_shows_the_form_it_wants(string url)
    {
        AssertOneLineError(Run("--http", url, "--seconds", "1"), "--http wants http://ADDRESS:PORT");
    }

    [Fact]
    public void Localhost_is_the_loopback_address()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)probe.LocalEndPoint).Port;
        probe.Close();
        var r = Run("--http", $"http://localhost:{port}", "--seconds", "1", "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains($"web UI at http://localhost:{port}", r.Out);
    }

    [Fact]
    public void Each_profile_keeps_its_own_flash_file_and_another_boards_file_is_named()
    {
        var desktop = Run("--http", "http://127.0.0.1:0", "--seconds", "0.5", "--quiet");
        Assert.True(desktop.ExitCode == 0, desktop.Error);
        var esp32 = Run("--profile", "esp32-eth", "--http", "http://127.0.0.1:0", "--seconds", "0.5", "--quiet");
        Assert.True(esp32.ExitCode == 0, esp32.Error);
        Assert.True(File.Exists(Path.Combine(_work, EmulatorHost.DefaultFlashPath("desktop"))));
        Assert.True(File.Exists(Path.Combine(_work, EmulatorHost.DefaultFlashPath("esp32-eth"))));

        var mixed = Run("--profile", "esp32-eth", "--flash", EmulatorHost.DefaultFlashPath("desktop"), "--http", "http://127.0.0.1:0", "--seconds", "1");
        AssertOneLineError(mixed, "board desktop's flash; board esp32-eth needs");
        Assert.Contains("--flash router-flash-esp32-eth.bin", mixed.Error);
    }

    public void Dispose()
    {
        try { Directory.Delete(_work, true); } catch (IOException) { }
    }
}
