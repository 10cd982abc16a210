using Meadow.Hardware;
using Router.Hal;

namespace Router.MeadowF7W5500.Hal
{
    /// <summary><see cref="IOutputPin"/> over a Meadow <see cref="IDigitalOutputPort"/> (a W5500's RSTn).</summary>
    public sealed class MeadowOutputPin : IOutputPin
    {
        private readonly IDigitalOutputPort _port;

        public MeadowOutputPin(IDigitalOutputPort port) { _port = port; }

        public void Write(bool high) { _port.State = high; }
    }
}
