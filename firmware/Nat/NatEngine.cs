using Router.Conntrack;
using Router.Ip;
using Router.Link;
using Router.Wire;

namespace Router.Nat
{
    /// <summary>
    /// Connection tracking, the stateful firewall and NAPT for packets crossing the router: finds or creates the
    /// connection of each packet, advances its state, and rewrites the packet to the inverse of the other direction's
    /// tuple, which covers masquerade, port forwards and hairpinning alike.
    /// </summary>
    public sealed class NatEngine
    {
        /// <summary>Returned by the lookup and creation steps instead of a node: see <see cref="_forRouter"/> and <see cref="DropReason"/>.</summary>
        private const int NoNode = -1;

        private const int MaxRules = 8;
        private const int MaxObservers = 4;

        private readonly ConnectionTable _connections;
        private readonly TcpWindowTracker _tcp;
        private readonly NatMappingTable _mappings;
        private readonly FragmentTable _fragments;
        private readonly Counters _counters;
        private readonly Hal.IRandomSource _random;
        private readonly InboundTarget _target = new InboundTarget();
        private readonly IInboundRule[] _rules = new IInboundRule[MaxRules];
        private readonly IOutboundObserver[] _observers = new IOutboundObserver[MaxObservers];
        private int _ruleCount;
        private int _observerCount;

        /// <summary>The drop counter of the last packet <see cref="Process"/> dropped.</summary>
        public int DropReason;
        private bool _forRouter;

        public uint WanAddress;
        public int Filtering = NatFiltering.AddressDependent;
        /// <summary>Largest MSS allowed in SYNs crossing the router (WAN MTU minus 40).</summary>
        public int MaxMss = 1460;

        public NatEngine(ConnectionTable connections, NatMappingTable mappings, FragmentTable fragments, Counters counters, Hal.IRandomSource random)
        {
            _connections = connections;
            _tcp = new TcpWindowTracker(connections);
            _mappings = mappings;
            _fragments = fragments;
            _counters = counters;
            _random = random;
            connections.AddListener(fragments);
        }

        public ConnectionTable Connections { get { return _connections; } }
        public TcpWindowTracker Tcp { get { return _tcp; } }
        public NatMappingTable Mappings { get { return _mappings; } }

        public void AddInboundRule(IInboundRule rule) { _rules[_ruleCount++] = rule; }
        public void AddOutboundObserver(IOutboundObserver observer) { _observers[_observerCount++] = observer; }

        /// <summary>The application-level gateway offered every new connection (the FTP helper), or null.</summary>
        public IConnectionHelper Helper;

        /// <summary>
        /// Tracks and translates one packet that entered on <paramref name="ingress"/>: forward it, hand it to the
        /// router itself, or drop it (<see cref="DropReason"/> names the counter). A dropped packet changes no state.
        /// </summary>
        public NatVerdict Process(ParsedPacket p, int ingress, uint now)
        {
            if (!p.HasTransport) return TranslateLaterFragment(p, now);
            if (p.IcmpType >= 0 && p.IsIcmpError)
            {
                int error = IcmpErrorTranslator.Translate(p, _connections);
                if (error != Verdict.Accept) return Drop(error);
                _counters.Increment(Counters.IcmpErrorsTranslated);
                return NatVerdict.Forward;
            }

            int node = Lookup(p, ingress, now);
            if (node == NoNode) return _forRouter ? NatVerdict.Local : NatVerdict.Drop;
            int connection = node >> 1, direction = node & 1;
            Tracked tracked = Track(p, connection, direction, now);
            if (tracked == Tracked.Reopen)
            {
                // A SYN starting over on a closed or aborted connection: netfilter kills the entry and looks again.
                _connections.Free(connection);
                node = Lookup(p, ingress, now);
                if (node == NoNode) return _forRouter ? NatVerdict.Local : NatVerdict.Drop;
                connection = node >> 1;
                direction = node & 1;
                tracked = Track(p, connection, direction, now);
            }
            if (tracked != Tracked.Pass) return NatVerdict.Drop;

            if (p.IsFirstFragment) _fragments.Remember(p.Source, p.Destination, p.Protocol, p.Identification, node, now);
            int other = node ^ 1;
            PacketTranslator.Rewrite(p, _connections.DestinationAddress(other), _connections.SourceAddress(other),
                _connections.DestinationPort(other), _connections.SourcePort(other));

            if (p.Protocol == IpProtocol.Tcp && (p.TcpFlags & TcpSegment.Syn) != 0 && MssClamp.Apply(p.Buffer, p.TransportOffset, MaxMss))
            {
                _counters.Increment(Counters.MssClamped);
            }
            if (_connections.HasStatus(connection, ConnectionTable.StatusHelper)
                && Helper.Process(p, connection, direction, now) == HelperVerdict.Drop)
            {
                return Drop(Counters.DropHelper);
            }
            return NatVerdict.Forward;
        }

        private NatVerdict Drop(int counter)
        {
            DropReason = counter;
            return NatVerdict.Drop;
        }

        /// <summary>No node: the packet is dropped, counted by <paramref name="counter"/>.</summary>
        private int Refuse(int counter)
        {
            DropReason = counter;
            _forRouter = false;
            return NoNode;
        }

        /// <summary>No node: nothing claims the packet, so it is the router's own.</summary>
        private int ForRouter()
        {
            _forRouter = true;
            return NoNode;
        }

        /// <summary>Frees every connection (a WAN address change, a cleared configuration).</summary>
        public void FlushConnections()
        {
            for (int i = 0; i < _connections.Capacity; i++)
            {
                if (_connections.InUse(i)) _connections.Free(i);
            }
        }

        /// <summary>The node of the packet's connection, made if the packet may open one; else <see cref="NoNode"/>.</summary>
        private int Lookup(ParsedPacket p, int ingress, uint now)
        {
            int node = _connections.Find(p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort);
            if (node >= 0 && _connections.IsExpired(node >> 1, now))
            {
                _connections.Free(node >> 1);
                _connections.Expired++;
                node = ConnectionTable.NotFound;
            }
            if (node >= 0) return node;
            return ingress == NetworkPort.Lan ? CreateOutbound(p, now) : CreateInbound(p, now);
        }

        private enum Tracked { Pass, Reopen, Dropped }

        /// <summary>Advances the connection by the packet (netfilter's L4 tracker dispatch). A dropped packet changes nothing.</summary>
        private Tracked Track(ParsedPacket p, int connection, int direction, uint now)
        {
            if (p.Protocol == IpProtocol.Tcp)
            {
                // A forged RST is the cheapest attack on a flow: verify it before it can move anything.
                if ((p.TcpFlags & TcpSegment.Rst) != 0 && !ChecksumValid(p)) return Dropped(Counters.DropTransportChecksum);
                TcpVerdict tcp = _tcp.Packet(p.Buffer, p.TransportOffset, p.TransportLength, connection, direction);
                if (tcp == TcpVerdict.Invalid) return Dropped(Counters.DropTcpInvalid);
                if (tcp == TcpVerdict.OutOfWindow) return Dropped(Counters.DropTcpOutOfWindow);
                if (tcp == TcpVerdict.Reopen) return Tracked.Reopen;
                if (tcp == TcpVerdict.Ignore) _counters.Increment(Counters.TcpIgnored);
            }
            else if (direction == ConnectionTable.Reply)
            {
                _connections.SetAssured(connection);
            }
            if (direction == ConnectionTable.Reply) _connections.AddStatus(connection, ConnectionTable.StatusSeenReply);
            _connections.Touch(connection, now);
            if (_connections.HasStatus(connection, ConnectionTable.StatusRelated))
            {
                // Data flowing on a related connection keeps its control connection alive.
                int master = _connections.Link(connection);
                if (master >= 0) _connections.Touch(master, now);
            }
            return Tracked.Pass;
        }

        private Tracked Dropped(int counter)
        {
            DropReason = counter;
            return Tracked.Dropped;
        }

        private NatVerdict TranslateLaterFragment(ParsedPacket p, uint now)
        {
            int node = _fragments.Lookup(p.Source, p.Destination, p.Protocol, p.Identification, !p.MoreFragments, now);
            if (node < 0) return Drop(Counters.DropFragmentUnknown);
            int other = node ^ 1;
            PacketTranslator.Rewrite(p, _connections.DestinationAddress(other), _connections.SourceAddress(other), 0, 0);
            _connections.Touch(node >> 1, now);
            _counters.Increment(Counters.FragmentsTranslated);
            return NatVerdict.Forward;
        }

        /// <summary>A new connection from the LAN: masquerade to the WAN address, or hairpin to a forwarded host.</summary>
        private int CreateOutbound(ParsedPacket p, uint now)
        {
            int refusal = OpeningRefusal(p, Counters.DropTcpInvalid);
            if (refusal != 0) return Refuse(refusal);
            if (!ChecksumValid(p)) return Refuse(Counters.DropTransportChecksum);
            _connections.EnsureRoom(now); // before taking a mapping: making room may free the mapping's last connection

            uint remote = p.Destination;
            int remotePort = p.DestinationPort;
            uint replySource = p.Destination;
            int replySourcePort = p.DestinationPort;
            int status = ConnectionTable.StatusSourceNat;
            if (p.Destination == WanAddress)
            {
                // Hairpin (RFC 4787 REQ-9, RFC 5382 REQ-8): reach the forwarded host, seen from our WAN address.
                if (!Claim(p.Protocol, p.Source, p.SourcePort, p.DestinationPort, now)) return ForRouter();
                replySource = _target.InternalAddress;
                replySourcePort = _target.InternalPort;
                status |= ConnectionTable.StatusDestinationNat;
            }

            int mapping = _mappings.Acquire(p.Protocol, p.Source, p.SourcePort, _random.NextUInt32());
            // Mappings held by never-assured connections (a SYN flood) must not lock new flows out: evict one, which
            // releases its mapping, and try again.
            if (mapping < 0 && _connections.MakeRoom(now)) mapping = _mappings.Acquire(p.Protocol, p.Source, p.SourcePort, _random.NextUInt32());
            if (mapping < 0) return Refuse(Counters.DropNatPortsExhausted);
            if (_mappings.ExternalPort(mapping) != p.SourcePort && _mappings.IsReserved(p.Protocol, p.SourcePort)) _counters.Increment(Counters.NatShadowAvoided);
            int connection = _connections.Create(p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort,
                replySource, WanAddress, replySourcePort, _mappings.ExternalPort(mapping), now);
            if (connection < 0)
            {
                _mappings.ReleaseIfUnused(mapping);
                return Refuse(connection == ConnectionTable.TupleTaken ? Counters.DropTupleTaken : Counters.DropConntrackFull);
            }
            BeginTracking(p, connection);
            _connections.AddStatus(connection, status);
            _mappings.Attach(mapping, connection);
            for (int i = 0; i < _observerCount; i++) _observers[i].OnOutboundConnection(p.Protocol, p.Source, remotePort, now);
            if (remote == WanAddress) SetRelation(connection);
            AttachHelper(connection);
            return connection * 2;
        }

        /// <summary>A new connection from the WAN: admitted only by an inbound rule or an existing mapping's filter.</summary>
        private int CreateInbound(ParsedPacket p, uint now)
        {
            if (p.Protocol == IpProtocol.Icmp && p.IcmpType == IcmpMessage.TypeEchoRequest) return ForRouter();
            int refusal = OpeningRefusal(p, Counters.DropUnsolicited);
            if (refusal != 0) return Refuse(refusal);
            if (!ChecksumValid(p)) return Refuse(Counters.DropTransportChecksum);

            int status = ConnectionTable.StatusDestinationNat;
            bool mapped = !Claim(p.Protocol, p.Source, p.SourcePort, p.DestinationPort, now);
            if (mapped && !TargetAdmittingMapping(p)) return Refuse(Counters.DropUnsolicited);
            // Only an admitted flow may make room: an unsolicited packet must never evict anything. Making room may free
            // what admitted it (the mapping's last connection with this peer, or the master), so check again after.
            _connections.EnsureRoom(now);
            if (mapped && !TargetAdmittingMapping(p)) return Refuse(Counters.DropUnsolicited);
            if (_target.Master >= 0 && !_connections.InUse(_target.Master)) return Refuse(Counters.DropUnsolicited);
            if (mapped) status |= ConnectionTable.StatusInboundMapped;
            int connection = _connections.Create(p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort,
                _target.InternalAddress, p.Source, _target.InternalPort, p.SourcePort, now);
            // A taken reply tuple: the inside endpoint already talks to this peer through another mapping.
            if (connection < 0) return Refuse(connection == ConnectionTable.TupleTaken ? Counters.DropTupleTaken : Counters.DropConntrackFull);
            BeginTracking(p, connection);
            _connections.AddStatus(connection, status);
            if ((status & ConnectionTable.StatusInboundMapped) != 0) _mappings.Attach(_mappings.MappingOf(connection), connection);
            SetRelation(connection);
            AttachHelper(connection);
            return connection * 2;
        }

        private void BeginTracking(ParsedPacket p, int connection)
        {
            if (p.Protocol == IpProtocol.Tcp) _tcp.Begin(connection, p.Buffer, p.TransportOffset, p.TransportLength);
        }

        /// <summary>
        /// The TCP/UDP checksum verifies (netfilter checks it in PREROUTING before tracking). A fragment cannot be verified
        /// before reassembly and passes; ICMP has no pseudo-header and is checked by whoever answers it.
        /// </summary>
        private static bool ChecksumValid(ParsedPacket p)
        {
            if (p.IsFragment || (p.Protocol != IpProtocol.Tcp && p.Protocol != IpProtocol.Udp)) return true;
            int length = p.Protocol == IpProtocol.Udp ? NetworkOrder.ReadUInt16(p.Buffer, p.TransportOffset + 4) : p.TransportLength;
            return Checksum.TransportValid(p.Buffer, p.TransportOffset, length, p.Source, p.Destination, p.Protocol);
        }

        /// <summary>Only a bare TCP SYN or an ICMP echo request may open a connection.</summary>
        private static int OpeningRefusal(ParsedPacket p, int tcpRefusal)
        {
            if (p.Protocol == IpProtocol.Tcp && !TcpTracker.OpensConnection(p.TcpFlags)) return tcpRefusal;
            if (p.Protocol == IpProtocol.Icmp && p.IcmpType != IcmpMessage.TypeEchoRequest) return Counters.DropUnsolicited;
            return 0;
        }

        private bool Claim(int protocol, uint remote, int remotePort, int externalPort, uint now)
        {
            _target.Clear();
            for (int i = 0; i < _ruleCount; i++)
            {
                if (_rules[i].TryClaim(protocol, remote, remotePort, externalPort, now, _target)) return true;
            }
            return false;
        }

        /// <summary>Points the target at the inside endpoint of the mapping on the packet's port, if its filter admits the packet.</summary>
        private bool TargetAdmittingMapping(ParsedPacket p)
        {
            int mapping = p.Protocol == IpProtocol.Icmp ? NatMappingTable.NotFound : _mappings.FindByExternal(p.Protocol, p.DestinationPort);
            if (mapping < 0 || !Admits(mapping, p)) return false;
            _target.InternalAddress = _mappings.InternalAddress(mapping);
            _target.InternalPort = _mappings.InternalPort(mapping);
            return true;
        }

        private bool Admits(int mapping, ParsedPacket p)
        {
            if (Filtering == NatFiltering.EndpointIndependent) return true;
            if (Filtering == NatFiltering.AddressDependent) return _mappings.HasPeer(mapping, p.Source, -1);
            return false; // address-and-port-dependent: only exact tuples, which the lookup already matched
        }

        private void SetRelation(int connection)
        {
            if (_target.Master < 0) return;
            _connections.AddStatus(connection, ConnectionTable.StatusRelated);
            _connections.SetLink(connection, _target.Master);
        }

        private void AttachHelper(int connection)
        {
            if (Helper == null || _connections.HasStatus(connection, ConnectionTable.StatusRelated)) return;
            if (Helper.Attach(connection)) _connections.AddStatus(connection, ConnectionTable.StatusHelper);
        }
    }
}
