using Meadow;
using Router.Device;

namespace Router.MeadowF7W5500.Hal
{
    /// <summary><see cref="IDeviceReboot"/>: Meadow OS's reset (<see cref="IPowerController.Reset"/>).</summary>
    public sealed class MeadowReboot : IDeviceReboot
    {
        private readonly IPlatformOS _os;

        public MeadowReboot(IPlatformOS os) { _os = os; }

        public void Reboot() { _os.Reset(); }
    }
}
