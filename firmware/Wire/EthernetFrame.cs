namespace Router.Wire
{
    /// <summary>
    /// Field accessors for an Ethernet II frame (no preamble, no FCS) at <c>offset</c> in a buffer: static methods over
    /// (buffer, offset), so reading or writing a field allocates nothing on nanoCLR (docs/wire-views.md).
    /// </summary>
    public static class EthernetFrame
    {
        public const int HeaderLength = 14;
        public const int DestinationField = 0;
        public const int SourceField = 6;
        public const int EtherTypeField = 12;
        public const int EtherTypeIpv4 = 0x0800;
        public const int EtherTypeArp = 0x0806;

        /// <summary>A frame of <paramref name="available"/> bytes holds the header.</summary>
        public static HeaderCheck Check(byte[] b, int offset, int available)
        {
            return available < HeaderLength ? HeaderCheck.Truncated : HeaderCheck.Valid;
        }

        public static int EtherType(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + EtherTypeField); }
        public static void SetEtherType(byte[] b, int offset, int value) { NetworkOrder.WriteUInt16(b, offset + EtherTypeField, value); }

        public static bool IsBroadcast(byte[] b, int offset)
        {
            for (int i = 0; i < MacAddress.Length; i++)
            {
                if (b[offset + i] != 0xFF) return false;
            }
            return true;
        }

        public static bool DestinationIs(byte[] b, int offset, byte[] mac)
        {
            return MacAddress.Equal(b, offset + DestinationField, mac, 0);
        }

        public static void SetAddresses(byte[] b, int offset, byte[] destination, int destinationOffset, byte[] source)
        {
            // Six-byte copies by hand: cheaper than two Array.Copy calls on every forwarded frame.
            for (int i = 0; i < MacAddress.Length; i++)
            {
                b[offset + i] = destination[destinationOffset + i];
                b[offset + SourceField + i] = source[i];
            }
        }
    }
}
