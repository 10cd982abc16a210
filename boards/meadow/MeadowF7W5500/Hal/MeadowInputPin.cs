using Meadow.Hardware;
using Router.Hal;

namespace Router.MeadowF7W5500.Hal
{
    /// <summary>
    /// <see cref="IInputPin"/> over a Meadow <see cref="IDigitalInterruptPort"/> opened for falling edges (a W5500's INTn,
    /// active low): each <c>Changed</c> event tells the listener; the level is read from the port.
    /// </summary>
    public sealed class MeadowInputPin : IInputPin
    {
        private readonly IDigitalInterruptPort _port;
        private IPinEdgeListener _listener;

        public MeadowInputPin(IDigitalInterruptPort port)
        {
            _port = port;
            _port.Changed += (sender, result) => _listener?.OnFallingEdge();
        }

        public bool Read() { return _port.State; }

        public void SetFallingEdgeListener(IPinEdgeListener listener) { _listener = listener; }
    }
}
