using Router.Hal;
using Router.Storage;
using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>
    /// Leases on NOR flash in two slots written alternately, each one or more whole sectors of its own (separate from
    /// the configuration). A slot holds a snapshot: a 16-byte header (magic, sequence, count, record size, CRC-32 of
    /// everything after the magic) and 12-byte records (MAC, address, state, spare). A save erases the older slot,
    /// programs the records, then the header last, so a power cut mid-write leaves that slot without a valid header
    /// and the other slot still holds the previous snapshot. Load takes the valid slot with the newer sequence.
    /// Wear: one slot erase per save; the <see cref="BatchedLeaseWriter"/> bounds saves to one per interval, and
    /// only when a binding changed. On the packet loop a save is one flash operation per tick (<see cref="BeginSave"/>,
    /// <see cref="Step"/>) in the same order, so a power cut between any two ticks is a cut between two operations.
    /// </summary>
    public sealed class FlashLeaseStore : ILeaseStore
    {
        public const uint Magic = 0x44484C31; // "DHL1"
        public const int HeaderLength = 16;
        public const int RecordLength = 12;
        public const int Slots = 2;

        private readonly IFlash _flash;
        private readonly int _firstSector;
        private readonly int _sectorsPerSlot;
        private readonly byte[] _image;
        private uint _sequence;

        /// <summary>Bytes of records programmed per loop tick, a typical NOR page.</summary>
        public const int ProgramChunk = 256;
        private const int Idle = 0, Erasing = 1, Programming = 2, Committing = 3;
        /// <summary>The save in progress: phase, step within it, the slot's first sector, the image length; how the last one ended.</summary>
        private int _phase;
        private int _step;
        private int _first;
        private int _length;
        private bool _lastSucceeded;

        /// <summary>Uses <see cref="SectorsNeeded"/> sectors from <paramref name="firstSector"/> for a table of <paramref name="leaseCapacity"/> entries.</summary>
        public FlashLeaseStore(IFlash flash, int firstSector, int leaseCapacity)
        {
            _flash = flash;
            _firstSector = firstSector;
            _image = new byte[HeaderLength + leaseCapacity * RecordLength];
            _sectorsPerSlot = (_image.Length + flash.SectorSize - 1) / flash.SectorSize;
            if (firstSector < 0 || firstSector + Slots * _sectorsPerSlot > flash.SectorCount)
            {
                throw new System.ArgumentException("lease store does not fit in the flash");
            }
        }

        /// <summary>Sectors the store occupies for a table of <paramref name="leaseCapacity"/> entries.</summary>
        public static int SectorsNeeded(int leaseCapacity, int sectorSize)
        {
            return Slots * ((HeaderLength + leaseCapacity * RecordLength + sectorSize - 1) / sectorSize);
        }

        public bool Load(DhcpLeaseTable table, uint boundExpires)
        {
            int best = -1;
            uint bestSequence = 0;
            for (int slot = 0; slot < Slots; slot++)
            {
                if (!ReadValid(slot)) continue;
                uint sequence = NetworkOrder.ReadUInt32(_image, 4);
                if (best < 0 || (int)(sequence - bestSequence) > 0)
                {
                    best = slot;
                    bestSequence = sequence;
                }
            }
            if (best < 0) return false;
            ReadValid(best);
            _sequence = bestSequence;
            int count = NetworkOrder.ReadUInt16(_image, 8);
            for (int i = 0; i < count; i++)
            {
                int at = HeaderLength + i * RecordLength;
                int state = _image[at + 10];
                if (state != DhcpLeaseTable.Bound && state != DhcpLeaseTable.Released) continue;
                int entry = table.Claim(0);
                if (entry < 0) break;
                table.Set(entry, state, _image, at, NetworkOrder.ReadUInt32(_image, at + 6), state == DhcpLeaseTable.Bound ? boundExpires : 0);
            }
            table.MarkClean();
            return true;
        }

        /// <summary>Saves at once (boot, tests).</summary>
        public bool Save(DhcpLeaseTable table)
        {
            BeginSave(table);
            while (!Step()) { }
            return _lastSucceeded;
        }

        public bool Busy { get { return _phase != Idle; } }

        public bool LastSaveSucceeded { get { return _lastSucceeded; } }

        public void BeginSave(DhcpLeaseTable table)
        {
            int count = 0;
            for (int i = 0; i < table.Capacity; i++)
            {
                if (!table.IsPersisted(i)) continue;
                int at = HeaderLength + count * RecordLength;
                System.Array.Copy(table.MacBuffer, DhcpLeaseTable.MacOffset(i), _image, at, MacAddress.Length);
                NetworkOrder.WriteUInt32(_image, at + 6, table.Address(i));
                _image[at + 10] = (byte)table.State(i);
                _image[at + 11] = 0;
                count++;
            }
            _sequence++;
            NetworkOrder.WriteUInt32(_image, 0, Magic);
            NetworkOrder.WriteUInt32(_image, 4, _sequence);
            NetworkOrder.WriteUInt16(_image, 8, count);
            NetworkOrder.WriteUInt16(_image, 10, RecordLength);
            _length = HeaderLength + count * RecordLength;
            NetworkOrder.WriteUInt32(_image, 12, Crc(_length));
            // Odd sequences go to slot 1, even to slot 0: always the slot not holding the newest snapshot.
            _first = _firstSector + (int)(_sequence & 1) * _sectorsPerSlot;
            _phase = Erasing;
            _step = 0;
        }

        /// <summary>
        /// One flash operation of the save in progress: a sector erase, one page of records, or the header (last, the
        /// commit). Returns true when the save is over (see <see cref="LastSaveSucceeded"/>) or none is in progress.
        /// </summary>
        public bool Step()
        {
            try
            {
                int address = _first * _flash.SectorSize;
                switch (_phase)
                {
                    case Erasing:
                        _flash.EraseSector(_first + _step);
                        _step++;
                        if (_step < _sectorsPerSlot) return false;
                        _phase = _length > HeaderLength ? Programming : Committing;
                        _step = 0;
                        return false;
                    case Programming:
                        int at = HeaderLength + _step * ProgramChunk;
                        _flash.Program(address + at, _image, at, _length - at < ProgramChunk ? _length - at : ProgramChunk);
                        _step++;
                        if (HeaderLength + _step * ProgramChunk >= _length) _phase = Committing;
                        return false;
                    case Committing:
                        _flash.Program(address, _image, 0, HeaderLength);
                        _phase = Idle;
                        _lastSucceeded = true;
                        return true;
                    default:
                        return true;
                }
            }
            catch (System.Exception)
            {
                // A failing flash must not stop the router; the other slot still holds the previous snapshot.
                _phase = Idle;
                _lastSucceeded = false;
                return true;
            }
        }

        /// <summary>Reads a slot into the image; true when its header and CRC hold.</summary>
        private bool ReadValid(int slot)
        {
            int address = (_firstSector + slot * _sectorsPerSlot) * _flash.SectorSize;
            _flash.Read(address, _image, 0, HeaderLength);
            if (NetworkOrder.ReadUInt32(_image, 0) != Magic || NetworkOrder.ReadUInt16(_image, 10) != RecordLength) return false;
            int count = NetworkOrder.ReadUInt16(_image, 8);
            if (HeaderLength + count * RecordLength > _image.Length) return false;
            int length = HeaderLength + count * RecordLength;
            _flash.Read(address + HeaderLength, _image, HeaderLength, length - HeaderLength);
            return NetworkOrder.ReadUInt32(_image, 12) == Crc(length);
        }

        private uint Crc(int length)
        {
            uint crc = Crc32.Update(Crc32.Initial, _image, 4, 8);
            return Crc32.Finish(Crc32.Update(crc, _image, HeaderLength, length - HeaderLength));
        }
    }
}
