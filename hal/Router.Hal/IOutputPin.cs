namespace Router.Hal
{
    /// <summary>A GPIO output, mirroring nanoFramework's GpioPin opened as Output (a chip's RSTn line, for example).</summary>
    public interface IOutputPin
    {
        /// <summary>Drives the line: true = high.</summary>
        void Write(bool high);
    }
}
