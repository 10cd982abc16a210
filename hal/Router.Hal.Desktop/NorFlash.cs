using System;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>
/// NOR flash semantics over an in-memory image: erase sets a sector to 0xFF, program may only clear bits
/// (setting a bit 0 to 1 throws <see cref="FlashProgramException"/> and changes nothing), all accesses are bounds-checked.
/// Subclasses decide where the image lives via <see cref="OnErased"/> and <see cref="OnProgrammed"/>.
/// </summary>
/// <remarks>Thread-safety: operations are serialised by a lock.</remarks>
public abstract class NorFlash : IFlash
{
    private readonly byte[] _image;
    private readonly long[] _sectorErases;
    private readonly object _gate = new object();

    protected NorFlash(int sectorSize, int sectorCount, byte[] initialImage = null)
    {
        if (sectorSize <= 0) throw new ArgumentOutOfRangeException(nameof(sectorSize));
        if (sectorCount <= 0) throw new ArgumentOutOfRangeException(nameof(sectorCount));
        long size = (long)sectorSize * sectorCount;
        if (size > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(sectorCount), "Flash larger than 2 GiB.");
        SectorSize = sectorSize;
        SectorCount = sectorCount;
        if (initialImage != null)
        {
            if (initialImage.Length != size) throw new ArgumentException($"Image is {initialImage.Length} bytes, geometry needs {size}.", nameof(initialImage));
            _image = initialImage;
        }
        else
        {
            _image = new byte[size];
            _image.AsSpan().Fill(0xFF);
        }
        _sectorErases = new long[sectorCount];
    }

    public int SectorSize { get; }

    public int SectorCount { get; }

    /// <summary>Total size in bytes.</summary>
    public int Size => _image.Length;

    /// <summary>Completed erase operations.</summary>
    public long EraseCount { get; private set; }

    /// <summary>Completed program operations.</summary>
    public long ProgramCount { get; private set; }

    /// <summary>Bytes written by completed program operations.</summary>
    public long BytesProgrammed { get; private set; }

    /// <summary>Completed erases of one sector (wear).</summary>
    public long GetSectorEraseCount(int sector)
    {
        CheckSector(sector);
        lock (_gate) return _sectorErases[sector];
    }

    /// <summary>The whole image (read-only view; for tests and inspection).</summary>
    public ReadOnlySpan<byte> Image => _image;

    /// <summary>The image bytes, for subclasses that persist them.</summary>
    protected byte[] ImageBytes => _image;

    public void EraseSector(int sector)
    {
        CheckSector(sector);
        lock (_gate)
        {
            _image.AsSpan(sector * SectorSize, SectorSize).Fill(0xFF);
            OnErased(sector * SectorSize, SectorSize);
            _sectorErases[sector]++;
            EraseCount++;
        }
    }

    public void Program(int address, byte[] data, int offset, int count)
    {
        CheckBuffer(data, offset, count);
        CheckRange(address, count);
        lock (_gate)
        {
            int bad = NorProgramRule.FirstViolation(_image, address, data, offset, count);
            if (bad >= 0) throw new FlashProgramException(address + bad, _image[address + bad], data[offset + bad]);
            for (int i = 0; i < count; i++) _image[address + i] &= data[offset + i];
            OnProgrammed(address, count);
            ProgramCount++;
            BytesProgrammed += count;
        }
    }

    public void Read(int address, byte[] buffer, int offset, int count)
    {
        CheckBuffer(buffer, offset, count);
        CheckRange(address, count);
        lock (_gate) Buffer.BlockCopy(_image, address, buffer, offset, count);
    }

    /// <summary>Called (under the lock) after bytes [address, address+count) were erased in the image.</summary>
    protected virtual void OnErased(int address, int count)
    {
    }

    /// <summary>Called (under the lock) after bytes [address, address+count) were programmed in the image.</summary>
    protected virtual void OnProgrammed(int address, int count)
    {
    }

    private void CheckSector(int sector)
    {
        if ((uint)sector >= (uint)SectorCount) throw new ArgumentOutOfRangeException(nameof(sector), $"Sector {sector} outside 0..{SectorCount - 1}.");
    }

    private void CheckRange(int address, int count)
    {
        if (address < 0 || (long)address + count > _image.Length)
            throw new ArgumentOutOfRangeException(nameof(address), $"Flash range 0x{address:X8}+{count} outside 0..0x{_image.Length:X8}.");
    }

    private static void CheckBuffer(byte[] buffer, int offset, int count)
    {
        if (buffer == null) throw new ArgumentNullException(nameof(buffer));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        if (offset < 0 || (long)offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(offset));
    }
}
