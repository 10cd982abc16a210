namespace Router.Hal
{
    /// <summary>
    /// An Ethernet port (a MAC with its PHY). Frames move through caller-owned buffers so the packet loop never allocates.
    /// Frames are complete Ethernet II frames without preamble or FCS.
    /// </summary>
    /// <remarks>
    /// Threading: the router loop calls every member except the listener callback from one thread. A device may invoke
    /// <see cref="IFrameReadyListener.OnFrameReady"/> from another thread (an interrupt-pin event).
    /// No member throws on the per-frame path: bad frames and chip faults are named results and device counters.
    /// </remarks>
    public interface INetworkInterface
    {
        /// <summary>The port's 6-byte station address. The array is the device's own; read it, do not write it.</summary>
        byte[] MacAddress { get; }

        /// <summary>
        /// Programs the station address (6 bytes at <paramref name="offset"/>) into the MAC and its receive filter.
        /// Not a per-frame call: it may allocate or touch the chip's registers.
        /// </summary>
        void SetMacAddress(byte[] mac, int offset);

        /// <summary>Which destination addresses the MAC passes up (see <see cref="ReceiveFilter"/>).</summary>
        ReceiveFilter Filter { get; }

        /// <summary>
        /// Programs the receive filter. A device applies the closest filter it supports that passes at least the
        /// requested frames (<see cref="Filter"/> then says what it applied); the data plane checks addresses anyway.
        /// </summary>
        void SetReceiveFilter(ReceiveFilter filter);

        /// <summary>Largest frame, in bytes without FCS, the device receives and sends (1514 for untagged Ethernet).</summary>
        int MaxFrameLength { get; }

        /// <summary>What the device can do beyond the basics (frame-ready signal, link detection, hardware filter).</summary>
        InterfaceCapabilities Capabilities { get; }

        /// <summary>True while the PHY reports link. Devices without link detection report true.</summary>
        bool IsLinkUp { get; }

        /// <summary>Link down-to-up transitions seen since start (not counting the first link-up after bring-up).</summary>
        int LinkUpCount { get; }

        /// <summary>Link up-to-down transitions seen since start.</summary>
        int LinkDownCount { get; }

        /// <summary>
        /// A hint for the poll loop: false only when the device knows no frame is waiting (for example, no interrupt
        /// since the receive queue was last drained). Devices without a frame-ready signal always report true.
        /// Reading it is cheap: no bus transaction.
        /// </summary>
        bool FrameReady { get; }

        /// <summary>
        /// Registers the object told when a frame may have arrived (one listener; null removes it). Devices without
        /// <see cref="InterfaceCapabilities.FrameReadySignal"/> never call it: poll instead. The call may come from an
        /// interrupt thread and must only set a flag or wake the loop.
        /// </summary>
        void SetFrameReadyListener(IFrameReadyListener listener);

        /// <summary>
        /// Copies the next received frame into <paramref name="buffer"/> at <paramref name="offset"/> and sets
        /// <paramref name="length"/> to its length when the result is <see cref="ReceiveResult.Frame"/> (0 otherwise).
        /// A frame longer than <paramref name="capacity"/> is discarded and reported as <see cref="ReceiveResult.DroppedOversize"/>.
        /// Never blocks (beyond bounded bus transactions) and never throws for anything the chip or the wire does.
        /// </summary>
        ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length);

        /// <summary>
        /// Transmits one frame of <paramref name="length"/> bytes at <paramref name="offset"/>. Returns false when the
        /// frame was not accepted (link down, no room, too long, chip fault; the device counts why).
        /// Buffer ownership: the device reads the caller's bytes during the call only and keeps no reference; when Send
        /// returns the caller may reuse or overwrite the buffer at once. The device never writes to it.
        /// </summary>
        bool Send(byte[] buffer, int offset, int length);
    }
}
