using System;
using System.IO;
using Router.Hal;

namespace Router.Device.Hal
{
    /// <summary>
    /// The board's <see cref="IFlash"/>: an image file of SectorSize × SectorCount bytes on a nanoFramework storage drive
    /// (System.IO.FileSystem, e.g. <c>I:\router.flash</c> on the internal flash partition), with NOR semantics enforced
    /// in C#: erase writes 0xFF over the sector, program may only clear bits (<see cref="NorProgramRule"/>; a 0-to-1
    /// request throws and changes nothing), every access is bounds-checked. Each erase and program is flushed before it
    /// returns, so the config store's power-loss ordering holds as far as the file system keeps flushed data.
    /// </summary>
    /// <remarks>Not a per-frame device: configuration saves and DHCP lease updates only. It allocates on open only.</remarks>
    public sealed class FileNorFlash : IFlash
    {
        private const int ChunkSize = 256;
        private readonly FileStream _file;
        private readonly byte[] _chunk = new byte[ChunkSize];
        private readonly int _size;

        /// <summary>
        /// Opens (or creates, erased) the image at <paramref name="path"/>. A file of another size is an error, never
        /// resized: that would lose what it holds.
        /// </summary>
        public FileNorFlash(string path, int sectorSize, int sectorCount)
        {
            if (sectorSize <= 0 || sectorCount <= 0) throw new ArgumentException("Flash geometry must be positive.");
            SectorSize = sectorSize;
            SectorCount = sectorCount;
            _size = sectorSize * sectorCount;
            try
            {
                _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
            }
            catch (IOException e)
            {
                throw new IOException("Cannot open the flash image " + path + ": is drive " + Path.GetPathRoot(path) + " present (SD card in, file system in the image)?", e);
            }
            if (_file.Length == 0)
            {
                for (int s = 0; s < sectorCount; s++) EraseSector(s);
            }
            else if (_file.Length != _size)
            {
                long length = _file.Length;
                _file.Close();
                throw new IOException("Flash image " + path + " is " + length.ToString() + " bytes; this board needs " + _size.ToString() +
                    ". Move it away to start from factory settings.");
            }
        }

        public int SectorSize { get; private set; }

        public int SectorCount { get; private set; }

        public void EraseSector(int sector)
        {
            if (sector < 0 || sector >= SectorCount) throw new ArgumentOutOfRangeException("sector", "Sector " + sector.ToString() + " outside 0.." + (SectorCount - 1).ToString() + ".");
            for (int i = 0; i < ChunkSize; i++) _chunk[i] = 0xFF;
            _file.Seek((long)sector * SectorSize, SeekOrigin.Begin);
            for (int done = 0; done < SectorSize; done += ChunkSize) _file.Write(_chunk, 0, SectorSize - done < ChunkSize ? SectorSize - done : ChunkSize);
            _file.Flush();
        }

        public void Program(int address, byte[] data, int offset, int count)
        {
            CheckAccess(address, data, offset, count);
            // Check every byte first, so a rejected program changes nothing.
            for (int done = 0; done < count; done += ChunkSize)
            {
                int n = count - done < ChunkSize ? count - done : ChunkSize;
                ReadExactly(address + done, _chunk, 0, n);
                int bad = NorProgramRule.FirstViolation(_chunk, 0, data, offset + done, n);
                if (bad >= 0) throw new InvalidOperationException(NorProgramRule.Describe(address + done + bad, _chunk[bad], data[offset + done + bad]));
            }
            for (int done = 0; done < count; done += ChunkSize)
            {
                int n = count - done < ChunkSize ? count - done : ChunkSize;
                ReadExactly(address + done, _chunk, 0, n);
                for (int i = 0; i < n; i++) _chunk[i] &= data[offset + done + i];
                _file.Seek(address + done, SeekOrigin.Begin);
                _file.Write(_chunk, 0, n);
            }
            _file.Flush();
        }

        public void Read(int address, byte[] buffer, int offset, int count)
        {
            CheckAccess(address, buffer, offset, count);
            ReadExactly(address, buffer, offset, count);
        }

        private void ReadExactly(int address, byte[] buffer, int offset, int count)
        {
            _file.Seek(address, SeekOrigin.Begin);
            while (count > 0)
            {
                int n = _file.Read(buffer, offset, count);
                if (n <= 0) throw new IOException("Flash image shorter than its geometry (read at 0x" + address.ToString("X8") + ").");
                offset += n;
                count -= n;
            }
        }

        private void CheckAccess(int address, byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException("buffer");
            if (count < 0 || offset < 0 || offset + count > buffer.Length) throw new ArgumentOutOfRangeException("offset");
            if (address < 0 || address + count > _size)
                throw new ArgumentOutOfRangeException("address", "Flash range 0x" + address.ToString("X8") + "+" + count.ToString() + " outside 0..0x" + _size.ToString("X8") + ".");
        }
    }
}
