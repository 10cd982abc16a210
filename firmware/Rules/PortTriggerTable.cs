using Router.Conntrack;
using Router.Nat;

namespace Router.Rules
{
    /// <summary>
    /// The port triggers in force and who holds each. An outbound connection to a trigger port gives its LAN host the
    /// trigger (if nobody else holds it); while held, new inbound connections to the open ports go to that host. The open
    /// ports are kept from the NAT allocator whether held or not: a LAN host that took one while the trigger was idle would
    /// capture what the holder's peers send there later (port shadowing). A trigger is released after IdleTimeoutSeconds without a
    /// triggering connection or an inbound claim. Connections already open keep running until conntrack expires them.
    /// </summary>
    public sealed class PortTriggerTable : IOutboundObserver, IInboundRule, IPortReservations
    {
        public const uint NoHolder = 0;

        private readonly ConnectionTable _connections;
        private readonly PortTrigger[] _rules;
        private readonly uint[] _holder;
        private readonly uint[] _lastActive;
        // Scratch for Replace: the state each new rule inherits, and which old rules found a successor.
        private readonly uint[] _nextHolder;
        private readonly uint[] _nextActive;
        private readonly bool[] _kept;
        private int _count;

        /// <summary>Triggering connections ignored because another host held the trigger.</summary>
        public long RefusedBusy;
        public long ConnectionsCut;

        public PortTriggerTable(int capacity, ConnectionTable connections)
        {
            _connections = connections;
            _rules = new PortTrigger[capacity];
            _holder = new uint[capacity];
            _lastActive = new uint[capacity];
            _nextHolder = new uint[capacity];
            _nextActive = new uint[capacity];
            _kept = new bool[capacity];
            for (int i = 0; i < capacity; i++) _rules[i] = new PortTrigger();
        }

        public int Capacity { get { return _rules.Length; } }
        public int Count { get { return _count; } }
        public PortTrigger this[int index] { get { return _rules[index]; } }

        /// <summary>The LAN host holding trigger <paramref name="index"/> at <paramref name="now"/> (seconds), or <see cref="NoHolder"/>.</summary>
        public uint HolderOf(int index, uint now)
        {
            return IsHeld(index, now) ? _holder[index] : NoHolder;
        }

        /// <summary>Seconds until trigger <paramref name="index"/> is released if nothing uses it; 0 when not held.</summary>
        public int SecondsLeft(int index, uint now)
        {
            return IsHeld(index, now) ? (int)(_lastActive[index] + (uint)_rules[index].IdleTimeoutSeconds - now) : 0;
        }

        /// <summary>
        /// Makes <paramref name="rules"/>[0..count) the triggers in force (copied). An unchanged trigger keeps its holder;
        /// the connections of a removed or changed one are cut. Returns the number cut, or -1 when the set does not fit.
        /// </summary>
        public int Replace(PortTrigger[] rules, int count)
        {
            if (count < 0 || count > _rules.Length) return -1;
            for (int i = 0; i < _count; i++) _kept[i] = false;
            for (int i = 0; i < count; i++)
            {
                _nextHolder[i] = NoHolder;
                _nextActive[i] = 0;
                for (int old = 0; old < _count; old++)
                {
                    if (_kept[old] || !_rules[old].SameTraffic(rules[i])) continue;
                    _kept[old] = true;
                    _nextHolder[i] = _holder[old];
                    _nextActive[i] = _lastActive[old];
                    break;
                }
            }
            int cut = 0;
            for (int old = 0; old < _count; old++)
            {
                if (_kept[old] || !_rules[old].Enabled) continue;
                PortTrigger rule = _rules[old];
                // Open ranges never overlap a forward or another trigger, so every destination-translated flow there is this trigger's.
                cut += RuleConnections.Cut(_connections, rule.OpenProtocol, rule.OpenPort, rule.OpenPortEnd, RuleConnections.AnyHost, 0);
            }
            for (int i = 0; i < count; i++)
            {
                _rules[i].CopyFrom(rules[i]);
                _holder[i] = _nextHolder[i];
                _lastActive[i] = _nextActive[i];
            }
            _count = count;
            ConnectionsCut += cut;
            return cut;
        }

        public void OnOutboundConnection(int protocol, uint lanAddress, int destinationPort, uint now)
        {
            for (int i = 0; i < _count; i++)
            {
                PortTrigger rule = _rules[i];
                if (!rule.Enabled || !rule.IsTriggeredBy(protocol, destinationPort)) continue;
                if (IsHeld(i, now) && _holder[i] != lanAddress)
                {
                    RefusedBusy++;
                    continue;
                }
                _holder[i] = lanAddress;
                _lastActive[i] = now;
            }
        }

        public bool TryClaim(int protocol, uint remoteAddress, int remotePort, int externalPort, uint now, InboundTarget target)
        {
            for (int i = 0; i < _count; i++)
            {
                if (!_rules[i].Enabled || !_rules[i].Opens(protocol, externalPort) || !IsHeld(i, now)) continue;
                _lastActive[i] = now;
                target.InternalAddress = _holder[i];
                target.InternalPort = externalPort;
                return true;
            }
            return false;
        }

        public bool IsReserved(int protocol, int externalPort)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_rules[i].Enabled && _rules[i].Opens(protocol, externalPort)) return true;
            }
            return false;
        }

        private bool IsHeld(int index, uint now)
        {
            return _holder[index] != NoHolder && now - _lastActive[index] <= (uint)_rules[index].IdleTimeoutSeconds;
        }
    }
}
