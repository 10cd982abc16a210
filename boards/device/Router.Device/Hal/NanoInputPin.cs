using System.Device.Gpio;
using Router.Hal;

namespace Router.Device.Hal
{
    /// <summary>
    /// <see cref="IInputPin"/> over a <see cref="GpioPin"/> opened as input with pull-up (an active-low INTn line);
    /// falling edges reach the listener through <see cref="GpioPin.ValueChanged"/> on nanoFramework's GPIO event thread.
    /// </summary>
    public sealed class NanoInputPin : IInputPin
    {
        private readonly GpioPin _pin;
        private IPinEdgeListener _listener;

        public NanoInputPin(GpioController gpio, int pinNumber)
        {
            // Pull-up where the pin has one (ESP32 GPIO34-39 have none: the W5500 drives INTn itself).
            PinMode mode = gpio.IsPinModeSupported(pinNumber, PinMode.InputPullUp) ? PinMode.InputPullUp : PinMode.Input;
            _pin = gpio.OpenPin(pinNumber, mode);
            _pin.ValueChanged += OnValueChanged;
        }

        public bool Read()
        {
            return _pin.Read() == PinValue.High;
        }

        public void SetFallingEdgeListener(IPinEdgeListener listener)
        {
            _listener = listener;
        }

        private void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            IPinEdgeListener listener = _listener;
            if (e.ChangeType == PinEventTypes.Falling && listener != null) listener.OnFallingEdge();
        }
    }
}
