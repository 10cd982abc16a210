namespace Router.Hal
{
    /// <summary>Random numbers for port selection, salts and tokens. Boards back it with their hardware RNG.</summary>
    public interface IRandomSource
    {
        uint NextUInt32();

        void NextBytes(byte[] buffer, int offset, int count);
    }
}
