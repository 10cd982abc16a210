namespace Router.Hal
{
    /// <summary>
    /// Read-only files kept outside the managed heap (the web UI's gzip-compressed pages): on a board the application
    /// image in flash, on the desktop the firmware assembly's embedded resources. Callers read a slice at a time into a
    /// buffer they own, so no file is ever held whole in RAM.
    /// </summary>
    public interface IAssetSource
    {
        /// <summary>Bytes in asset <paramref name="asset"/> (an index the caller and the source agree on).</summary>
        int Length(int asset);

        /// <summary>
        /// Copies up to <paramref name="count"/> bytes of asset <paramref name="asset"/>, from byte
        /// <paramref name="offset"/> on, into <paramref name="buffer"/> at <paramref name="bufferOffset"/>. Returns how
        /// many were copied: fewer only at the asset's end, 0 there or when the asset cannot be read.
        /// </summary>
        int Read(int asset, int offset, byte[] buffer, int bufferOffset, int count);
    }
}
