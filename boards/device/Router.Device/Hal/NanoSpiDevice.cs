using System;
using System.Device.Spi;
using Router.Hal;

namespace Router.Device.Hal
{
    /// <summary>
    /// <see cref="ISpiDevice"/> over nanoFramework's <see cref="SpiDevice"/>: one call, one transaction, chip select driven
    /// by the SPI driver (<see cref="SpiConnectionSettings.ChipSelectLine"/>), never from C#.
    /// </summary>
    /// <remarks>
    /// SpanByte built inline at each call, no SpanByte locals or fields (docs/w5500.md, "the nanoFramework SPI adapter"):
    /// with nanoFramework's own SpiDevice and SpanByte underneath, 288 B of nanoCLR garbage per call of either method by
    /// the allocation gate's rules (tools/SpiAdapterCost) — the price of offset + count; no cheaper call of the API exists.
    /// </remarks>
    public sealed class NanoSpiDevice : ISpiDevice
    {
        private readonly SpiDevice _device;

        /// <summary>Opens <paramref name="chipSelect"/> on bus <paramref name="busId"/> in mode 0, MSB first, 8-bit (the W5500's frame).</summary>
        public NanoSpiDevice(int busId, int chipSelect, int clockHz)
        {
            SpiConnectionSettings settings = new SpiConnectionSettings(busId, chipSelect);
            settings.Mode = SpiMode.Mode0;
            settings.DataFlow = DataFlow.MsbFirst;
            settings.DataBitLength = 8;
            settings.ClockFrequency = clockHz;
            _device = SpiDevice.Create(settings);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _device.Write(new SpanByte(buffer, offset, count));
        }

        public void TransferFullDuplex(byte[] writeBuffer, int writeOffset, byte[] readBuffer, int readOffset, int count)
        {
            _device.TransferFullDuplex(new SpanByte(writeBuffer, writeOffset, count), new SpanByte(readBuffer, readOffset, count));
        }
    }
}
