namespace Router.Config
{
    /// <summary>What loading the configuration at boot found, so the status page can say why defaults are in force.</summary>
    public sealed class LoadResult
    {
        /// <summary>A stored configuration was loaded.</summary>
        public const int Loaded = 0;
        /// <summary>Both slots erased (first boot): factory defaults.</summary>
        public const int Blank = 1;
        /// <summary>No slot held a valid image (bad magic, version, length or CRC): factory defaults.</summary>
        public const int Corrupt = 2;
        /// <summary>A valid image held settings this board rejects (see <see cref="Reason"/>): factory defaults.</summary>
        public const int Invalid = 3;
        /// <summary>A factory reset was requested at boot: defaults, written as the newest configuration.</summary>
        public const int FactoryReset = 4;

        public int Status;
        /// <summary>The slot loaded from, or -1.</summary>
        public int Slot = -1;
        public uint Generation;
        /// <summary>The format version of the image loaded; older than <see cref="ConfigCodec.CurrentVersion"/> means it was migrated.</summary>
        public int StoredVersion;
        /// <summary>The slot not loaded holds a damaged image (a save was interrupted, or the flash decayed).</summary>
        public bool OtherSlotDamaged;
        /// <summary>
        /// The image loaded was a factory reset's and the other slot still held data (a power cut during the reset's
        /// erase, or a later save cut before its commit): boot erased it before anything else used the flash.
        /// </summary>
        public bool FinishedFactoryReset;
        public string Reason = "";

        public bool UsedDefaults { get { return Status != Loaded; } }
        public bool Migrated { get { return Status == Loaded && StoredVersion < ConfigCodec.CurrentVersion; } }

        public override string ToString()
        {
            return Reason;
        }
    }
}
