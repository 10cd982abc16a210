using Router.Conntrack;
using Router.Nat;

namespace Router.Rules
{
    /// <summary>
    /// The port forwards in force: claims new inbound (and hairpin) connections for a forwarded port and keeps the NAT
    /// allocator off those ports. Rules live in preallocated slots sized by the board; <see cref="Replace"/> swaps in a
    /// validated set live, cutting the flows of rules that were removed or changed while the others keep running. A forward
    /// with a pool sends each new connection to the member its source address hashes to.
    /// </summary>
    public sealed class PortForwardTable : IInboundRule, IPortReservations
    {
        private readonly ConnectionTable _connections;
        private readonly PortForward[] _rules;
        private int _count;

        public PortForwardTable(int capacity, ConnectionTable connections)
        {
            _connections = connections;
            _rules = new PortForward[capacity];
            for (int i = 0; i < capacity; i++) _rules[i] = new PortForward();
        }

        public int Capacity { get { return _rules.Length; } }
        public int Count { get { return _count; } }

        /// <summary>The rule in slot <paramref name="index"/> (read it; change rules only through <see cref="Replace"/>).</summary>
        public PortForward this[int index] { get { return _rules[index]; } }

        /// <summary>Connections cut because their rule went away or changed, since boot.</summary>
        public long ConnectionsCut;

        /// <summary>
        /// Makes <paramref name="rules"/>[0..count) the forwards in force (copied; the caller keeps its objects).
        /// Validate first (<see cref="RuleValidator"/>). Returns the number of connections cut, or -1 (nothing changed)
        /// when the set does not fit the table.
        /// </summary>
        public int Replace(PortForward[] rules, int count)
        {
            if (count < 0 || count > _rules.Length) return -1;
            int cut = 0;
            for (int i = 0; i < _count; i++)
            {
                PortForward old = _rules[i];
                if (!old.Enabled || Contains(rules, count, old)) continue;
                for (int member = 0; member < old.PoolSize; member++)
                {
                    cut += RuleConnections.Cut(_connections, old.Protocol, old.ExternalPort, old.ExternalPortEnd, old.PoolMember(member), old.InternalPort - old.ExternalPort);
                }
            }
            for (int i = 0; i < count; i++) _rules[i].CopyFrom(rules[i]);
            _count = count;
            ConnectionsCut += cut;
            return cut;
        }

        public bool TryClaim(int protocol, uint remoteAddress, int remotePort, int externalPort, uint now, InboundTarget target)
        {
            for (int i = 0; i < _count; i++)
            {
                PortForward rule = _rules[i];
                if (!rule.Enabled || !rule.Covers(protocol, externalPort) || !rule.Admits(remoteAddress)) continue;
                target.InternalAddress = rule.MemberFor(remoteAddress);
                target.InternalPort = rule.InternalPortFor(externalPort);
                return true;
            }
            return false;
        }

        public bool IsReserved(int protocol, int externalPort)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_rules[i].Enabled && _rules[i].Covers(protocol, externalPort)) return true;
            }
            return false;
        }

        private bool Contains(PortForward[] rules, int count, PortForward rule)
        {
            for (int i = 0; i < count; i++)
            {
                if (rules[i].SameTraffic(rule)) return true;
            }
            return false;
        }
    }
}
