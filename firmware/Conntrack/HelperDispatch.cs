using Router.Ip;

namespace Router.Conntrack
{
    /// <summary>
    /// Helper dispatch (netfilter's nf_conntrack_helper): offers each new connection that is not itself related to the
    /// helper, and hands every packet of an attached connection to it after NAT rewrote the headers.
    /// </summary>
    public sealed class HelperDispatch
    {
        private readonly ConnectionTable _connections;

        /// <summary>The application-level gateway offered every new connection (the FTP helper), or null.</summary>
        public IConnectionHelper Helper;

        public HelperDispatch(ConnectionTable connections)
        {
            _connections = connections;
        }

        /// <summary>Offers a new connection to the helper. A related connection (an expected data flow) gets none.</summary>
        public void Attach(int connection)
        {
            if (Helper == null || _connections.HasStatus(connection, ConnectionTable.StatusRelated)) return;
            if (Helper.Attach(connection)) _connections.AddStatus(connection, ConnectionTable.StatusHelper);
        }

        /// <summary>Runs the helper on a packet of an attached connection; any other packet passes.</summary>
        public HelperVerdict Process(ParsedPacket p, int connection, int direction, uint now)
        {
            if (!_connections.HasStatus(connection, ConnectionTable.StatusHelper)) return HelperVerdict.Pass;
            return Helper.Process(p, connection, direction, now);
        }
    }
}
