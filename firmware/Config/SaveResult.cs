namespace Router.Config
{
    /// <summary>The outcome of a save. When it failed, the previous configuration is still the one that boots.</summary>
    public sealed class SaveResult
    {
        public const int Saved = 0;
        /// <summary>The encoded configuration does not fit a slot; nothing was written.</summary>
        public const int TooLarge = 1;
        /// <summary>Reading the slot back did not give what was written (worn or failing flash).</summary>
        public const int VerifyFailed = 2;
        /// <summary>The configuration did not validate; nothing was written (see <see cref="Validation"/>).</summary>
        public const int Invalid = 3;
        /// <summary>No config store is attached.</summary>
        public const int NoStore = 4;

        public int Status;
        public int Slot = -1;
        public uint Generation;
        /// <summary>Bytes of the image written (header, payload and CRC).</summary>
        public int BytesUsed;
        public ValidationResult Validation = ValidationResult.Valid;

        public bool Succeeded { get { return Status == Saved; } }
    }
}
