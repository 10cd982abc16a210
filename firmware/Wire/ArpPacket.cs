namespace Router.Wire
{
    /// <summary>A view of an ARP packet for Ethernet and IPv4 (RFC 826).</summary>
    public struct ArpPacket
    {
        public const int Length = 28;
        public const int OperationRequest = 1;
        public const int OperationReply = 2;

        public readonly byte[] Buffer;
        public readonly int Offset;

        public ArpPacket(byte[] buffer, int offset)
        {
            Buffer = buffer;
            Offset = offset;
        }

        /// <summary>True for hardware type Ethernet, protocol IPv4, address lengths 6 and 4.</summary>
        public bool IsEthernetIpv4
        {
            get
            {
                return NetworkOrder.ReadUInt16(Buffer, Offset) == 1
                    && NetworkOrder.ReadUInt16(Buffer, Offset + 2) == EthernetFrame.EtherTypeIpv4
                    && Buffer[Offset + 4] == 6 && Buffer[Offset + 5] == 4;
            }
        }

        public int Operation
        {
            get { return NetworkOrder.ReadUInt16(Buffer, Offset + 6); }
        }

        public int SenderHardwareOffset { get { return Offset + 8; } }
        public uint SenderProtocolAddress { get { return NetworkOrder.ReadUInt32(Buffer, Offset + 14); } }
        public int TargetHardwareOffset { get { return Offset + 18; } }
        public uint TargetProtocolAddress { get { return NetworkOrder.ReadUInt32(Buffer, Offset + 24); } }

        /// <summary>Writes a complete Ethernet/IPv4 ARP packet.</summary>
        public void Write(int operation, byte[] senderMac, uint senderIp, byte[] targetMac, int targetMacOffset, uint targetIp)
        {
            NetworkOrder.WriteUInt16(Buffer, Offset, 1);
            NetworkOrder.WriteUInt16(Buffer, Offset + 2, EthernetFrame.EtherTypeIpv4);
            Buffer[Offset + 4] = 6;
            Buffer[Offset + 5] = 4;
            NetworkOrder.WriteUInt16(Buffer, Offset + 6, operation);
            System.Array.Copy(senderMac, 0, Buffer, Offset + 8, 6);
            NetworkOrder.WriteUInt32(Buffer, Offset + 14, senderIp);
            System.Array.Copy(targetMac, targetMacOffset, Buffer, Offset + 18, 6);
            NetworkOrder.WriteUInt32(Buffer, Offset + 24, targetIp);
        }
    }
}
