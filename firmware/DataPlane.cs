using Router.Conntrack;
using Router.Hal;
using Router.Ip;
using Router.Link;
using Router.Nat;
using Router.Tcp;
using Router.Wire;

namespace Router
{
    /// <summary>
    /// The packet loop: takes frames from the LAN and WAN ports, validates them, answers ARP and ICMP echo for the
    /// router's own addresses, passes transit packets through connection tracking and NAT, and sends them on.
    /// Every table is preallocated from the board's capacities; the per-packet path allocates nothing.
    /// </summary>
    public sealed class DataPlane
    {
        private readonly IClock _clock;
        private readonly RouterSettings _settings;
        private readonly NetworkPort[] _ports;
        private readonly byte[] _frame;
        private readonly ParsedPacket _packet = new ParsedPacket();
        private readonly ArpResolver _arp;
        private readonly IcmpResponder _icmp;
        private readonly NatEngine _nat;
        private readonly ConnectionTable _connections;
        private readonly LocalSender _sender;
        private readonly LanSourceGuard _sourceGuard = new LanSourceGuard();
        private ILocalService _localService;
        private TcpEndpoint _tcp;
        private long _housekeptAt = -1;

        public readonly Counters Counters = new Counters();

        public DataPlane(Capacities capacities, RouterSettings settings, INetworkInterface lan, INetworkInterface wan, IClock clock, IRandomSource random)
        {
            _clock = clock;
            _settings = settings;
            _ports = new NetworkPort[] { new NetworkPort(NetworkPort.Lan, lan, Counters), new NetworkPort(NetworkPort.Wan, wan, Counters) };
            _frame = new byte[capacities.FrameSize];
            _arp = new ArpResolver(_ports, new ArpCache(capacities.ArpEntries), new PendingFrames(capacities.ArpPending, capacities.FrameSize), Counters);
            _icmp = new IcmpResponder(Counters, settings.IcmpErrorsPerSecond, settings.IcmpErrorBurst);
            _connections = new ConnectionTable(capacities.Connections, new ConntrackTimeouts(), random.NextUInt32());
            NatMappingTable mappings = new NatMappingTable(capacities.NatMappings, _connections);
            _nat = new NatEngine(_connections, mappings, new FragmentTable(capacities.Fragments), Counters, random);
            _sender = new LocalSender(capacities.FrameSize, _arp, settings);
            ApplySettings();
        }

        public NetworkPort Lan { get { return _ports[NetworkPort.Lan]; } }
        public NetworkPort Wan { get { return _ports[NetworkPort.Wan]; } }
        public ConnectionTable Connections { get { return _connections; } }
        public NatEngine Nat { get { return _nat; } }
        public ArpResolver Arp { get { return _arp; } }
        public RouterSettings Settings { get { return _settings; } }
        /// <summary>Sends UDP datagrams the router originates (for local services).</summary>
        public LocalSender Sender { get { return _sender; } }
        public long NowMilliseconds { get { return _clock.NowMilliseconds; } }

        /// <summary>Frames received but still waiting for ARP: the last term of the frame accounting.</summary>
        public int HeldFrames { get { return _arp.HeldFrames; } }

        /// <summary>Receives traffic for the router itself beyond ARP and ping (DHCP, for example).</summary>
        public void SetLocalService(ILocalService service) { _localService = service; }

        /// <summary>Who owns LAN addresses, for the LAN source guard (the DHCP server).</summary>
        public void SetAddressOwners(IAddressOwners owners) { _sourceGuard.SetOwners(owners); }

        /// <summary>The router's own TCP: takes TCP addressed to the LAN address (the WAN address has no TCP service).</summary>
        public void SetTcp(TcpEndpoint tcp) { _tcp = tcp; }

        /// <summary>Applies changed addresses and knobs from <see cref="Settings"/>; flows through an old WAN address are cut.</summary>
        public void ApplySettings()
        {
            Lan.Configure(_settings.LanAddress, _settings.LanPrefixLength);
            Wan.Mtu = _settings.WanMtu;
            if (Wan.Address != _settings.WanAddress && Wan.Address != 0) _nat.FlushConnections();
            Wan.Configure(_settings.WanAddress, _settings.WanPrefixLength);
            _nat.WanAddress = _settings.WanAddress;
            _nat.MaxMss = _settings.WanMtu - 40;
            _nat.Filtering = _settings.Filtering;
            _nat.Mappings.PortLow = _settings.NatPortLow;
            _nat.Mappings.PortHigh = _settings.NatPortHigh;
            _sourceGuard.Enabled = _settings.LanSourceGuard;
        }

        /// <summary>
        /// Processes up to <paramref name="budget"/> frames from each port, then does housekeeping
        /// (ARP retries, a slice of the conntrack sweep). Returns the number of frames processed.
        /// </summary>
        public int Poll(int budget)
        {
            int processed = 0;
            for (int i = 0; i < budget; i++)
            {
                int got = 0;
                for (int port = 0; port < _ports.Length; port++)
                {
                    int length;
                    if (_ports[port].Device.Receive(_frame, 0, _frame.Length, out length) != ReceiveResult.Frame) continue; // the device counts drops and chip errors
                    Receive(port, _frame, length);
                    got++;
                }
                if (got == 0) break;
                processed += got;
            }
            // Housekeeping at most once per millisecond: under load the loop polls far more often than that.
            long now = _clock.NowMilliseconds;
            if (now != _housekeptAt)
            {
                _housekeptAt = now;
                _arp.Service(now);
                _connections.Sweep(Seconds(now), _settings.SweepPerMillisecond);
            }
            return processed;
        }

        /// <summary>When the data plane's housekeeping has timed work: pending ARP resolution (the conntrack sweep keeps pace with whatever polling there is).</summary>
        public long NextDeadline(long now)
        {
            long next = _arp.NextDeadline;
            return next <= now ? now + 1 : next; // housekeeping runs at most once per millisecond
        }

        /// <summary>Processes one received frame (which may be rewritten in place and sent from the same buffer).</summary>
        public void Receive(int portIndex, byte[] frame, int length)
        {
            Counters.Increment(Counters.FramesReceived);
            Counters.Add(Counters.BytesReceived, length);
            NetworkPort port = _ports[portIndex];
            port.FramesIn++;
            port.BytesIn += length;
            Counters.Increment(Dispatch(port, frame, length));
        }

        /// <summary>Returns the counter that records how the frame ended (ArpHeld: waiting for its next hop's MAC).</summary>
        private int Dispatch(NetworkPort port, byte[] frame, int length)
        {
            if (EthernetFrame.Check(frame, 0, length) != HeaderCheck.Valid) return Counters.DropRunt;
            if (!EthernetFrame.DestinationIs(frame, 0, port.Mac) && !EthernetFrame.IsBroadcast(frame, 0)) return Counters.DropNotForUs;
            int etherType = EthernetFrame.EtherType(frame, 0);
            if (etherType == EthernetFrame.EtherTypeArp) return _arp.Receive(port, frame, length, _clock.NowMilliseconds);
            if (etherType != EthernetFrame.EtherTypeIpv4) return Counters.DropUnsupportedEtherType;

            ParsedPacket p = _packet;
            int verdict = p.ParseIp(frame, EthernetFrame.HeaderLength, length - EthernetFrame.HeaderLength);
            if (verdict != Verdict.Accept) return verdict;
            verdict = p.ParseTransport();
            if (verdict != Verdict.Accept) return verdict;
            verdict = IngressScreen.Check(p, port, Wan.Address, _settings.AllowSourceRouted);
            if (verdict != Verdict.Accept) return verdict;
            return port.Index == NetworkPort.Lan ? FromLan(port, p) : FromWan(port, p);
        }

        private int FromLan(NetworkPort lan, ParsedPacket p)
        {
            uint destination = p.Destination;
            bool toRouter = destination == lan.Address || destination == Ipv4Address.Broadcast || destination == lan.BroadcastAddress;
            // DHCP to the server is exempt: a client whose MAC changed must still be able to ask for a new lease.
            bool dhcpToServer = toRouter && p.Protocol == IpProtocol.Udp && p.HasTransport && p.DestinationPort == 67;
            if (!dhcpToServer && !_sourceGuard.Admits(p.Source, p.Buffer, p.IpOffset - EthernetFrame.HeaderLength + EthernetFrame.SourceField, _clock.NowMilliseconds))
            {
                return Counters.DropLanSourceSpoofed;
            }
            if (toRouter) return Local(lan, p);
            if (!lan.OnLink(p.Source) || p.Source == lan.Address || p.Source == lan.BroadcastAddress) return Counters.DropSpoofedSource;
            if (lan.OnLink(destination) || (destination >> 28) >= 0xE) return Counters.DropNotRoutable;
            if (Wan.Address == 0) return Counters.DropNotRoutable; // no WAN address yet (the DHCP client is still asking)
            return Transit(lan, p);
        }

        private int FromWan(NetworkPort wan, ParsedPacket p)
        {
            // DHCP replies reach the client before it has an address, at the offered one, or unicast on renewal (RFC 2131 4.1).
            if (IsDhcpReply(p) && _localService != null && _localService.Deliver(wan, p, _clock.NowMilliseconds)) return Counters.Consumed;
            if (p.Destination != wan.Address)
            {
                return p.Destination == Ipv4Address.Broadcast || p.Destination == wan.BroadcastAddress ? Local(wan, p) : Counters.DropNotRoutable;
            }
            if (Lan.OnLink(p.Source)) return Counters.DropSpoofedSource;
            return Transit(wan, p);
        }

        /// <summary>A packet that may cross the router: conntrack and NAT decide; the router answers what is its own.</summary>
        private int Transit(NetworkPort ingress, ParsedPacket p)
        {
            long nowMs = _clock.NowMilliseconds;
            bool toRouter = p.Destination == Wan.Address;
            // Checked before conntrack so a packet that dies here creates and changes nothing: a blind RST with TTL 1
            // must not close a flow it never reaches. Only the router's own ping answers at TTL 1 on its WAN address;
            // anything else sent there is either forwarded (so expired) or unsolicited.
            if (Ipv4Packet.Ttl(p.Buffer, p.IpOffset) <= 1 && !(toRouter && p.Protocol == IpProtocol.Icmp && p.IcmpType == IcmpMessage.TypeEchoRequest))
            {
                _icmp.SendError(ingress, p, IcmpMessage.TypeTimeExceeded, 0, 0, nowMs);
                return Counters.DropTtlExpired;
            }
            // Checked before NAT so "fragmentation needed" goes to the real sender and quotes the header it sent.
            // Inbound and hairpinned packets (to the WAN address) leave by the LAN; the rest by the WAN.
            NetworkPort egress = toRouter ? Lan : Wan;
            if (p.TotalLength > egress.Mtu)
            {
                if (Ipv4Packet.DontFragment(p.Buffer, p.IpOffset)) _icmp.SendError(ingress, p, IcmpMessage.TypeDestinationUnreachable, IcmpMessage.CodeFragmentationNeeded, egress.Mtu, nowMs);
                return Counters.DropTooBig;
            }
            NatVerdict verdict = _nat.Process(p, ingress.Index, Seconds(nowMs));
            if (verdict == NatVerdict.Local) return Local(ingress, p);
            if (verdict == NatVerdict.Drop) return _nat.DropReason;

            Ipv4Packet.DecrementTtl(p.Buffer, p.IpOffset);
            uint nextHop = egress == Wan && !Wan.OnLink(p.Destination) ? _settings.WanGateway : p.Destination;
            return _arp.Transmit(egress, nextHop, p.Buffer, EthernetFrame.HeaderLength + p.TotalLength, nowMs);
        }

        /// <summary>Traffic addressed to the router itself.</summary>
        private int Local(NetworkPort port, ParsedPacket p)
        {
            if (p.Protocol == IpProtocol.Icmp && p.IcmpType == IcmpMessage.TypeEchoRequest && !p.IsFragment
                && (p.Destination == port.Address || p.Destination == Wan.Address))
            {
                _icmp.Echo(port, p);
                return Counters.Consumed;
            }
            if (p.Protocol == IpProtocol.Tcp && _tcp != null && port.Index == NetworkPort.Lan && p.Destination == port.Address)
            {
                return _tcp.Receive(port, p, _clock.NowMilliseconds);
            }
            if (_localService != null && _localService.Deliver(port, p, _clock.NowMilliseconds)) return Counters.Consumed;
            return p.Destination == port.Address || p.Destination == Wan.Address ? Counters.DropUnsolicited : Counters.DropNotRoutable;
        }

        private static bool IsDhcpReply(ParsedPacket p)
        {
            return p.Protocol == IpProtocol.Udp && p.HasTransport && !p.IsFragment && p.SourcePort == 67 && p.DestinationPort == 68;
        }

        private static uint Seconds(long milliseconds)
        {
            return (uint)(milliseconds / 1000);
        }
    }
}
