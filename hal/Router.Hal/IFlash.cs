namespace Router.Hal
{
    /// <summary>
    /// NOR flash: erasing a sector sets all its bytes to 0xFF; programming can only clear bits (1 to 0).
    /// Programming a bit from 0 back to 1 without an erase is an error the implementation reports by throwing.
    /// </summary>
    public interface IFlash
    {
        int SectorSize { get; }
        int SectorCount { get; }

        /// <summary>Sets every byte of sector <paramref name="sector"/> to 0xFF.</summary>
        void EraseSector(int sector);

        /// <summary>Programs <paramref name="count"/> bytes at absolute flash <paramref name="address"/>.</summary>
        void Program(int address, byte[] data, int offset, int count);

        /// <summary>Reads <paramref name="count"/> bytes at absolute flash <paramref name="address"/>.</summary>
        void Read(int address, byte[] buffer, int offset, int count);
    }
}
