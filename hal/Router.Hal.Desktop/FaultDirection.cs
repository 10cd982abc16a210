using System;

namespace Router.Hal.Desktop;

/// <summary>Which traffic a <see cref="FaultInjector"/> tampers with.</summary>
[Flags]
public enum FaultDirection
{
    None = 0,
    /// <summary>Frames coming out of the wrapped interface's <c>Receive</c>.</summary>
    Receive = 1,
    /// <summary>Frames handed to the wrapped interface's <c>Send</c>.</summary>
    Send = 2,
    Both = Receive | Send,
}
