namespace Router.Wire
{
    /// <summary>Field accessors for an ARP packet for Ethernet and IPv4 (RFC 826) at <c>offset</c> in a buffer.</summary>
    public static class ArpPacket
    {
        public const int Length = 28;
        public const int OperationRequest = 1;
        public const int OperationReply = 2;
        public const int SenderHardwareField = 8;
        public const int TargetHardwareField = 18;

        /// <summary>
        /// <paramref name="available"/> bytes hold a whole packet with hardware type Ethernet, protocol IPv4, address
        /// lengths 6 and 4, and a request or reply.
        /// </summary>
        public static HeaderCheck Check(byte[] b, int offset, int available)
        {
            if (available < Length) return HeaderCheck.Truncated;
            if (NetworkOrder.ReadUInt16(b, offset) != 1 || NetworkOrder.ReadUInt16(b, offset + 2) != EthernetFrame.EtherTypeIpv4
                || b[offset + 4] != MacAddress.Length || b[offset + 5] != 4)
            {
                return HeaderCheck.Unsupported;
            }
            int operation = Operation(b, offset);
            return operation == OperationRequest || operation == OperationReply ? HeaderCheck.Valid : HeaderCheck.Unsupported;
        }

        public static int Operation(byte[] b, int offset) { return NetworkOrder.ReadUInt16(b, offset + 6); }
        public static uint SenderProtocolAddress(byte[] b, int offset) { return NetworkOrder.ReadUInt32(b, offset + 14); }
        public static uint TargetProtocolAddress(byte[] b, int offset) { return NetworkOrder.ReadUInt32(b, offset + 24); }

        /// <summary>Writes a complete Ethernet/IPv4 ARP packet.</summary>
        public static void Write(byte[] b, int offset, int operation, byte[] senderMac, uint senderIp, byte[] targetMac, int targetMacOffset, uint targetIp)
        {
            NetworkOrder.WriteUInt16(b, offset, 1);
            NetworkOrder.WriteUInt16(b, offset + 2, EthernetFrame.EtherTypeIpv4);
            b[offset + 4] = MacAddress.Length;
            b[offset + 5] = 4;
            NetworkOrder.WriteUInt16(b, offset + 6, operation);
            System.Array.Copy(senderMac, 0, b, offset + SenderHardwareField, MacAddress.Length);
            NetworkOrder.WriteUInt32(b, offset + 14, senderIp);
            System.Array.Copy(targetMac, targetMacOffset, b, offset + TargetHardwareField, MacAddress.Length);
            NetworkOrder.WriteUInt32(b, offset + 24, targetIp);
        }
    }
}
