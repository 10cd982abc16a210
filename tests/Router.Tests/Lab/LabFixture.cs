using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Router.Hal.Desktop;

namespace Router.Tests.Lab;

/// <summary>
/// The lab for one test run: <c>lab/lab.sh up tap</c> under a prefix unique to this process (so concurrent runs do
/// not collide), commands run inside its namespaces with a time limit each, and everything torn down at the end —
/// the servers it started, then the namespaces with their TAP devices and addresses.
/// </summary>
public sealed class LabFixture : IDisposable
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly List<LabProcess> _processes = new();
    private readonly string _script;

    public LabFixture()
    {
        Prefix = "rl" + Environment.ProcessId;
        LanNamespace = Prefix + "-lan";
        WanNamespace = Prefix + "-wan";
        DhcpNamespace = Prefix + "-dhcp";
        _script = Path.Combine(RepositoryRoot(), "lab", "lab.sh");
        if (LabRequirements.SkipReason() != null) return; // every lab test is skipped; build nothing
        Directory = System.IO.Directory.CreateTempSubdirectory("router-lab-").FullName;
        var up = Script("up", "tap");
        if (up.ExitCode != 0)
        {
            Script("down");
            throw new InvalidOperationException($"lab.sh up failed ({up.ExitCode}): {up.Output}");
        }
        Available = true;
    }

    public bool Available { get; }
    public string Prefix { get; }
    public string LanNamespace { get; }
    public string WanNamespace { get; }
    /// <summary>The second LAN host (<c>lab.sh dhcp-host</c>): <see cref="DhcpInterface"/> without an address, for DHCP clients.</summary>
    public string DhcpNamespace { get; }
    /// <summary>Scratch directory for server roots, configs and downloads; deleted at the end.</summary>
    public string Directory { get; }

    public const string LanHost = "192.168.1.2";
    public const string RouterLan = "192.168.1.1";
    public const string RouterWan = "203.0.113.2";
    public const string WanGateway = "203.0.113.1";
    /// <summary>A server "out on the internet": an address on the WAN namespace's loopback, reached through the gateway.</summary>
    public const string InternetServer = "198.51.100.7";
    public const string TapName = "tap0";
    public const string DhcpInterface = "dhcp0";

    /// <summary>Creates <see cref="DhcpNamespace"/> once (a macvlan of the LAN TAP with its own MAC); <c>lab.sh down</c> removes it.</summary>
    public void AddDhcpHost()
    {
        var result = Script("dhcp-host");
        if (result.ExitCode != 0) throw new InvalidOperationException($"lab.sh dhcp-host failed ({result.ExitCode}): {result.Output}");
    }

    /// <summary>Runs a command inside a namespace and waits for it (killed after <paramref name="timeout"/>).</summary>
    public CommandResult Run(string ns, TimeSpan timeout, string tool, params string[] arguments)
    {
        using var process = LabProcess.Start(NetnsExec(ns, tool, arguments));
        return process.WaitForExit(timeout);
    }

    public CommandResult Run(string ns, string tool, params string[] arguments) => Run(ns, CommandTimeout, tool, arguments);

    /// <summary>Starts a long-running command (a server) in a namespace; it is killed on dispose or at the end of the run.</summary>
    public LabProcess Start(string ns, string tool, params string[] arguments)
    {
        var process = LabProcess.Start(NetnsExec(ns, tool, arguments));
        lock (_processes) _processes.Add(process);
        return process;
    }

    /// <summary>A socket created inside a namespace: it binds and connects there, whichever thread uses it.</summary>
    public static Socket Socket(string ns, SocketType type, ProtocolType protocol)
        => NetworkNamespace.Run(ns, () => new Socket(AddressFamily.InterNetwork, type, protocol));

    /// <summary>Waits until a TCP port accepts connections inside a namespace (bounded: 10 s).</summary>
    public void WaitForListener(string ns, string address, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var probe = Socket(ns, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Connect(IPAddress.Parse(address), port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(50);
            }
        }
    }

    public void Dispose()
    {
        lock (_processes)
        {
            foreach (var process in _processes) process.Dispose();
        }
        if (!Available) return;
        Script("down");
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    private CommandResult Script(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { ArgumentList = { _script } };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        start.Environment["LAB_PREFIX"] = Prefix;
        using var process = LabProcess.Start(start);
        return process.WaitForExit(CommandTimeout);
    }

    private static ProcessStartInfo NetnsExec(string ns, string tool, string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { ArgumentList = { "netns", "exec", ns, tool } };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        return start;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "lab", "lab.sh"))) return dir.FullName;
        }
        throw new InvalidOperationException("lab/lab.sh not found above " + AppContext.BaseDirectory);
    }
}

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}

/// <summary>A child process with its output collected; killed (with its children) when disposed before it exits.</summary>
public sealed class LabProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Threading.Tasks.Task<string> _stdout, _stderr;

    private LabProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static LabProcess Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true; // a closed stdin, so nothing waits for a terminal
        start.UseShellExecute = false;
        var process = new LabProcess(Process.Start(start));
        process._process.StandardInput.Close();
        return process;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for exit; on timeout kills it and reports exit code -1 with what it printed.</summary>
    public CommandResult WaitForExit(TimeSpan timeout)
    {
        bool exited = _process.WaitForExit(timeout);
        if (!exited) Kill();
        _process.WaitForExit();
        string stderr = _stderr.Result + (exited ? "" : $"\n[killed after {timeout.TotalSeconds:F0} s]");
        return new CommandResult(exited ? _process.ExitCode : -1, _stdout.Result, stderr);
    }

    /// <summary>Sends SIGINT (a tool's orderly stop: it writes out what it buffered), waits, and returns what it printed.</summary>
    public CommandResult Interrupt(TimeSpan timeout)
    {
        if (!_process.HasExited) kill(_process.Id, SigInt); // `ip netns exec` execs the tool: same process id
        return WaitForExit(timeout);
    }

    private const int SigInt = 2;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Stops it and returns what it printed.</summary>
    public CommandResult Stop()
    {
        Kill();
        return WaitForExit(TimeSpan.FromSeconds(5));
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
