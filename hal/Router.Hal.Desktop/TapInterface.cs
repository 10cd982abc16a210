using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>
/// An <see cref="INetworkInterface"/> over a Linux TAP device (<c>/dev/net/tun</c>, IFF_TAP | IFF_NO_PI): every
/// <see cref="Receive"/> is one non-blocking read(2) of one Ethernet frame straight into the caller's buffer, every
/// <see cref="Send"/> one write(2); nothing allocates per frame.
/// </summary>
/// <remarks>
/// The router side of the link is this object, with the MAC address the caller gives; the TAP device's own (kernel
/// side) MAC belongs to the peer, the host whose stack owns the device. The device may live in another network
/// namespace: <see cref="Open"/> then opens it from inside that namespace (<see cref="NetworkNamespace"/>), and the file
/// descriptor keeps working from any thread. Moving the device to another namespace later keeps the descriptor valid too.
/// One thread at a time may call <see cref="Receive"/> and one <see cref="Send"/>.
/// </remarks>
public sealed unsafe class TapInterface : INetworkInterface, IDisposable
{
    private const int ORdWr = 0x2, ONonBlock = 0x800, OCloExec = 0x80000;
    private const int IffTap = 0x0002, IffNoPi = 0x1000;
    private const uint TunSetIff = 0x400454ca; // _IOW('T', 202, int)
    private const int IfNameSize = 16, IfReqSize = 40;
    private const int EAgain = 11, EIntr = 4;
    private const short PollIn = 0x1;

    private readonly byte[] _mac;
    private int _fd;

    private TapInterface(int fd, string name, byte[] macAddress)
    {
        _fd = fd;
        Name = name;
        _mac = (byte[])macAddress.Clone();
    }

    /// <summary>
    /// Attaches to the TAP device <paramref name="name"/> (creating a transient one if it does not exist), as the
    /// router side with MAC <paramref name="macAddress"/>. <paramref name="networkNamespace"/> names a namespace under
    /// /var/run/netns (as <c>ip netns add</c> makes) where the device is looked up or created; null means this process's.
    /// </summary>
    public static TapInterface Open(string name, byte[] macAddress, string networkNamespace = null)
    {
        if (string.IsNullOrEmpty(name) || name.Length >= IfNameSize) throw new ArgumentException($"A TAP name is 1 to {IfNameSize - 1} characters.", nameof(name));
        if (macAddress == null || macAddress.Length != 6) throw new ArgumentException("A MAC address is 6 bytes.", nameof(macAddress));
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("TAP devices need Linux.");
        int fd = networkNamespace == null ? OpenTap(name) : NetworkNamespace.Run(networkNamespace, () => OpenTap(name));
        return new TapInterface(fd, name, macAddress);
    }

    /// <summary>
    /// Parses "NAME" or "NAMESPACE/NAME" (a TAP device inside a named network namespace) and opens it.
    /// </summary>
    public static TapInterface OpenSpec(string spec, byte[] macAddress)
    {
        int slash = spec.IndexOf('/');
        return slash < 0 ? Open(spec, macAddress) : Open(spec[(slash + 1)..], macAddress, spec[..slash]);
    }

    public string Name { get; }

    public byte[] MacAddress => _mac;

    /// <summary>The router side's address is software: the kernel side of the TAP has its own.</summary>
    public void SetMacAddress(byte[] mac, int offset) => Buffer.BlockCopy(mac, offset, _mac, 0, 6);

    /// <summary>A TAP passes everything the kernel side sends; the data plane filters.</summary>
    public ReceiveFilter Filter => ReceiveFilter.Promiscuous;

    public void SetReceiveFilter(ReceiveFilter filter) { }

    public int MaxFrameLength => 1514;

    /// <summary>No frame-ready signal here: host loops wait with <see cref="WaitReadable"/> (poll(2) on the descriptor).</summary>
    public InterfaceCapabilities Capabilities => InterfaceCapabilities.None;

    /// <summary>True while the device is attached (the kernel side sees carrier while a descriptor is open).</summary>
    public bool IsLinkUp => Volatile.Read(ref _fd) >= 0;

    public int LinkUpCount => 0;

    /// <summary>1 once the descriptor is closed.</summary>
    public int LinkDownCount => IsLinkUp ? 0 : 1;

    public bool FrameReady => true;

    public void SetFrameReadyListener(IFrameReadyListener listener) { }

    /// <summary>The file descriptor, for poll(2) in a host loop (see <see cref="WaitReadable"/>).</summary>
    public int FileDescriptor => _fd;

    public long FramesReceived { get; private set; }
    public long FramesSent { get; private set; }
    /// <summary>Frames longer than the receive buffer's capacity, discarded (the kernel truncates them on read).</summary>
    public long ReceiveDropsTooLong { get; private set; }
    /// <summary>Writes the kernel refused (link down, no buffer); the frame is lost as on a real wire.</summary>
    public long SendErrors { get; private set; }
    /// <summary>Reads that failed with an error other than "nothing waiting"; <see cref="LastReceiveErrno"/> has the last errno.</summary>
    public long ReceiveErrors { get; private set; }
    public int LastReceiveErrno { get; private set; }

    public ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length)
    {
        if ((uint)offset > (uint)buffer.Length || (uint)capacity > (uint)(buffer.Length - offset)) throw new ArgumentOutOfRangeException(nameof(capacity));
        length = 0;
        int fd = _fd;
        if (fd < 0) return ReceiveResult.NoFrame;
        while (true)
        {
            nint n;
            fixed (byte* p = buffer) n = Read(fd, p + offset, capacity);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EIntr) continue;
                if (errno == EAgain) return ReceiveResult.NoFrame;
                ReceiveErrors++;
                LastReceiveErrno = errno;
                return ReceiveResult.ChipError;
            }
            // With IFF_NO_PI there is no truncation flag: the kernel returns the whole frame's length even when it copied less.
            if (n > capacity)
            {
                ReceiveDropsTooLong++;
                return ReceiveResult.DroppedOversize;
            }
            if (n == 0) return ReceiveResult.NoFrame;
            FramesReceived++;
            length = (int)n;
            return ReceiveResult.Frame;
        }
    }

    public bool Send(byte[] buffer, int offset, int length)
    {
        if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset)) throw new ArgumentOutOfRangeException(nameof(length));
        int fd = _fd;
        if (fd < 0) return false;
        nint n;
        fixed (byte* p = buffer) n = Write(fd, p + offset, length);
        if (n != length)
        {
            SendErrors++;
            return false;
        }
        FramesSent++;
        return true;
    }

    /// <summary>
    /// Waits until one of the interfaces has a frame to read or <paramref name="timeoutMilliseconds"/> pass; returns at
    /// once when a frame is already waiting. For host loops that must not spin when idle nor sleep when busy.
    /// </summary>
    public static void WaitReadable(TapInterface a, TapInterface b, int timeoutMilliseconds)
    {
        PollFd* fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = a._fd, Events = PollIn };
        fds[1] = new PollFd { Fd = b._fd, Events = PollIn };
        Poll(fds, 2, timeoutMilliseconds);
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) Close(fd);
    }

    private static int OpenTap(string name)
    {
        int fd = OpenFile("/dev/net/tun", ORdWr | ONonBlock | OCloExec);
        if (fd < 0) throw new IOException($"cannot open /dev/net/tun: errno {Marshal.GetLastPInvokeError()} (needs root or CAP_NET_ADMIN)");
        byte* request = stackalloc byte[IfReqSize];
        new Span<byte>(request, IfReqSize).Clear();
        for (int i = 0; i < name.Length; i++) request[i] = (byte)name[i];
        *(short*)(request + IfNameSize) = IffTap | IffNoPi;
        if (Ioctl(fd, TunSetIff, request) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Close(fd);
            throw new IOException($"TUNSETIFF {name} failed: errno {errno} (device busy, not a TAP, or no permission)");
        }
        return fd;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenFile([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(int fd, nuint request, void* argument);

    // read and write on a non-blocking descriptor return at once: skipping the GC transition halves the per-call overhead.
    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    [SuppressGCTransition]
    private static extern nint Read(int fd, byte* buffer, nint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    [SuppressGCTransition]
    private static extern nint Write(int fd, byte* buffer, nint count);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
