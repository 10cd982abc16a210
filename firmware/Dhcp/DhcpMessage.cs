using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>
    /// A view of a DHCP message (RFC 2131 section 2: the BOOTP header, the magic cookie, then options) inside a buffer.
    /// <see cref="Validate"/> walks the options once and names what is wrong; the readers assume a validated message.
    /// Options overloaded into the sname/file fields (option 52) are not read.
    /// A class, not a struct (a struct is a heap object on nanoCLR, copied on every pass): each service keeps one
    /// instance and points it at every received message with <see cref="Wrap"/>, so nothing is allocated per message.
    /// Writing a message needs no instance (<see cref="WriteHeader"/>).
    /// </summary>
    public sealed class DhcpMessage
    {
        public const int BootRequest = 1;
        public const int BootReply = 2;
        public const int HardwareEthernet = 1;
        public const int FlagBroadcast = 0x8000;
        public const int ClientHardwareField = 28;
        public const int MagicCookieField = 236;
        public const int OptionsField = 240;
        public const uint MagicCookie = 0x63825363;
        /// <summary>Shortest message sent: the BOOTP minimum some relays and old clients insist on (RFC 1542 section 2.1).</summary>
        public const int MinSendLength = 300;
        /// <summary>Largest message accepted. RFC 2131 only promises 576-byte datagrams; more is refused to bound the work per packet.</summary>
        public const int MaxLength = 1024;
        public const int ServerPort = 67;
        public const int ClientPort = 68;

        public byte[] Buffer;
        public int Offset;
        public int Length;

        /// <summary>Points this view at the <paramref name="length"/>-byte message at <paramref name="offset"/>; returns it.</summary>
        public DhcpMessage Wrap(byte[] buffer, int offset, int length)
        {
            Buffer = buffer;
            Offset = offset;
            Length = length;
            return this;
        }

        public int Op { get { return Buffer[Offset]; } }
        public uint TransactionId { get { return NetworkOrder.ReadUInt32(Buffer, Offset + 4); } }
        public int Flags { get { return NetworkOrder.ReadUInt16(Buffer, Offset + 10); } }
        public bool BroadcastFlag { get { return (Flags & FlagBroadcast) != 0; } }
        public uint ClientAddress { get { return NetworkOrder.ReadUInt32(Buffer, Offset + 12); } }
        public uint YourAddress { get { return NetworkOrder.ReadUInt32(Buffer, Offset + 16); } }
        public uint RelayAddress { get { return NetworkOrder.ReadUInt32(Buffer, Offset + 24); } }
        /// <summary>Offset in <see cref="Buffer"/> of the client's MAC address (chaddr).</summary>
        public int ClientMacOffset { get { return Offset + ClientHardwareField; } }

        /// <summary>
        /// Checks the message is a well-formed DHCP message of the given BOOTP op. Returns <see cref="Verdict.Accept"/>, or
        /// the <see cref="DhcpCounters"/> drop reason.
        /// </summary>
        public int Validate(int expectedOp)
        {
            if (Length < OptionsField) return DhcpCounters.DropTruncated;
            if (Length > MaxLength) return DhcpCounters.DropOversized;
            byte[] b = Buffer;
            if (b[Offset] != expectedOp || b[Offset + 1] != HardwareEthernet || b[Offset + 2] != MacAddress.Length) return DhcpCounters.DropBadHeader;
            if (NetworkOrder.ReadUInt32(b, Offset + MagicCookieField) != MagicCookie) return DhcpCounters.DropBadCookie;

            int end = Offset + Length;
            int messageType = 0;
            for (int i = Offset + OptionsField; i < end;)
            {
                int code = b[i];
                if (code == DhcpOption.End) return messageType == 0 ? DhcpCounters.DropNoMessageType : Verdict.Accept;
                if (code == DhcpOption.Pad)
                {
                    i++;
                    continue;
                }
                if (i + 2 > end) return DhcpCounters.DropBadOptionLength;
                int length = b[i + 1];
                if (i + 2 + length > end || !LengthFits(code, length)) return DhcpCounters.DropBadOptionLength;
                if (code == DhcpOption.MessageType && messageType == 0) messageType = b[i + 2];
                i += 2 + length;
            }
            return DhcpCounters.DropMissingEnd;
        }

        /// <summary>Offset of the value of the first option <paramref name="code"/>, or -1 when absent.</summary>
        public int FindOption(int code)
        {
            int end = Offset + Length;
            for (int i = Offset + OptionsField; i < end;)
            {
                int c = Buffer[i];
                if (c == DhcpOption.End) return -1;
                if (c == DhcpOption.Pad)
                {
                    i++;
                    continue;
                }
                if (c == code) return i + 2;
                i += 2 + Buffer[i + 1];
            }
            return -1;
        }

        /// <summary>Length of the option whose value starts at <paramref name="valueOffset"/> (from <see cref="FindOption"/>).</summary>
        public int OptionLength(int valueOffset)
        {
            return Buffer[valueOffset - 1];
        }

        /// <summary>Option 53, or 0 when absent.</summary>
        public int MessageType
        {
            get
            {
                int at = FindOption(DhcpOption.MessageType);
                return at < 0 ? 0 : Buffer[at];
            }
        }

        /// <summary>The first address (or 32-bit number) of option <paramref name="code"/>, or 0 when absent.</summary>
        public uint ReadUInt32Option(int code)
        {
            int at = FindOption(code);
            return at < 0 ? 0 : NetworkOrder.ReadUInt32(Buffer, at);
        }

        /// <summary>The <paramref name="index"/>th address of a list option (routers, DNS servers), or 0 when there is none.</summary>
        public uint ReadAddressOption(int code, int index)
        {
            int at = FindOption(code);
            if (at < 0 || (index + 1) * 4 > OptionLength(at)) return 0;
            return NetworkOrder.ReadUInt32(Buffer, at + index * 4);
        }

        /// <summary>
        /// Writes the fixed part of a message (zeroing sname and file) and the magic cookie. The client MAC is copied
        /// from <paramref name="mac"/>; options follow at <see cref="OptionsField"/>.
        /// </summary>
        public static void WriteHeader(byte[] b, int offset, int op, uint transactionId, int flags, uint clientAddress, uint yourAddress, uint relayAddress, byte[] mac, int macOffset)
        {
            System.Array.Clear(b, offset, OptionsField);
            b[offset] = (byte)op;
            b[offset + 1] = HardwareEthernet;
            b[offset + 2] = MacAddress.Length;
            NetworkOrder.WriteUInt32(b, offset + 4, transactionId);
            NetworkOrder.WriteUInt16(b, offset + 10, flags);
            NetworkOrder.WriteUInt32(b, offset + 12, clientAddress);
            NetworkOrder.WriteUInt32(b, offset + 16, yourAddress);
            NetworkOrder.WriteUInt32(b, offset + 24, relayAddress);
            System.Array.Copy(mac, macOffset, b, offset + ClientHardwareField, MacAddress.Length);
            NetworkOrder.WriteUInt32(b, offset + MagicCookieField, MagicCookie);
        }

        /// <summary>Options whose length RFC 2132 fixes: a value of another length is malformed.</summary>
        private static bool LengthFits(int code, int length)
        {
            switch (code)
            {
                case DhcpOption.MessageType:
                case DhcpOption.Overload:
                    return length == 1;
                case DhcpOption.SubnetMask:
                case DhcpOption.RequestedAddress:
                case DhcpOption.LeaseTime:
                case DhcpOption.ServerIdentifier:
                case DhcpOption.RenewalTime:
                case DhcpOption.RebindingTime:
                    return length == 4;
                case DhcpOption.Router:
                case DhcpOption.DnsServers:
                    return length >= 4 && length % 4 == 0;
                default:
                    return true;
            }
        }
    }
}
