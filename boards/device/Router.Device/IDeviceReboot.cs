namespace Router.Device
{
    /// <summary>Restarts the board when the web UI asks (a new LAN address, a restored backup): each platform's own call.</summary>
    public interface IDeviceReboot
    {
        void Reboot();
    }
}
