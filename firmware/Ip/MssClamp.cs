using Router.Wire;

namespace Router.Ip
{
    /// <summary>Lowers the MSS option of a SYN so segments fit the WAN MTU (the classic PPPoE/tunnel fix).</summary>
    public static class MssClamp
    {
        /// <summary>Returns true when the MSS option was lowered to <paramref name="maxMss"/>; the TCP checksum is kept valid.</summary>
        public static bool Apply(byte[] b, int tcpOffset, int maxMss)
        {
            int option = TcpOptions.Find(b, tcpOffset, TcpOptions.Mss);
            if (option == TcpOptions.None || TcpOptions.Length(b, option) != 4) return false;
            int at = TcpOptions.ValueOffset(option);
            if (NetworkOrder.ReadUInt16(b, at) <= maxMss) return false;
            // The option may sit at an odd offset: the checksum routine handles either alignment.
            Checksum.WriteField(b, tcpOffset, tcpOffset + TcpSegment.ChecksumField, at, 2, (uint)maxMss);
            return true;
        }
    }
}
