using Router.Wire;

namespace Router.Link
{
    /// <summary>
    /// UDP datagrams and TCP segments the router originates (DHCP, its own TCP endpoint), built in one preallocated frame:
    /// the caller writes the payload at <see cref="PayloadOffset"/> (UDP) or <see cref="TcpPayloadOffset"/> (TCP) of
    /// <see cref="Buffer"/>, this writes the Ethernet, IPv4 and transport headers and sends.
    /// </summary>
    public sealed class LocalSender
    {
        public const int PayloadOffset = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + UdpDatagram.HeaderLength;
        /// <summary>Where a TCP segment's payload goes: after a 20-byte TCP header (segments with data carry no options).</summary>
        public const int TcpPayloadOffset = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + TcpHeaderLength;
        private const int TcpHeaderLength = 20;
        private const int TcpMssOptionLength = 4;
        private const int DefaultTtl = 64;

        private readonly byte[] _frame;
        private readonly byte[] _broadcastMac = new byte[MacAddress.Length];
        private readonly ArpResolver _arp;
        private readonly RouterSettings _settings;
        private int _identification;

        public LocalSender(int frameSize, ArpResolver arp, RouterSettings settings)
        {
            _frame = new byte[frameSize];
            _arp = arp;
            _settings = settings;
            for (int i = 0; i < MacAddress.Length; i++) _broadcastMac[i] = 0xFF;
        }

        public byte[] Buffer { get { return _frame; } }
        public int MaxPayload { get { return _frame.Length - PayloadOffset; } }

        /// <summary>
        /// Sends the <paramref name="payloadLength"/> bytes at <see cref="PayloadOffset"/> out of <paramref name="port"/>.
        /// The Ethernet destination is <paramref name="destinationMac"/> when given; otherwise broadcast for a broadcast
        /// destination, else the ARP binding of the next hop (the destination on-link, the WAN gateway beyond).
        /// Returns false when the device refused the frame or the next hop is not resolved yet (a request has gone out).
        /// </summary>
        public bool SendUdp(NetworkPort port, uint source, int sourcePort, uint destination, int destinationPort, int payloadLength,
            byte[] destinationMac, int destinationMacOffset, long now)
        {
            if (payloadLength < 0 || payloadLength > MaxPayload) return false;
            if (destinationMac != null)
            {
                EthernetFrame.SetAddresses(_frame, 0, destinationMac, destinationMacOffset, port.Mac);
            }
            else if (destination == Ipv4Address.Broadcast || (port.Address != 0 && destination == port.BroadcastAddress))
            {
                EthernetFrame.SetAddresses(_frame, 0, _broadcastMac, 0, port.Mac);
            }
            else
            {
                uint nextHop = port.Index == NetworkPort.Wan && !port.OnLink(destination) ? _settings.WanGateway : destination;
                int slot = _arp.Resolve(port, nextHop, now);
                if (slot == ArpCache.NotFound) return false;
                EthernetFrame.SetAddresses(_frame, 0, _arp.Cache.MacBuffer, ArpCache.MacOffset(slot), port.Mac);
            }
            EthernetFrame.SetEtherType(_frame, 0, EthernetFrame.EtherTypeIpv4);

            int udpLength = UdpDatagram.HeaderLength + payloadLength;
            _identification = (_identification + 1) & 0xFFFF;
            Ipv4Packet.WriteHeader(_frame, EthernetFrame.HeaderLength, Ipv4Packet.MinHeaderLength + udpLength, _identification,
                DefaultTtl, IpProtocol.Udp, source, destination);
            const int udp = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength;
            UdpDatagram.SetSourcePort(_frame, udp, sourcePort);
            UdpDatagram.SetDestinationPort(_frame, udp, destinationPort);
            UdpDatagram.SetLength(_frame, udp, udpLength);
            UdpDatagram.FillChecksum(_frame, udp, source, destination);
            return port.Send(_frame, 0, PayloadOffset + payloadLength);
        }

        /// <summary>
        /// Sends a TCP segment with the <paramref name="payloadLength"/> bytes at <see cref="TcpPayloadOffset"/> to a neighbour
        /// on <paramref name="port"/> whose MAC is known (the router's TCP answers the host that sent to it). With
        /// <paramref name="mss"/> &gt; 0 the header carries an MSS option instead of a payload (a SYN-ACK).
        /// Written with static accessors only: this runs for every segment the router's TCP sends.
        /// </summary>
        public bool SendTcp(NetworkPort port, byte[] destinationMac, int destinationMacOffset, uint source, int sourcePort,
            uint destination, int destinationPort, uint sequence, uint acknowledgment, int flags, int window, int mss, int payloadLength)
        {
            int headerLength = mss > 0 ? TcpHeaderLength + TcpMssOptionLength : TcpHeaderLength;
            if (mss > 0) payloadLength = 0;
            if (payloadLength < 0 || TcpPayloadOffset + payloadLength > _frame.Length) return false;
            byte[] f = _frame;
            System.Array.Copy(destinationMac, destinationMacOffset, f, 0, MacAddress.Length);
            System.Array.Copy(port.Mac, 0, f, MacAddress.Length, MacAddress.Length);
            NetworkOrder.WriteUInt16(f, 12, EthernetFrame.EtherTypeIpv4);
            int segmentLength = headerLength + payloadLength;
            _identification = (_identification + 1) & 0xFFFF;
            Ipv4Packet.WriteHeader(f, EthernetFrame.HeaderLength, Ipv4Packet.MinHeaderLength + segmentLength, _identification,
                DefaultTtl, IpProtocol.Tcp, source, destination);
            int t = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength;
            NetworkOrder.WriteUInt16(f, t, sourcePort);
            NetworkOrder.WriteUInt16(f, t + 2, destinationPort);
            NetworkOrder.WriteUInt32(f, t + 4, sequence);
            NetworkOrder.WriteUInt32(f, t + 8, acknowledgment);
            f[t + 12] = (byte)((headerLength / 4) << 4);
            f[t + 13] = (byte)flags;
            NetworkOrder.WriteUInt16(f, t + 14, window);
            NetworkOrder.WriteUInt16(f, t + 16, 0);
            NetworkOrder.WriteUInt16(f, t + 18, 0);
            if (mss > 0)
            {
                f[t + 20] = TcpOptions.Mss;
                f[t + 21] = TcpMssOptionLength;
                NetworkOrder.WriteUInt16(f, t + 22, mss);
            }
            uint sum = Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, segmentLength);
            NetworkOrder.WriteUInt16(f, t + 16, Checksum.Finish(Checksum.Add(sum, f, t, segmentLength)));
            return port.Send(f, 0, t + segmentLength);
        }
    }
}
