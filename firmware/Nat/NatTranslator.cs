using Router.Conntrack;
using Router.Ip;
using Router.Wire;

namespace Router.Nat
{
    /// <summary>
    /// NAPT (netfilter's nf_nat): binds each new connection to its translation and rewrites packets by it. Outbound, the
    /// inside endpoint's mapping gives the outside port (masquerade), and a packet to the WAN address goes to the forwarded
    /// host instead (hairpin); inbound, the filter's target is the inside endpoint. The reply tuple then holds the
    /// translation, so every later packet is rewritten to the inverse of the other direction's tuple.
    /// </summary>
    public sealed class NatTranslator
    {
        private readonly ConnectionTable _connections;
        private readonly NatMappingTable _mappings;
        private readonly FragmentTable _fragments;
        private readonly Counters _counters;
        private readonly Hal.IRandomSource _random;

        public uint WanAddress;
        /// <summary>Largest MSS allowed in SYNs crossing the router (WAN MTU minus 40).</summary>
        public int MaxMss = 1460;
        /// <summary>The drop counter of the last refusal (a bind step's <see cref="BindVerdict.Drop"/>, a later fragment not translated).</summary>
        public int DropReason;

        public NatTranslator(ConnectionTable connections, NatMappingTable mappings, FragmentTable fragments, Counters counters, Hal.IRandomSource random)
        {
            _connections = connections;
            _mappings = mappings;
            _fragments = fragments;
            _counters = counters;
            _random = random;
        }

        public NatMappingTable Mappings { get { return _mappings; } }

        /// <summary>
        /// A new connection from the LAN: masqueraded to the WAN address through the inside endpoint's mapping, and sent to
        /// <paramref name="hairpin"/> instead of the WAN address when it is not null. Bound gives the new
        /// <paramref name="connection"/>; Drop leaves it at <see cref="ConnectionTable.NotFound"/> and changes nothing.
        /// </summary>
        public BindVerdict BindOutbound(ParsedPacket p, InboundTarget hairpin, uint now, out int connection)
        {
            connection = ConnectionTable.NotFound;
            uint replySource = p.Destination;
            int replySourcePort = p.DestinationPort;
            int status = ConnectionTable.StatusSourceNat;
            if (hairpin != null)
            {
                // Hairpin (RFC 4787 REQ-9, RFC 5382 REQ-8): reach the forwarded host, seen from our WAN address.
                replySource = hairpin.InternalAddress;
                replySourcePort = hairpin.InternalPort;
                status |= ConnectionTable.StatusDestinationNat;
            }

            int mapping = _mappings.Acquire(p.Protocol, p.Source, p.SourcePort, _random.NextUInt32());
            // Mappings held by never-assured connections (a SYN flood) must not lock new flows out: evict one, which
            // releases its mapping, and try again.
            if (mapping < 0 && _connections.MakeRoom(now)) mapping = _mappings.Acquire(p.Protocol, p.Source, p.SourcePort, _random.NextUInt32());
            if (mapping < 0) return Refuse(Counters.DropNatPortsExhausted);
            // Port preservation refused: a forward, a trigger or the router holds that port outside (port shadowing).
            if (_mappings.ExternalPort(mapping) != p.SourcePort && _mappings.IsReserved(p.Protocol, p.SourcePort)) _counters.Increment(Counters.NatShadowAvoided);
            CreateVerdict created = _connections.Create(p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort,
                replySource, WanAddress, replySourcePort, _mappings.ExternalPort(mapping), now, out connection);
            if (created != CreateVerdict.Created)
            {
                _mappings.ReleaseIfUnused(mapping);
                return RefuseCreate(created);
            }
            _connections.AddStatus(connection, status);
            _mappings.Attach(mapping, connection);
            return BindVerdict.Bound;
        }

        /// <summary>
        /// A new connection from the WAN to <paramref name="target"/>; <paramref name="byMapping"/> when an existing mapping's
        /// filter admitted it, so it joins that mapping. Bound gives the new <paramref name="connection"/>; Drop leaves
        /// it at <see cref="ConnectionTable.NotFound"/> and changes nothing.
        /// </summary>
        public BindVerdict BindInbound(ParsedPacket p, InboundTarget target, bool byMapping, uint now, out int connection)
        {
            CreateVerdict created = _connections.Create(p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort,
                target.InternalAddress, p.Source, target.InternalPort, p.SourcePort, now, out connection);
            // A taken reply tuple: the inside endpoint already talks to this peer through another mapping.
            if (created != CreateVerdict.Created) return RefuseCreate(created);
            _connections.AddStatus(connection, byMapping ? ConnectionTable.StatusDestinationNat | ConnectionTable.StatusInboundMapped : ConnectionTable.StatusDestinationNat);
            if (byMapping) _mappings.Attach(_mappings.MappingOf(connection), connection);
            return BindVerdict.Bound;
        }

        /// <summary>
        /// Rewrites a packet of a tracked connection to the inverse of the other direction's tuple, remembers a first
        /// fragment for the ones that follow, and clamps the MSS of a SYN.
        /// </summary>
        public void Translate(ParsedPacket p, int node, uint now)
        {
            if (p.IsFirstFragment) _fragments.Remember(p.Source, p.Destination, p.Protocol, p.Identification, node, now);
            int other = node ^ 1;
            PacketTranslator.Rewrite(p, _connections.DestinationAddress(other), _connections.SourceAddress(other),
                _connections.DestinationPort(other), _connections.SourcePort(other));
            if (p.Protocol == IpProtocol.Tcp && (p.TcpFlags & TcpSegment.Syn) != 0 && MssClamp.Apply(p.Buffer, p.TransportOffset, MaxMss))
            {
                _counters.Increment(Counters.MssClamped);
            }
        }

        /// <summary>A later fragment (no transport header) gets its first fragment's address translation; false when that first was never seen.</summary>
        public bool TranslateLaterFragment(ParsedPacket p, uint now)
        {
            int node = _fragments.Lookup(p.Source, p.Destination, p.Protocol, p.Identification, !p.MoreFragments, now);
            if (node < 0)
            {
                DropReason = Counters.DropFragmentUnknown;
                return false;
            }
            int other = node ^ 1;
            PacketTranslator.Rewrite(p, _connections.DestinationAddress(other), _connections.SourceAddress(other), 0, 0);
            _connections.Touch(node >> 1, now);
            _counters.Increment(Counters.FragmentsTranslated);
            return true;
        }

        private BindVerdict RefuseCreate(CreateVerdict created)
        {
            return Refuse(created == CreateVerdict.TupleTaken ? Counters.DropTupleTaken : Counters.DropConntrackFull);
        }

        private BindVerdict Refuse(int counter)
        {
            DropReason = counter;
            return BindVerdict.Drop;
        }
    }
}
