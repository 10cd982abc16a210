namespace Router.Config
{
    /// <summary>How much of a config slot a configuration takes (the flash budget shown on the status page).</summary>
    public sealed class ConfigUsage
    {
        /// <summary>Bytes the encoded image needs (header, payload and CRC), or -1 if it cannot be encoded.</summary>
        public int BytesUsed;
        /// <summary>Bytes one slot holds (sector size times sectors per slot).</summary>
        public int BytesAvailable;
        /// <summary>Bytes the largest configuration this board allows would need (every rule slot used, longest names).</summary>
        public int WorstCaseBytes;

        public bool Fits { get { return BytesUsed >= 0 && BytesUsed <= BytesAvailable; } }
    }
}
