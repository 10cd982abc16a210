namespace Router.Hal
{
    /// <summary>
    /// An Ethernet port. Frames move through caller-owned buffers so the packet loop never allocates.
    /// Frames are complete Ethernet II frames without preamble or FCS.
    /// </summary>
    public interface INetworkInterface
    {
        /// <summary>The port's 6-byte MAC address.</summary>
        byte[] MacAddress { get; }

        /// <summary>True while the PHY reports link.</summary>
        bool IsLinkUp { get; }

        /// <summary>
        /// Copies the next received frame into <paramref name="buffer"/> at <paramref name="offset"/>.
        /// Returns its length, or 0 when no frame is waiting. A frame longer than <paramref name="capacity"/> is discarded and 0 returned.
        /// Never blocks.
        /// </summary>
        int Receive(byte[] buffer, int offset, int capacity);

        /// <summary>Queues one frame for transmission. Returns false when the frame was not sent (link down, queue full).</summary>
        bool Send(byte[] buffer, int offset, int length);
    }
}
