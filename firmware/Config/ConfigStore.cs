using Router.Hal;
using Router.Storage;
using Router.Wire;

namespace Router.Config
{
    /// <summary>
    /// Keeps the configuration in two flash slots, each a whole number of sectors, written alternately. An image is a
    /// 16-byte header (magic, format version, flags, generation, payload length), the payload (<see cref="ConfigCodec"/>)
    /// and a CRC-32 of both. A save encodes, erases the slot not holding the configuration in force, programs it in
    /// pages with the CRC last, and reads it back; only then does the new generation count. At boot the valid image
    /// with the highest generation wins, so a power cut at any point leaves either the old or the new configuration.
    /// On the packet loop a save runs one flash operation per tick (<see cref="BeginSave"/>, <see cref="Step"/>): a
    /// sector erase stalls every managed thread on nanoCLR, so no tick does more than one. A factory reset is the same
    /// job with one more phase (<see cref="BeginFactoryReset"/>): once the defaults are stored, it erases the other slot.
    /// The defaults' image carries <see cref="FlagOtherSlotBlank"/>, so a power cut during that erase is finished at boot
    /// (<see cref="Load"/>): once a reset's defaults are stored, no old setting outlives the next boot.
    /// </summary>
    public sealed class ConfigStore
    {
        public const uint Magic = 0x52544346; // "RTCF"
        public const int HeaderLength = 16;
        public const int CrcLength = 4;
        public const int ImageOverhead = HeaderLength + CrcLength;
        /// <summary>Bytes programmed per operation, a typical NOR page.</summary>
        public const int ProgramChunk = 256;
        /// <summary>Offset of the header's flags (u16; written as 0, "reserved", before the flag below existed).</summary>
        public const int FlagsOffset = 6;
        /// <summary>
        /// Header flag: a factory reset wrote this image, so the other slot must hold nothing. While this image is the
        /// newest valid one, boot erases whatever the other slot still holds (a reset whose erase a power cut stopped).
        /// Images without it (every older one: the field was 0) load as before; the next ordinary save writes none.
        /// </summary>
        public const int FlagOtherSlotBlank = 0x0001;

        private readonly IFlash _flash;
        private readonly int _firstSector;
        private readonly int _sectorsPerSlot;
        private readonly int _slotBytes;
        private readonly byte[] _image;
        private readonly byte[] _readBack = new byte[ProgramChunk];
        private readonly ConfigWriter _writer = new ConfigWriter();
        private readonly ConfigReader _reader = new ConfigReader();
        private readonly bool[] _valid = new bool[2];
        private readonly uint[] _generation = new uint[2];
        private readonly int[] _version = new int[2];
        private readonly int[] _payloadLength = new int[2];
        private bool _scanned;
        private int _currentSlot = -1;

        private const int Idle = 0, Erasing = 1, Programming = 2, Committing = 3, Verifying = 4, ErasingOther = 5;
        /// <summary>The save in progress: its phase, the step within it, the slot written, and what it writes.</summary>
        private int _phase;
        /// <summary>The save in progress is a factory reset: after it is stored, the other slot is erased.</summary>
        private bool _eraseOther;
        private int _step;
        private int _target;
        private int _length;
        private int _pendingPayload;
        private uint _pendingGeneration;
        private readonly SaveResult _last = new SaveResult();

        /// <summary>Uses <paramref name="sectorCount"/> sectors from <paramref name="firstSector"/>: half for each slot.</summary>
        public ConfigStore(IFlash flash, int firstSector, int sectorCount)
        {
            if (sectorCount < 2 || (sectorCount & 1) != 0) throw new System.ArgumentException("an even number of sectors, at least 2", "sectorCount");
            if (firstSector < 0 || firstSector + sectorCount > flash.SectorCount) throw new System.ArgumentOutOfRangeException("firstSector");
            _flash = flash;
            _firstSector = firstSector;
            _sectorsPerSlot = sectorCount / 2;
            _slotBytes = _sectorsPerSlot * flash.SectorSize;
            _image = new byte[_slotBytes];
        }

        public int SlotBytes { get { return _slotBytes; } }
        /// <summary>The slot holding the configuration in force, or -1 (none stored, or not loaded yet).</summary>
        public int CurrentSlot { get { return _currentSlot; } }

        /// <summary>Bytes the largest configuration allowed by these capacities needs in a slot.</summary>
        public static int WorstCaseImageBytes(Capacities capacities)
        {
            return ImageOverhead + ConfigCodec.MaxPayloadBytes(capacities.PortForwards, capacities.PortTriggers, capacities.DhcpReservations);
        }

        /// <summary>
        /// Loads the newest valid configuration into <paramref name="into"/>; when there is none, resets it to factory
        /// defaults and says why. Never throws for bad flash contents.
        /// </summary>
        public LoadResult Load(RouterConfig into)
        {
            Scan();
            LoadResult result = new LoadResult();
            int newest = NewestValid(-1);
            for (int attempt = 0; attempt < 2 && newest >= 0; attempt++)
            {
                if (ReadImage(newest) && Decode(newest, into))
                {
                    if ((NetworkOrder.ReadUInt16(_image, FlagsOffset) & FlagOtherSlotBlank) != 0)
                    {
                        result.FinishedFactoryReset = EraseUnlessBlank(1 - newest);
                    }
                    _currentSlot = newest;
                    result.Status = LoadResult.Loaded;
                    result.Slot = newest;
                    result.Generation = _generation[newest];
                    result.StoredVersion = _version[newest];
                    result.OtherSlotDamaged = !_valid[1 - newest] && !IsErased(1 - newest);
                    result.Reason = "loaded generation " + _generation[newest].ToString() + " from slot " + newest.ToString()
                        + (result.Migrated ? " (format " + _version[newest].ToString() + " migrated)" : "")
                        + (result.OtherSlotDamaged ? "; the other slot is damaged (an interrupted save?)" : "")
                        + (result.FinishedFactoryReset ? "; erased what an interrupted factory reset left in the other slot" : "");
                    return result;
                }
                _valid[newest] = false;
                newest = NewestValid(newest);
            }
            into.Reset();
            _currentSlot = -1;
            bool blank = IsErased(0) && IsErased(1);
            result.Status = blank ? LoadResult.Blank : LoadResult.Corrupt;
            result.Reason = blank ? "config flash is blank: factory defaults" : "no valid config in flash: factory defaults";
            return result;
        }

        /// <summary>Writes <paramref name="config"/> as the newest configuration (it should be validated first), all at once (boot, tests).</summary>
        public SaveResult Save(RouterConfig config)
        {
            return RunToEnd(BeginSave(config));
        }

        /// <summary>
        /// <see cref="BeginFactoryReset"/> run to its end at once: the boot-time reset (a button held at boot, the
        /// emulator's flag), when nothing else runs yet.
        /// </summary>
        public SaveResult FactoryReset(RouterConfig defaults)
        {
            return RunToEnd(BeginFactoryReset(defaults));
        }

        /// <summary>Steps the job just begun (if it began) to its end and returns a copy of its outcome.</summary>
        private SaveResult RunToEnd(bool begun)
        {
            if (begun)
            {
                while (!Step()) { }
            }
            SaveResult result = new SaveResult();
            result.Status = _last.Status;
            result.Slot = _last.Slot;
            result.Generation = _last.Generation;
            result.BytesUsed = _last.BytesUsed;
            return result;
        }

        /// <summary>True while a save started by <see cref="BeginSave"/> has flash operations left.</summary>
        public bool Busy { get { return _phase != Idle; } }

        /// <summary>The outcome of the last save once it finished (reused: read it, do not keep it).</summary>
        public SaveResult LastResult { get { return _last; } }

        /// <summary>
        /// Starts a save of <paramref name="config"/> (it should be validated first) that <see cref="Step"/> carries out
        /// one flash operation per call. The image is encoded now, so the config may change afterwards. Returns false,
        /// with <see cref="LastResult"/> saying TooLarge, when it does not fit a slot; nothing is written then. A save
        /// already in progress is finished first.
        /// </summary>
        public bool BeginSave(RouterConfig config)
        {
            return Begin(config, false);
        }

        /// <summary>
        /// Starts a factory reset: a save of <paramref name="defaults"/> (<see cref="BeginSave"/>) and then, once they
        /// are stored and verified, an erase of the other slot one sector per <see cref="Step"/>, so no old setting
        /// (such as the admin credential) stays in flash. <see cref="Step"/> returns true only after the last erase. A
        /// power cut before the commit boots the old configuration, after it the defaults (they are the newer); a save
        /// that fails erases nothing.
        /// </summary>
        public bool BeginFactoryReset(RouterConfig defaults)
        {
            return Begin(defaults, true);
        }

        private bool Begin(RouterConfig config, bool eraseOther)
        {
            while (Busy) Step();
            Scan();
            _last.Slot = -1;
            _last.Generation = 0;
            _last.BytesUsed = 0;
            int payload = Encode(config);
            if (payload < 0)
            {
                _last.Status = SaveResult.TooLarge;
                return false;
            }
            int current = _currentSlot >= 0 ? _currentSlot : NewestValid(-1);
            _target = current == 0 ? 1 : 0;
            _pendingGeneration = current >= 0 ? _generation[current] + 1 : HighestGeneration() + 1;
            _pendingPayload = payload;
            _length = HeaderLength + payload;
            NetworkOrder.WriteUInt32(_image, 0, Magic);
            NetworkOrder.WriteUInt16(_image, 4, ConfigCodec.CurrentVersion);
            NetworkOrder.WriteUInt16(_image, FlagsOffset, eraseOther ? FlagOtherSlotBlank : 0);
            NetworkOrder.WriteUInt32(_image, 8, _pendingGeneration);
            NetworkOrder.WriteUInt32(_image, 12, (uint)payload);
            NetworkOrder.WriteUInt32(_image, _length, Crc32.Compute(_image, 0, _length));
            _valid[_target] = false;
            _eraseOther = eraseOther;
            _phase = Erasing;
            _step = 0;
            return true;
        }

        /// <summary>
        /// Does the next flash operation of the save in progress: one sector erase, one page programmed, the CRC (the
        /// commit), the read-back, or (factory reset) one sector of the other slot erased. Returns true when the save is
        /// complete (see <see cref="LastResult"/>) or none is in progress. The order is that of a save done at once, so a
        /// power cut between any two steps leaves either the old configuration or, once the CRC landed, the new one.
        /// </summary>
        public bool Step()
        {
            int start = SlotAddress(_target);
            switch (_phase)
            {
                case Erasing:
                    _flash.EraseSector(_firstSector + _target * _sectorsPerSlot + _step);
                    _step++;
                    if (_step == _sectorsPerSlot)
                    {
                        _phase = Programming;
                        _step = 0;
                    }
                    return false;
                case Programming:
                    int at = _step * ProgramChunk;
                    _flash.Program(start + at, _image, at, _length - at < ProgramChunk ? _length - at : ProgramChunk);
                    _step++;
                    if (_step * ProgramChunk >= _length) _phase = Committing;
                    return false;
                case Committing:
                    _flash.Program(start + _length, _image, _length, CrcLength); // the commit: until it lands the image fails its CRC
                    _phase = Verifying;
                    return false;
                case Verifying:
                    _phase = Idle;
                    _last.Slot = _target;
                    _last.Generation = _pendingGeneration;
                    _last.BytesUsed = _length + CrcLength;
                    if (!Verify(start, _length + CrcLength))
                    {
                        _last.Status = SaveResult.VerifyFailed;
                        return true;
                    }
                    _valid[_target] = true;
                    _generation[_target] = _pendingGeneration;
                    _version[_target] = ConfigCodec.CurrentVersion;
                    _payloadLength[_target] = _pendingPayload;
                    _currentSlot = _target;
                    _last.Status = SaveResult.Saved;
                    if (!_eraseOther) return true;
                    _valid[1 - _target] = false; // from here on only the defaults may boot
                    _phase = ErasingOther;
                    _step = 0;
                    return false;
                case ErasingOther:
                    _flash.EraseSector(_firstSector + (1 - _target) * _sectorsPerSlot + _step);
                    _step++;
                    if (_step < _sectorsPerSlot) return false;
                    _phase = Idle;
                    return true;
                default:
                    return true;
            }
        }

        /// <summary>The flash budget (finishes a save in progress first): bytes <paramref name="config"/> takes in a slot, the slot size, and the worst case for its rule and reservation slots.</summary>
        public ConfigUsage Usage(RouterConfig config)
        {
            while (Busy) Step(); // the image buffer holds the save in progress: finish it (not a packet-loop call)
            ConfigUsage usage = new ConfigUsage();
            int payload = Encode(config);
            usage.BytesUsed = payload < 0 ? -1 : ImageOverhead + payload;
            usage.BytesAvailable = _slotBytes;
            usage.WorstCaseBytes = ImageOverhead + ConfigCodec.MaxPayloadBytes(config.Forwards.Length, config.Triggers.Length, config.Dhcp.Reservations.Capacity);
            return usage;
        }

        /// <summary>Encodes the payload behind the header space; returns its length, or -1 when it does not fit a slot.</summary>
        private int Encode(RouterConfig config)
        {
            _writer.Reset(_image, HeaderLength, _slotBytes - CrcLength);
            ConfigCodec.Encode(config, _writer);
            return _writer.Overflow ? -1 : _writer.Position - HeaderLength;
        }

        private void Scan()
        {
            if (_scanned) return;
            for (int slot = 0; slot < 2; slot++) _valid[slot] = ReadImage(slot);
            _scanned = true;
        }

        /// <summary>Reads a slot's image into the buffer and checks header and CRC, recording what it found.</summary>
        private bool ReadImage(int slot)
        {
            int start = SlotAddress(slot);
            _flash.Read(start, _image, 0, HeaderLength);
            int version = NetworkOrder.ReadUInt16(_image, 4);
            uint payload = NetworkOrder.ReadUInt32(_image, 12);
            if (NetworkOrder.ReadUInt32(_image, 0) != Magic || version < ConfigCodec.Version1 || version > ConfigCodec.CurrentVersion) return false;
            if (payload > (uint)(_slotBytes - ImageOverhead)) return false;
            int length = HeaderLength + (int)payload;
            _flash.Read(start + HeaderLength, _image, HeaderLength, (int)payload + CrcLength);
            if (Crc32.Compute(_image, 0, length) != NetworkOrder.ReadUInt32(_image, length)) return false;
            _generation[slot] = NetworkOrder.ReadUInt32(_image, 8);
            _version[slot] = version;
            _payloadLength[slot] = (int)payload;
            return true;
        }

        private bool Decode(int slot, RouterConfig into)
        {
            _reader.Reset(_image, HeaderLength, HeaderLength + _payloadLength[slot]);
            return ConfigCodec.Decode(_reader, _version[slot], into);
        }

        private bool Verify(int start, int length)
        {
            uint crc = Crc32.Initial;
            for (int at = 0; at < length; at += ProgramChunk)
            {
                int count = length - at < ProgramChunk ? length - at : ProgramChunk;
                _flash.Read(start + at, _readBack, 0, count);
                for (int i = 0; i < count; i++)
                {
                    if (_readBack[i] != _image[at + i]) return false;
                }
                int covered = length - CrcLength - at; // the stored CRC is not part of what it covers
                if (covered > 0) crc = Crc32.Update(crc, _readBack, 0, covered < count ? covered : count);
            }
            return Crc32.Finish(crc) == NetworkOrder.ReadUInt32(_image, length - CrcLength);
        }

        /// <summary>The valid slot with the newer generation, leaving out <paramref name="excluded"/>; -1 if none.</summary>
        private int NewestValid(int excluded)
        {
            int best = -1;
            for (int slot = 0; slot < 2; slot++)
            {
                if (slot == excluded || !_valid[slot]) continue;
                if (best < 0 || (int)(_generation[slot] - _generation[best]) > 0) best = slot;
            }
            return best;
        }

        private uint HighestGeneration()
        {
            int newest = NewestValid(-1);
            return newest < 0 ? 0 : _generation[newest];
        }

        /// <summary>
        /// Boot only: erases each sector of <paramref name="slot"/> that holds anything but 0xFF (the whole sector is read,
        /// since a cut erase may have cleared the header and left the rest). Returns whether it erased any.
        /// </summary>
        private bool EraseUnlessBlank(int slot)
        {
            bool erased = false;
            int sectorSize = _flash.SectorSize;
            for (int sector = 0; sector < _sectorsPerSlot; sector++)
            {
                int start = SlotAddress(slot) + sector * sectorSize;
                for (int at = 0; at < sectorSize; at += ProgramChunk)
                {
                    int count = sectorSize - at < ProgramChunk ? sectorSize - at : ProgramChunk;
                    if (IsBlank(start + at, count)) continue;
                    _flash.EraseSector(_firstSector + slot * _sectorsPerSlot + sector);
                    erased = true;
                    break;
                }
            }
            _valid[slot] = false;
            return erased;
        }

        private bool IsBlank(int address, int count)
        {
            _flash.Read(address, _readBack, 0, count);
            for (int i = 0; i < count; i++)
            {
                if (_readBack[i] != 0xFF) return false;
            }
            return true;
        }

        /// <summary>The slot's header is all 0xFF (never written, or erased).</summary>
        private bool IsErased(int slot)
        {
            return IsBlank(SlotAddress(slot), HeaderLength);
        }

        private int SlotAddress(int slot)
        {
            return (_firstSector + slot * _sectorsPerSlot) * _flash.SectorSize;
        }
    }
}
