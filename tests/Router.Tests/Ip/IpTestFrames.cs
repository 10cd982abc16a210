using Router.Wire;

namespace Router.Tests.Ip;

/// <summary>Edits to frames built by <see cref="Support.Frames"/>: fragment fields, IP options, lengths.</summary>
internal static class IpTestFrames
{
    /// <summary>Sets the flags/fragment-offset word (offset in bytes) and refills the header checksum.</summary>
    public static byte[] Fragment(byte[] f, int flags, int offsetBytes)
    {
        NetworkOrder.WriteUInt16(f, 20, flags | (offsetBytes / 8));
        Ipv4Packet.FillChecksum(f, 14);
        return f;
    }

    /// <summary>Cuts the frame to an IP total length of <paramref name="totalLength"/>, fixing the length and checksum.</summary>
    public static byte[] Truncate(byte[] f, int totalLength)
    {
        byte[] t = f[..(14 + totalLength)];
        NetworkOrder.WriteUInt16(t, 16, totalLength);
        Ipv4Packet.FillChecksum(t, 14);
        return t;
    }

    /// <summary>Inserts IP options after the 20-byte header (a multiple of 4 bytes), fixing IHL, total length and checksum.</summary>
    public static byte[] WithOptions(byte[] f, byte[] options)
    {
        byte[] t = new byte[f.Length + options.Length];
        System.Array.Copy(f, t, 34);
        options.CopyTo(t, 34);
        System.Array.Copy(f, 34, t, 34 + options.Length, f.Length - 34);
        t[14] = (byte)(0x40 | ((20 + options.Length) / 4));
        NetworkOrder.WriteUInt16(t, 16, NetworkOrder.ReadUInt16(f, 16) + options.Length);
        Ipv4Packet.FillChecksum(t, 14);
        return t;
    }
}
