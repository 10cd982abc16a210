namespace Router.Hal.Desktop;

/// <summary>
/// Something that accepts a frame put on a virtual medium: a <see cref="VirtualPort"/> receiving from its cable,
/// or a <see cref="VirtualSwitch"/> ingress. Implementations copy the frame out before returning and must not allocate.
/// </summary>
public interface IFrameSink
{
    /// <summary>Accepts one frame. Returns false when it was dropped (queue full, link down, too long).</summary>
    bool Deliver(byte[] frame, int offset, int length);
}
