namespace Router.Hal
{
    /// <summary>Optional abilities of an <see cref="INetworkInterface"/>; values are bit flags and combine.</summary>
    public enum InterfaceCapabilities
    {
        None = 0,

        /// <summary>The device calls its <see cref="IFrameReadyListener"/> when frames arrive (an interrupt line), so an idle loop need not poll it.</summary>
        FrameReadySignal = 1,

        /// <summary><see cref="INetworkInterface.IsLinkUp"/> follows a real PHY (otherwise it always reports true).</summary>
        LinkDetection = 2,

        /// <summary>The destination filter runs in hardware; frames it rejects never cost a bus transfer.</summary>
        HardwareFilter = 4,
    }
}
