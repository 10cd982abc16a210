using System.Device.Gpio;
using Router.Hal;

namespace Router.Device.Hal
{
    /// <summary><see cref="IOutputPin"/> over a <see cref="GpioPin"/> opened as a push-pull output, starting high (RSTn released).</summary>
    public sealed class NanoOutputPin : IOutputPin
    {
        private readonly GpioPin _pin;

        public NanoOutputPin(GpioController gpio, int pinNumber)
        {
            _pin = gpio.OpenPin(pinNumber, PinMode.Output);
            _pin.Write(PinValue.High);
        }

        public void Write(bool high)
        {
            _pin.Write(high ? PinValue.High : PinValue.Low);
        }
    }
}
