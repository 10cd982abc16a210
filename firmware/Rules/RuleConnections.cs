using Router.Conntrack;

namespace Router.Rules
{
    /// <summary>
    /// Finds and cuts the connections a forward or trigger opened, so removing or changing a rule takes effect on flows
    /// already running. Such a connection is destination-translated (not through an endpoint mapping or a helper's
    /// expectation), its original destination port lies in the rule's range, and its reply comes from the rule's host
    /// and port. Runs only when the configuration changes, so a scan of the table is affordable.
    /// </summary>
    public static class RuleConnections
    {
        /// <summary>Pass as the internal address to match a reply from any host.</summary>
        public const uint AnyHost = 0;

        private const int OtherDestinationNat = ConnectionTable.StatusInboundMapped | ConnectionTable.StatusRelated;

        /// <summary>
        /// Frees the connections whose original destination port p is in [<paramref name="low"/>, <paramref name="high"/>]
        /// and whose reply source is <paramref name="internalAddress"/> (or <see cref="AnyHost"/>) at port p + <paramref name="portOffset"/>.
        /// Returns how many.
        /// </summary>
        public static int Cut(ConnectionTable connections, int ruleProtocol, int low, int high, uint internalAddress, int portOffset)
        {
            int cut = 0;
            for (int entry = 0; entry < connections.Capacity; entry++)
            {
                if (!connections.InUse(entry) || !connections.HasStatus(entry, ConnectionTable.StatusDestinationNat)) continue;
                if (connections.HasStatus(entry, OtherDestinationNat)) continue;
                if (!RuleProtocol.Covers(ruleProtocol, connections.Protocol(entry))) continue;
                int original = entry * 2, reply = original + 1;
                int port = connections.DestinationPort(original);
                if (port < low || port > high) continue;
                if ((internalAddress != AnyHost && connections.SourceAddress(reply) != internalAddress) || connections.SourcePort(reply) != port + portOffset) continue;
                connections.Free(entry);
                cut++;
            }
            return cut;
        }
    }
}
