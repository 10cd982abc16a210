namespace Router.Hal
{
    /// <summary>
    /// One device on an SPI bus with its own chip-select line, mirroring nanoFramework's System.Device.Spi.SpiDevice:
    /// every call is exactly one transaction, chip select asserted for the whole call and released at its end.
    /// Buffers are caller-owned byte[] slices (the board adapter turns them into SpanByte or passes them on).
    /// </summary>
    /// <remarks>
    /// Per-frame calls: implementations must not allocate. Bus mode, clock and bit order are fixed by the board when it
    /// creates the device (W5500: mode 0, MSB first).
    /// </remarks>
    public interface ISpiDevice
    {
        /// <summary>Shifts out <paramref name="count"/> bytes from <paramref name="buffer"/>; whatever comes back is discarded.</summary>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>
        /// Full duplex: shifts out <paramref name="count"/> bytes from <paramref name="writeBuffer"/> while shifting the same
        /// number of bytes into <paramref name="readBuffer"/> (byte i read is clocked with byte i written).
        /// The two slices may be in the same array but must not overlap.
        /// </summary>
        void TransferFullDuplex(byte[] writeBuffer, int writeOffset, byte[] readBuffer, int readOffset, int count);
    }
}
