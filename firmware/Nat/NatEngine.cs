using Router.Conntrack;
using Router.Ip;
using Router.Link;

namespace Router.Nat
{
    /// <summary>
    /// The pipeline a packet crossing the router goes through, netfilter's order: conntrack finds its connection, or the
    /// filter decides whether it may open one and NAT binds the new one; conntrack tracks it; NAT translates it; the helper
    /// inspects it. Each piece has its own verdicts; this class only sequences them.
    /// </summary>
    public sealed class NatEngine
    {
        private readonly ConnectionTable _connections;
        private readonly ConnectionTracker _tracker;
        private readonly ConnectionFilter _filter;
        private readonly NatTranslator _nat;
        private readonly HelperDispatch _helpers;
        private readonly Counters _counters;

        /// <summary>The drop counter of the last packet <see cref="Process"/> dropped.</summary>
        public int DropReason;

        public NatEngine(ConnectionTable connections, NatMappingTable mappings, FragmentTable fragments, Counters counters, Hal.IRandomSource random)
        {
            _connections = connections;
            _tracker = new ConnectionTracker(connections, counters);
            _filter = new ConnectionFilter(connections, mappings);
            _nat = new NatTranslator(connections, mappings, fragments, counters, random);
            _helpers = new HelperDispatch(connections);
            _counters = counters;
            connections.AddListener(fragments);
        }

        public ConnectionTable Connections { get { return _connections; } }
        public TcpWindowTracker Tcp { get { return _tracker.Tcp; } }
        public NatMappingTable Mappings { get { return _nat.Mappings; } }
        public ConnectionTracker Tracker { get { return _tracker; } }
        public ConnectionFilter Filter { get { return _filter; } }
        public NatTranslator Translator { get { return _nat; } }

        public uint WanAddress { get { return _nat.WanAddress; } set { _nat.WanAddress = value; } }
        /// <summary>Largest MSS allowed in SYNs crossing the router (WAN MTU minus 40).</summary>
        public int MaxMss { get { return _nat.MaxMss; } set { _nat.MaxMss = value; } }
        /// <summary>Which inbound packets a mapping admits (<see cref="NatFiltering"/>).</summary>
        public int Filtering { get { return _filter.Filtering; } set { _filter.Filtering = value; } }
        /// <summary>The application-level gateway offered every new connection (the FTP helper), or null.</summary>
        public IConnectionHelper Helper { get { return _helpers.Helper; } set { _helpers.Helper = value; } }

        public void AddInboundRule(IInboundRule rule) { _filter.AddInboundRule(rule); }
        public void AddOutboundObserver(IOutboundObserver observer) { _filter.AddOutboundObserver(observer); }

        /// <summary>Frees every connection (a WAN address change, a cleared configuration).</summary>
        public void FlushConnections() { _tracker.FlushConnections(); }

        /// <summary>
        /// Tracks and translates one packet that entered on <paramref name="ingress"/>: forward it, hand it to the
        /// router itself, or drop it (<see cref="DropReason"/> names the counter). A dropped packet changes no state.
        /// </summary>
        public NatVerdict Process(ParsedPacket p, int ingress, uint now)
        {
            if (!p.HasTransport) return _nat.TranslateLaterFragment(p, now) ? NatVerdict.Forward : Drop(_nat.DropReason);
            if (p.IcmpType >= 0 && p.IsIcmpError)
            {
                int error = IcmpErrorTranslator.Translate(p, _connections);
                if (error != Verdict.Accept) return Drop(error);
                _counters.Increment(Counters.IcmpErrorsTranslated);
                return NatVerdict.Forward;
            }

            int node;
            NatVerdict found = Lookup(p, ingress, now, out node);
            if (found != NatVerdict.Forward) return found;
            TrackVerdict tracked = _tracker.Track(p, node >> 1, node & 1, now);
            if (tracked == TrackVerdict.Reopen)
            {
                // A SYN starting over on a closed or aborted connection: netfilter kills the entry and looks again.
                _connections.Free(node >> 1);
                found = Lookup(p, ingress, now, out node);
                if (found != NatVerdict.Forward) return found;
                tracked = _tracker.Track(p, node >> 1, node & 1, now);
            }
            if (tracked != TrackVerdict.Accept) return Drop(_tracker.DropReason);

            _nat.Translate(p, node, now);
            if (_helpers.Process(p, node >> 1, node & 1, now) == HelperVerdict.Drop) return Drop(Counters.DropHelper);
            return NatVerdict.Forward;
        }

        /// <summary>
        /// Finds the packet's connection, or opens one if the filter admits it: Forward with its <paramref name="node"/>,
        /// else Local (the router's own) or Drop.
        /// </summary>
        private NatVerdict Lookup(ParsedPacket p, int ingress, uint now, out int node)
        {
            node = _tracker.Find(p, now);
            if (node != ConnectionTable.NotFound) return NatVerdict.Forward;
            int connection;
            NatVerdict opened = ingress == NetworkPort.Lan ? OpenOutbound(p, now, out connection) : OpenInbound(p, now, out connection);
            node = opened == NatVerdict.Forward ? connection * 2 : ConnectionTable.NotFound;
            return opened;
        }

        /// <summary>A new connection from the LAN: masquerade to the WAN address, or hairpin to a forwarded host.</summary>
        private NatVerdict OpenOutbound(ParsedPacket p, uint now, out int connection)
        {
            connection = ConnectionTable.NotFound;
            if (_filter.MayOpenOutbound(p) == FilterVerdict.Drop) return Drop(_filter.DropReason);
            _connections.EnsureRoom(now); // before taking a mapping: making room may free the mapping's last connection
            InboundTarget hairpin = null;
            if (p.Destination == _nat.WanAddress)
            {
                if (!_filter.ClaimHairpin(p, now)) return NatVerdict.Local;
                hairpin = _filter.Target;
            }
            if (_nat.BindOutbound(p, hairpin, now, out connection) == BindVerdict.Drop) return Drop(_nat.DropReason);
            _tracker.Begin(p, connection);
            _filter.OnOutboundConnection(p, now);
            if (hairpin != null) _tracker.Relate(connection, hairpin.Master);
            _helpers.Attach(connection);
            return NatVerdict.Forward;
        }

        /// <summary>A new connection from the WAN: admitted only by an inbound rule or an existing mapping's filter.</summary>
        private NatVerdict OpenInbound(ParsedPacket p, uint now, out int connection)
        {
            connection = ConnectionTable.NotFound;
            FilterVerdict admitted = _filter.MayOpenInbound(p, now);
            if (admitted == FilterVerdict.Local) return NatVerdict.Local;
            if (admitted == FilterVerdict.Drop) return Drop(_filter.DropReason);
            // Only an admitted flow may make room: an unsolicited packet must never evict anything.
            _connections.EnsureRoom(now);
            if (!_filter.StillAdmits(p)) return Drop(Counters.DropUnsolicited);
            if (_nat.BindInbound(p, _filter.Target, _filter.ByMapping, now, out connection) == BindVerdict.Drop) return Drop(_nat.DropReason);
            _tracker.Begin(p, connection);
            _tracker.Relate(connection, _filter.Target.Master);
            _helpers.Attach(connection);
            return NatVerdict.Forward;
        }

        private NatVerdict Drop(int counter)
        {
            DropReason = counter;
            return NatVerdict.Drop;
        }
    }
}
