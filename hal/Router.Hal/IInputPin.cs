namespace Router.Hal
{
    /// <summary>
    /// A GPIO input, mirroring nanoFramework's GpioPin opened as Input/InputPullUp with a ValueChanged handler for
    /// falling edges (an active-low interrupt line such as a W5500's INTn).
    /// </summary>
    public interface IInputPin
    {
        /// <summary>The line's level now: true = high.</summary>
        bool Read();

        /// <summary>
        /// Registers the object told on each high-to-low transition (one listener; null removes it). It may be called
        /// from the GPIO event thread: set a flag, nothing more. Edges can be missed; re-check the level.
        /// </summary>
        void SetFallingEdgeListener(IPinEdgeListener listener);
    }
}
