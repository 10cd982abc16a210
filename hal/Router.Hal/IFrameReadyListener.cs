namespace Router.Hal
{
    /// <summary>Told by an <see cref="INetworkInterface"/> that a frame may be waiting (see <see cref="INetworkInterface.SetFrameReadyListener"/>).</summary>
    public interface IFrameReadyListener
    {
        /// <summary>May run on an interrupt/event thread: set a flag or wake the loop, nothing more.</summary>
        void OnFrameReady(INetworkInterface port);
    }
}
