namespace Router.Hal
{
    /// <summary>The outcome of one <see cref="INetworkInterface.Receive"/> call.</summary>
    public enum ReceiveResult
    {
        /// <summary>Nothing waiting: the receive queue is empty (or the device knows no frame has arrived).</summary>
        NoFrame = 0,

        /// <summary>A frame was copied into the caller's buffer; its length is in the out parameter.</summary>
        Frame = 1,

        /// <summary>A frame was waiting but longer than the caller's capacity: it was discarded and counted.</summary>
        DroppedOversize = 2,

        /// <summary>
        /// The chip misbehaved on this call (corrupt length header, command timeout, chip gone). The device counted it
        /// and started its recovery (resynchronise, reset); later calls return frames again once it has recovered.
        /// </summary>
        ChipError = 3,
    }
}
