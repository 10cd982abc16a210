using System;
using System.IO;

namespace Router.Hal.Desktop;

/// <summary>
/// A NOR <see cref="Router.Hal.IFlash"/> persisted in a file of exactly SectorSize * SectorCount bytes. A missing file is
/// created erased (all 0xFF). Every erase and program is written through to the file and flushed before it returns,
/// so a new instance over the same path sees everything a previous one completed. Dispose to close the file.
/// </summary>
public sealed class FileFlash : NorFlash, IDisposable
{
    private readonly FileStream _file;

    private FileFlash(int sectorSize, int sectorCount, byte[] image, FileStream file)
        : base(sectorSize, sectorCount, image)
    {
        _file = file;
    }

    public string Path => _file.Name;

    /// <summary>Opens <paramref name="path"/>, creating it erased if it does not exist. An existing file must match the geometry.</summary>
    public static FileFlash Open(string path, int sectorSize, int sectorCount)
    {
        if (sectorSize <= 0) throw new ArgumentOutOfRangeException(nameof(sectorSize));
        if (sectorCount <= 0) throw new ArgumentOutOfRangeException(nameof(sectorCount));
        long size = (long)sectorSize * sectorCount;
        if (size > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(sectorCount));
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            var image = new byte[size];
            if (file.Length == 0)
            {
                image.AsSpan().Fill(0xFF);
                file.Write(image, 0, image.Length);
                file.Flush();
            }
            else if (file.Length != size)
            {
                throw new InvalidDataException($"Flash file {path} is {file.Length} bytes; geometry {sectorCount} x {sectorSize} needs {size}.");
            }
            else
            {
                file.Position = 0;
                file.ReadExactly(image, 0, image.Length);
            }
            return new FileFlash(sectorSize, sectorCount, image, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    protected override void OnErased(int address, int count) => WriteThrough(address, count);

    protected override void OnProgrammed(int address, int count) => WriteThrough(address, count);

    public void Dispose() => _file.Dispose();

    private void WriteThrough(int address, int count)
    {
        _file.Position = address;
        _file.Write(ImageBytes, address, count);
        _file.Flush();
    }
}
