namespace Router.Wire
{
    /// <summary>A view of an Ethernet II frame (no preamble, no FCS) inside a buffer.</summary>
    public struct EthernetFrame
    {
        public const int HeaderLength = 14;
        public const int EtherTypeIpv4 = 0x0800;
        public const int EtherTypeArp = 0x0806;

        public readonly byte[] Buffer;
        public readonly int Offset;

        public EthernetFrame(byte[] buffer, int offset)
        {
            Buffer = buffer;
            Offset = offset;
        }

        public int DestinationOffset { get { return Offset; } }
        public int SourceOffset { get { return Offset + 6; } }
        public int PayloadOffset { get { return Offset + HeaderLength; } }

        public int EtherType
        {
            get { return NetworkOrder.ReadUInt16(Buffer, Offset + 12); }
            set { NetworkOrder.WriteUInt16(Buffer, Offset + 12, value); }
        }

        public bool IsBroadcast
        {
            get
            {
                for (int i = 0; i < 6; i++)
                {
                    if (Buffer[Offset + i] != 0xFF) return false;
                }
                return true;
            }
        }

        public bool DestinationIs(byte[] mac)
        {
            return MacAddress.Equal(Buffer, Offset, mac, 0);
        }

        public void SetAddresses(byte[] destination, int destinationOffset, byte[] source)
        {
            // Six-byte copies by hand: cheaper than two Array.Copy calls on every forwarded frame.
            byte[] b = Buffer;
            int o = Offset;
            for (int i = 0; i < 6; i++)
            {
                b[o + i] = destination[destinationOffset + i];
                b[o + 6 + i] = source[i];
            }
        }
    }
}
