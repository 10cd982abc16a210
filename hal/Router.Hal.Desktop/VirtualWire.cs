using System;

namespace Router.Hal.Desktop;

/// <summary>
/// An in-memory Ethernet cable: two <see cref="VirtualPort"/>s, each delivering what it sends into the other's receive queue.
/// All buffers are allocated by <see cref="Create"/>; moving frames allocates nothing.
/// Thread-safety: see <see cref="VirtualPort"/> (each direction is single producer, single consumer).
/// </summary>
public sealed class VirtualWire
{
    /// <summary>Largest Ethernet II frame with one VLAN tag, without FCS (MTU 1500 + 14 header + 4 tag).</summary>
    public const int DefaultMaxFrameBytes = 1518;

    private VirtualWire(VirtualPort a, VirtualPort b)
    {
        A = a;
        B = b;
    }

    public VirtualPort A { get; }

    public VirtualPort B { get; }

    /// <summary>
    /// Creates a connected pair of ports. <paramref name="maxFrameBytes"/> is the largest whole frame (headers included, no FCS)
    /// a slot holds; <paramref name="queueDepth"/> is how many frames each direction buffers before <c>Send</c> returns false.
    /// </summary>
    public static VirtualWire Create(int maxFrameBytes, int queueDepth, byte[] macA, byte[] macB)
    {
        if (maxFrameBytes < 14) throw new ArgumentOutOfRangeException(nameof(maxFrameBytes));
        var a = new VirtualPort(macA, maxFrameBytes, queueDepth);
        var b = new VirtualPort(macB, maxFrameBytes, queueDepth);
        a.ConnectTo(b);
        b.ConnectTo(a);
        return new VirtualWire(a, b);
    }

    /// <summary>Plugs (true) or unplugs (false) the cable: sets the link state of both ends.</summary>
    public bool IsLinkUp
    {
        get => A.IsLinkUp && B.IsLinkUp;
        set
        {
            A.IsLinkUp = value;
            B.IsLinkUp = value;
        }
    }
}
