using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Router.Hal.Desktop;

/// <summary>
/// Runs code inside a named Linux network namespace (as <c>ip netns add</c> makes under /var/run/netns). Sockets and
/// TAP descriptors opened there stay in that namespace and can be used from any thread afterwards.
/// </summary>
public static class NetworkNamespace
{
    private const int OCloExec = 0x80000;
    private const int CloneNewNet = 0x40000000;

    /// <summary>Runs <paramref name="action"/> on a fresh thread that joined the namespace (setns is per thread, and the thread ends with it).</summary>
    public static T Run<T>(string name, Func<T> action)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Network namespaces need Linux.");
        T result = default;
        Exception failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(name);
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null) throw failure;
        return result;
    }

    private static void Enter(string name)
    {
        string path = "/var/run/netns/" + name;
        int fd = Open(path, OCloExec);
        if (fd < 0) throw new IOException($"cannot open network namespace {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (SetNs(fd, CloneNewNet) < 0) throw new IOException($"setns {name} failed: errno {Marshal.GetLastPInvokeError()} (needs root)");
        }
        finally
        {
            Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int namespaceType);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
