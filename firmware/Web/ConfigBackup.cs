using Router.Config;
using Router.Storage;
using Router.Wire;

namespace Router.Web
{
    /// <summary>
    /// The backup file: "RTBK", the config format version (2 bytes), the payload length (4 bytes), the config store's
    /// own payload encoding, and a CRC-32 of everything before it. Restoring runs the same decoder and validator as boot.
    /// </summary>
    public static class ConfigBackup
    {
        public const uint Magic = 0x5254424B; // "RTBK"
        public const int HeaderBytes = 10;

        /// <summary>Writes the backup of <paramref name="config"/> into the buffer; returns its length, or -1 if it does not fit.</summary>
        public static int Write(RouterConfig config, byte[] buffer)
        {
            ConfigWriter w = new ConfigWriter();
            w.Reset(buffer, HeaderBytes, buffer.Length - 4);
            ConfigCodec.Encode(config, w);
            if (w.Overflow) return -1;
            int payload = w.Position - HeaderBytes;
            w.Reset(buffer, 0, HeaderBytes);
            w.UInt32(Magic);
            w.UInt16(ConfigCodec.CurrentVersion);
            w.UInt32((uint)payload);
            int end = HeaderBytes + payload;
            NetworkOrder.WriteUInt32(buffer, end, Crc32.Compute(buffer, 0, end));
            return end + 4;
        }

        /// <summary>Decodes a backup into <paramref name="into"/>; null on success, else what is wrong with the file.</summary>
        public static string Read(byte[] buffer, int offset, int length, RouterConfig into)
        {
            if (length < HeaderBytes + 4) return "is not a router backup (too short)";
            ConfigReader r = new ConfigReader();
            r.Reset(buffer, offset, offset + HeaderBytes);
            uint magic = r.UInt32();
            int version = r.UInt16();
            uint payload = r.UInt32();
            if (magic != Magic) return "is not a router backup";
            if (payload != (uint)(length - HeaderBytes - 4)) return "is truncated or has extra bytes";
            int end = offset + HeaderBytes + (int)payload;
            if (NetworkOrder.ReadUInt32(buffer, end) != Crc32.Compute(buffer, offset, end - offset)) return "is damaged (checksum mismatch)";
            r.Reset(buffer, offset + HeaderBytes, end);
            if (!ConfigCodec.Decode(r, version, into) || r.Failed || !r.AtEnd) return "has a format this firmware cannot read";
            return null;
        }
    }
}
