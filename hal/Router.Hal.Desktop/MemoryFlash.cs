namespace Router.Hal.Desktop;

/// <summary>A NOR <see cref="Router.Hal.IFlash"/> held only in memory, starting erased (all 0xFF).</summary>
public sealed class MemoryFlash : NorFlash
{
    public MemoryFlash(int sectorSize, int sectorCount)
        : base(sectorSize, sectorCount)
    {
    }

    /// <summary>Starts from a copy of an existing image (e.g. one saved from another flash).</summary>
    public MemoryFlash(int sectorSize, int sectorCount, byte[] image)
        : base(sectorSize, sectorCount, (byte[])image.Clone())
    {
    }
}
