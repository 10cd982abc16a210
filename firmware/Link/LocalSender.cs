using Router.Wire;

namespace Router.Link
{
    /// <summary>
    /// UDP datagrams the router originates (DHCP replies and requests), built in one preallocated frame: the caller writes
    /// the payload at <see cref="PayloadOffset"/> of <see cref="Buffer"/>, this writes the Ethernet, IPv4 and UDP headers and sends.
    /// </summary>
    public sealed class LocalSender
    {
        public const int PayloadOffset = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + UdpDatagram.HeaderLength;
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
    }
}
