using System;
using Meadow.Hardware;
using Router.Hal;

namespace Router.MeadowF7W5500.Hal
{
    /// <summary>
    /// <see cref="ISpiDevice"/> over Meadow's <see cref="ISpiBus"/>: one chip-select-framed transaction per call, the bus
    /// driving this chip's select (active low) around it. Span views over the caller's array: nothing allocates (Mono).
    /// </summary>
    public sealed class MeadowSpiDevice : ISpiDevice
    {
        private readonly ISpiBus _bus;
        private readonly IDigitalOutputPort _chipSelect;

        public MeadowSpiDevice(ISpiBus bus, IDigitalOutputPort chipSelect)
        {
            _bus = bus;
            _chipSelect = chipSelect;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _bus.Write(_chipSelect, new Span<byte>(buffer, offset, count), ChipSelectMode.ActiveLow);
        }

        public void TransferFullDuplex(byte[] writeBuffer, int writeOffset, byte[] readBuffer, int readOffset, int count)
        {
            _bus.Exchange(_chipSelect, new Span<byte>(writeBuffer, writeOffset, count), new Span<byte>(readBuffer, readOffset, count), ChipSelectMode.ActiveLow);
        }
    }
}
