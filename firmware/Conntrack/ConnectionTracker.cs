using Router.Ip;
using Router.Wire;

namespace Router.Conntrack
{
    /// <summary>
    /// The conntrack core (netfilter's nf_conntrack_core): finds a packet's connection from either direction, expiring a
    /// stale entry on the way, advances it through its L4 tracker (TCP window tracking; UDP and ICMP become assured on a
    /// reply), and keeps a related connection's master alive. It never decides what may open a connection (the filter)
    /// nor how addresses change (NAT).
    /// </summary>
    public sealed class ConnectionTracker
    {
        private readonly ConnectionTable _connections;
        private readonly TcpWindowTracker _tcp;
        private readonly Counters _counters;

        /// <summary>The drop counter of the last packet <see cref="Track"/> dropped.</summary>
        public int DropReason;

        public ConnectionTracker(ConnectionTable connections, Counters counters)
        {
            _connections = connections;
            _tcp = new TcpWindowTracker(connections);
            _counters = counters;
        }

        public ConnectionTable Connections { get { return _connections; } }
        public TcpWindowTracker Tcp { get { return _tcp; } }

        /// <summary>The node (connection × 2 + direction) the packet belongs to, or <see cref="ConnectionTable.NotFound"/>; an expired entry found is freed.</summary>
        public int Find(ParsedPacket p, uint now)
        {
            int node = _connections.Find(p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort);
            if (node >= 0 && _connections.IsExpired(node >> 1, now))
            {
                _connections.Free(node >> 1);
                _connections.Expired++;
                return ConnectionTable.NotFound;
            }
            return node;
        }

        /// <summary>Starts the L4 tracker of a connection just created by its first packet.</summary>
        public void Begin(ParsedPacket p, int connection)
        {
            if (p.Protocol == IpProtocol.Tcp) _tcp.Begin(connection, p.Buffer, p.TransportOffset, p.TransportLength);
        }

        /// <summary>Makes <paramref name="connection"/> related to <paramref name="master"/> (an expectation's), when there is one.</summary>
        public void Relate(int connection, int master)
        {
            if (master < 0) return;
            _connections.AddStatus(connection, ConnectionTable.StatusRelated);
            _connections.SetLink(connection, master);
        }

        /// <summary>Advances the connection by the packet (netfilter's L4 tracker dispatch). A dropped packet changes nothing.</summary>
        public TrackVerdict Track(ParsedPacket p, int connection, int direction, uint now)
        {
            if (p.Protocol == IpProtocol.Tcp)
            {
                // A forged RST is the cheapest attack on a flow: verify it before it can move anything.
                if ((p.TcpFlags & TcpSegment.Rst) != 0 && !TransportChecksum.Verifies(p)) return Drop(Counters.DropTransportChecksum);
                TcpVerdict tcp = _tcp.Packet(p.Buffer, p.TransportOffset, p.TransportLength, connection, direction);
                if (tcp == TcpVerdict.Invalid) return Drop(Counters.DropTcpInvalid);
                if (tcp == TcpVerdict.OutOfWindow) return Drop(Counters.DropTcpOutOfWindow);
                if (tcp == TcpVerdict.Reopen) return TrackVerdict.Reopen;
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
            return TrackVerdict.Accept;
        }

        /// <summary>Frees every connection (a WAN address change, a cleared configuration).</summary>
        public void FlushConnections()
        {
            for (int i = 0; i < _connections.Capacity; i++)
            {
                if (_connections.InUse(i)) _connections.Free(i);
            }
        }

        private TrackVerdict Drop(int counter)
        {
            DropReason = counter;
            return TrackVerdict.Drop;
        }
    }
}
