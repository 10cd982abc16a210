using Router.Hal;

namespace Router.Tests.Support;

/// <summary>
/// A network interface for load tests and benchmarks: never receives, and Send only counts (and, when asked, keeps a
/// copy of the last frame in a preallocated buffer), so sending costs next to nothing and allocates nothing.
/// </summary>
public sealed class CountingInterface : TestInterface
{
    public readonly byte[] LastFrame = new byte[1514];
    public bool KeepLastFrame;
    public long FramesSent;
    public int LastLength;

    public CountingInterface(byte[] mac) : base(mac) { }

    public override ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length)
    {
        length = 0;
        return ReceiveResult.NoFrame;
    }

    public override bool Send(byte[] buffer, int offset, int length)
    {
        FramesSent++;
        LastLength = length;
        if (KeepLastFrame) System.Buffer.BlockCopy(buffer, offset, LastFrame, 0, length);
        return true;
    }
}
