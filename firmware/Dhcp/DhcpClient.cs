using Router.Hal;
using Router.Ip;
using Router.Link;
using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>
    /// The DHCP client on the WAN (RFC 2131 section 4.4): INIT, SELECTING, REQUESTING, BOUND, RENEWING at T1 (unicast
    /// to the server), REBINDING at T2 (broadcast), back to INIT when the lease expires. The address, prefix, gateway
    /// and DNS servers it obtains go into <see cref="RouterSettings"/> and the data plane applies them, so NAT follows a
    /// new address (flows through the old one are cut). Runs only while <see cref="RouterSettings.WanAddressing"/> is
    /// <see cref="WanAddressing.Dhcp"/>; the static setting is the alternative. It does not probe the offered address
    /// with ARP, and does not remember its lease across restarts (it starts from INIT, not INIT-REBOOT).
    /// </summary>
    public sealed class DhcpClient : ILocalService
    {
        public const int Off = 0;
        public const int Init = 1;
        public const int Selecting = 2;
        public const int Requesting = 3;
        public const int Bound = 4;
        public const int Renewing = 5;
        public const int Rebinding = 6;

        private const long FirstRetryMilliseconds = 4000;
        private const long MaxRetryMilliseconds = 64000;
        /// <summary>RFC 2131 4.4.5: retransmit in RENEWING and REBINDING at half the remaining time, but not more often than this.</summary>
        private const long MinRenewRetryMilliseconds = 60000;
        private const int MaxRequestAttempts = 4;

        private readonly DataPlane _dataPlane;
        private readonly NetworkPort _wan;
        private readonly LocalSender _sender;
        private readonly RouterSettings _settings;
        private readonly IRandomSource _random;
        private readonly byte[] _parameterRequest = new byte[7];
        private readonly byte[] _serverMac = new byte[MacAddress.Length];
        private readonly DhcpMessage _received = new DhcpMessage();
        private readonly DhcpOptionWriter _options = new DhcpOptionWriter();

        private int _state = Off;
        private uint _xid;
        private long _nextSendAt;
        private long _retryMilliseconds;
        private int _attempts;
        private long _requestSentAt;
        private uint _offered;
        private uint _serverId;
        private long _t1At;
        private long _t2At;
        private long _expiresAt;

        public readonly DhcpCounters Counters = new DhcpCounters();

        public DhcpClient(DataPlane dataPlane, IRandomSource random)
        {
            _dataPlane = dataPlane;
            _wan = dataPlane.Wan;
            _sender = dataPlane.Sender;
            _settings = dataPlane.Settings;
            _random = random;
            _parameterRequest[0] = DhcpOption.SubnetMask;
            _parameterRequest[1] = DhcpOption.Router;
            _parameterRequest[2] = DhcpOption.DnsServers;
            _parameterRequest[3] = DhcpOption.LeaseTime;
            _parameterRequest[4] = DhcpOption.ServerIdentifier;
            _parameterRequest[5] = DhcpOption.RenewalTime;
            _parameterRequest[6] = DhcpOption.RebindingTime;
        }

        public int State { get { return _state; } }
        public uint ServerIdentifier { get { return _serverId; } }
        /// <summary>Clock times (ms) of the current lease's T1, T2 and expiry.</summary>
        public long RenewAt { get { return _t1At; } }
        public long RebindAt { get { return _t2At; } }
        public long ExpiresAt { get { return _expiresAt; } }

        /// <summary>When <see cref="Tick"/> has something to do next: a retransmission, T1, T2 or the lease's end (long.MaxValue when off).</summary>
        public long NextDeadline(long now)
        {
            if (_settings.WanAddressing != WanAddressing.Dhcp) return _state == Off ? long.MaxValue : now;
            switch (_state)
            {
                case Selecting:
                case Requesting:
                    return _nextSendAt;
                case Bound:
                    return _t1At < _expiresAt ? _t1At : _expiresAt;
                case Renewing:
                    long next = _nextSendAt < _t2At ? _nextSendAt : _t2At;
                    return next < _expiresAt ? next : _expiresAt;
                case Rebinding:
                    return _nextSendAt < _expiresAt ? _nextSendAt : _expiresAt;
                default:
                    return now; // Off with DHCP chosen, or Init: starts at once
            }
        }

        /// <summary>Timers and retransmissions, from the main loop.</summary>
        public void Tick(long now)
        {
            if (_settings.WanAddressing != WanAddressing.Dhcp)
            {
                _state = Off;
                return;
            }
            if (_state == Off)
            {
                SetWan(0, _settings.WanPrefixLength, 0, 0, 0); // nothing configured by hand stays on a DHCP WAN
                _state = Init;
            }
            if ((_state == Bound || _state == Renewing || _state == Rebinding) && now >= _expiresAt)
            {
                Counters.Increment(DhcpCounters.LeasesExpired);
                SetWan(0, _settings.WanPrefixLength, 0, 0, 0);
                _state = Init;
            }
            switch (_state)
            {
                case Init:
                    _state = Selecting;
                    _xid = _random.NextUInt32();
                    _retryMilliseconds = FirstRetryMilliseconds;
                    Transmit(DhcpMessageType.Discover, now);
                    break;
                case Selecting:
                    if (now < _nextSendAt) break;
                    _retryMilliseconds = _retryMilliseconds * 2 > MaxRetryMilliseconds ? MaxRetryMilliseconds : _retryMilliseconds * 2;
                    Transmit(DhcpMessageType.Discover, now);
                    break;
                case Requesting:
                    if (now < _nextSendAt) break;
                    if (_attempts >= MaxRequestAttempts) _state = Init; // the server went quiet: start over
                    else Transmit(DhcpMessageType.Request, now);
                    break;
                case Bound:
                    if (now < _t1At) break;
                    _state = Renewing;
                    _xid = _random.NextUInt32();
                    Transmit(DhcpMessageType.Request, now);
                    break;
                case Renewing:
                    if (now >= _t2At)
                    {
                        _state = Rebinding;
                        _xid = _random.NextUInt32();
                        Transmit(DhcpMessageType.Request, now);
                    }
                    else if (now >= _nextSendAt)
                    {
                        Transmit(DhcpMessageType.Request, now);
                    }
                    break;
                case Rebinding:
                    if (now >= _nextSendAt) Transmit(DhcpMessageType.Request, now);
                    break;
            }
        }

        public bool Deliver(NetworkPort port, ParsedPacket p, long now)
        {
            if (port != _wan || _state == Off || p.Protocol != IpProtocol.Udp || !p.HasTransport || p.IsFragment
                || p.SourcePort != DhcpMessage.ServerPort || p.DestinationPort != DhcpMessage.ClientPort)
            {
                return false;
            }
            int udpLength = UdpDatagram.Length(p.Buffer, p.TransportOffset);
            DhcpMessage m = _received.Wrap(p.Buffer, p.TransportOffset + UdpDatagram.HeaderLength, udpLength - UdpDatagram.HeaderLength);
            Counters.Increment(DhcpCounters.MessagesReceived);
            int error = m.Validate(DhcpMessage.BootReply);
            if (error != Verdict.Accept)
            {
                Counters.Increment(error);
                return true;
            }
            if (m.TransactionId != _xid || !MacAddress.Equal(m.Buffer, m.ClientMacOffset, _wan.Mac, 0)) return false; // someone else's exchange

            int type = m.MessageType;
            if (type == DhcpMessageType.Offer && _state == Selecting) Offer(m, now);
            else if (type == DhcpMessageType.Ack && IsRequesting) Ack(m, p);
            else if (type == DhcpMessageType.Nak && IsRequesting) Nak();
            else Counters.Increment(DhcpCounters.DropUnexpectedType);
            return true;
        }

        private bool IsRequesting
        {
            get { return _state == Requesting || _state == Renewing || _state == Rebinding; }
        }

        private void Offer(DhcpMessage m, long now)
        {
            uint serverId = m.ReadUInt32Option(DhcpOption.ServerIdentifier);
            if (serverId == 0 || m.YourAddress == 0)
            {
                Counters.Increment(DhcpCounters.DropBadHeader); // an offer that cannot be requested
                return;
            }
            Counters.Increment(DhcpCounters.OffersReceived);
            _offered = m.YourAddress;
            _serverId = serverId;
            _state = Requesting;
            _attempts = 0;
            _retryMilliseconds = FirstRetryMilliseconds;
            Transmit(DhcpMessageType.Request, now);
        }

        private void Ack(DhcpMessage m, ParsedPacket p)
        {
            uint lease = m.ReadUInt32Option(DhcpOption.LeaseTime);
            if (lease == 0 || m.YourAddress == 0)
            {
                Counters.Increment(DhcpCounters.DropBadHeader);
                return;
            }
            Counters.Increment(DhcpCounters.AcksReceived);
            if (_state == Renewing) Counters.Increment(DhcpCounters.Renewals);
            else if (_state == Rebinding) Counters.Increment(DhcpCounters.Rebinds);

            uint t1 = m.ReadUInt32Option(DhcpOption.RenewalTime);
            uint t2 = m.ReadUInt32Option(DhcpOption.RebindingTime);
            if (t2 == 0 || t2 >= lease) t2 = lease / 8 * 7;
            if (t1 == 0 || t1 >= t2) t1 = lease / 2;
            // Lease times count from when the request went out (RFC 2131 4.4.1).
            _t1At = _requestSentAt + t1 * 1000L;
            _t2At = _requestSentAt + t2 * 1000L;
            _expiresAt = _requestSentAt + lease * 1000L;
            uint server = m.ReadUInt32Option(DhcpOption.ServerIdentifier);
            if (server != 0) _serverId = server;
            System.Array.Copy(p.Buffer, p.IpOffset - EthernetFrame.HeaderLength + MacAddress.Length, _serverMac, 0, MacAddress.Length);
            _state = Bound;

            uint mask = m.ReadUInt32Option(DhcpOption.SubnetMask);
            int prefix = mask == 0 ? _settings.WanPrefixLength : PrefixLength(mask);
            SetWan(m.YourAddress, prefix, m.ReadAddressOption(DhcpOption.Router, 0),
                m.ReadAddressOption(DhcpOption.DnsServers, 0), m.ReadAddressOption(DhcpOption.DnsServers, 1));
        }

        private void Nak()
        {
            Counters.Increment(DhcpCounters.NaksReceived);
            SetWan(0, _settings.WanPrefixLength, 0, 0, 0);
            _state = Init;
        }

        /// <summary>Applies a WAN configuration when it differs from the current one; the data plane cuts flows of a replaced address.</summary>
        private void SetWan(uint address, int prefixLength, uint gateway, uint dns1, uint dns2)
        {
            RouterSettings s = _settings;
            if (s.WanAddress == address && s.WanPrefixLength == prefixLength && s.WanGateway == gateway && s.WanDns1 == dns1 && s.WanDns2 == dns2) return;
            s.WanAddress = address;
            s.WanPrefixLength = prefixLength;
            s.WanGateway = gateway;
            s.WanDns1 = dns1;
            s.WanDns2 = dns2;
            _dataPlane.ApplySettings();
        }

        /// <summary>Sends a DISCOVER or REQUEST for the current state and schedules its retransmission.</summary>
        private void Transmit(int type, long now)
        {
            bool hasAddress = _state == Renewing || _state == Rebinding;
            uint address = hasAddress ? _settings.WanAddress : 0;
            byte[] b = _sender.Buffer;
            int at = LocalSender.PayloadOffset;
            DhcpMessage.WriteHeader(b, at, DhcpMessage.BootRequest, _xid, 0, address, 0, 0, _wan.Mac, 0);
            DhcpOptionWriter w = _options.Start(b, at, _sender.MaxPayload);
            w.WriteByte(DhcpOption.MessageType, type);
            if (_state == Requesting)
            {
                w.WriteUInt32(DhcpOption.RequestedAddress, _offered);
                w.WriteUInt32(DhcpOption.ServerIdentifier, _serverId);
            }
            w.WriteBytes(DhcpOption.ParameterRequestList, _parameterRequest, 0, _parameterRequest.Length);
            int length = w.Finish();

            bool sent = length > 0 && (_state == Renewing
                ? _sender.SendUdp(_wan, address, DhcpMessage.ClientPort, _serverId, DhcpMessage.ServerPort, length, _serverMac, 0, now)
                : _sender.SendUdp(_wan, address, DhcpMessage.ClientPort, Ipv4Address.Broadcast, DhcpMessage.ServerPort, length, null, 0, now));
            if (!sent) Counters.Increment(DhcpCounters.SendFailed);
            else Counters.Increment(type == DhcpMessageType.Discover ? DhcpCounters.DiscoversSent : DhcpCounters.RequestsSent);

            if (type == DhcpMessageType.Request) _requestSentAt = now;
            if (_state == Requesting) _attempts++;
            _nextSendAt = now + NextGap(now);
        }

        private long NextGap(long now)
        {
            if (_state != Renewing && _state != Rebinding) return _retryMilliseconds;
            long half = ((_state == Renewing ? _t2At : _expiresAt) - now) / 2;
            return half > MinRenewRetryMilliseconds ? half : MinRenewRetryMilliseconds;
        }

        /// <summary>Prefix length of a contiguous mask; a non-contiguous one counts its leading ones.</summary>
        private static int PrefixLength(uint mask)
        {
            int n = 0;
            while (n < 32 && (mask & (0x80000000 >> n)) != 0) n++;
            return n;
        }
    }
}
