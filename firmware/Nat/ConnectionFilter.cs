using Router.Conntrack;
using Router.Ip;
using Router.Wire;

namespace Router.Nat
{
    /// <summary>
    /// The stateful firewall: decides which packets may open a connection. Only a bare TCP SYN or an ICMP echo request
    /// opens one, and only with a transport checksum that verifies. From the WAN a new connection also needs an inbound
    /// rule's claim (forward, trigger, expectation) or an existing mapping whose filter admits the sender (RFC 4787
    /// section 5). Packets of known connections never come here: conntrack has already found them.
    /// </summary>
    public sealed class ConnectionFilter
    {
        private const int MaxRules = 8;
        private const int MaxObservers = 4;

        private readonly ConnectionTable _connections;
        private readonly NatMappingTable _mappings;
        private readonly IInboundRule[] _rules = new IInboundRule[MaxRules];
        private readonly IOutboundObserver[] _observers = new IOutboundObserver[MaxObservers];
        private int _ruleCount;
        private int _observerCount;

        /// <summary>Where the last admitted inbound (or hairpin) connection goes. One instance, reused.</summary>
        public readonly InboundTarget Target = new InboundTarget();
        /// <summary>The last admitted inbound connection came through a mapping's filter, not a rule's claim.</summary>
        public bool ByMapping;
        /// <summary>The drop counter of the last packet refused.</summary>
        public int DropReason;
        public int Filtering = NatFiltering.AddressDependent;

        public ConnectionFilter(ConnectionTable connections, NatMappingTable mappings)
        {
            _connections = connections;
            _mappings = mappings;
        }

        public void AddInboundRule(IInboundRule rule) { _rules[_ruleCount++] = rule; }
        public void AddOutboundObserver(IOutboundObserver observer) { _observers[_observerCount++] = observer; }

        /// <summary>May this LAN packet open a connection?</summary>
        public FilterVerdict MayOpenOutbound(ParsedPacket p)
        {
            int refusal = OpeningRefusal(p, Counters.DropTcpInvalid);
            if (refusal != Verdict.Accept) return Drop(refusal);
            if (!TransportChecksum.Verifies(p)) return Drop(Counters.DropTransportChecksum);
            return FilterVerdict.Admit;
        }

        /// <summary>A LAN packet to the WAN address (hairpin): claimed by an inbound rule into <see cref="Target"/>?</summary>
        public bool ClaimHairpin(ParsedPacket p, uint now)
        {
            return Claim(p.Protocol, p.Source, p.SourcePort, p.DestinationPort, now);
        }

        /// <summary>May this WAN packet open a connection, and to which inside endpoint (<see cref="Target"/>)?</summary>
        public FilterVerdict MayOpenInbound(ParsedPacket p, uint now)
        {
            if (p.Protocol == IpProtocol.Icmp && p.IcmpType == IcmpMessage.TypeEchoRequest) return FilterVerdict.Local;
            int refusal = OpeningRefusal(p, Counters.DropUnsolicited);
            if (refusal != Verdict.Accept) return Drop(refusal);
            if (!TransportChecksum.Verifies(p)) return Drop(Counters.DropTransportChecksum);
            ByMapping = !Claim(p.Protocol, p.Source, p.SourcePort, p.DestinationPort, now);
            if (ByMapping && !TargetAdmittingMapping(p)) return Drop(Counters.DropUnsolicited);
            return FilterVerdict.Admit;
        }

        /// <summary>
        /// Asked again after conntrack made room for the admitted connection: making room may have freed what admitted it
        /// (the mapping's last connection with this peer, or the expectation's master).
        /// </summary>
        public bool StillAdmits(ParsedPacket p)
        {
            if (ByMapping && !TargetAdmittingMapping(p)) return false;
            return Target.Master < 0 || _connections.InUse(Target.Master);
        }

        /// <summary>Tells the outbound observers (port triggers) of a new connection from the LAN.</summary>
        public void OnOutboundConnection(ParsedPacket p, uint now)
        {
            for (int i = 0; i < _observerCount; i++) _observers[i].OnOutboundConnection(p.Protocol, p.Source, p.DestinationPort, now);
        }

        /// <summary>Only a bare TCP SYN or an ICMP echo request may open a connection: <see cref="Verdict.Accept"/>, or the refusal's counter.</summary>
        private static int OpeningRefusal(ParsedPacket p, int tcpRefusal)
        {
            if (p.Protocol == IpProtocol.Tcp && !TcpTracker.OpensConnection(p.TcpFlags)) return tcpRefusal;
            if (p.Protocol == IpProtocol.Icmp && p.IcmpType != IcmpMessage.TypeEchoRequest) return Counters.DropUnsolicited;
            return Verdict.Accept;
        }

        private bool Claim(int protocol, uint remote, int remotePort, int externalPort, uint now)
        {
            Target.Clear();
            for (int i = 0; i < _ruleCount; i++)
            {
                if (_rules[i].TryClaim(protocol, remote, remotePort, externalPort, now, Target)) return true;
            }
            return false;
        }

        /// <summary>Points the target at the inside endpoint of the mapping on the packet's port, if its filter admits the packet.</summary>
        private bool TargetAdmittingMapping(ParsedPacket p)
        {
            int mapping = p.Protocol == IpProtocol.Icmp ? NatMappingTable.NotFound : _mappings.FindByExternal(p.Protocol, p.DestinationPort);
            if (mapping < 0 || !Admits(mapping, p)) return false;
            Target.InternalAddress = _mappings.InternalAddress(mapping);
            Target.InternalPort = _mappings.InternalPort(mapping);
            return true;
        }

        private bool Admits(int mapping, ParsedPacket p)
        {
            if (Filtering == NatFiltering.EndpointIndependent) return true;
            if (Filtering == NatFiltering.AddressDependent) return _mappings.HasPeer(mapping, p.Source, -1);
            return false; // address-and-port-dependent: only exact tuples, which the lookup already matched
        }

        private FilterVerdict Drop(int counter)
        {
            DropReason = counter;
            return FilterVerdict.Drop;
        }
    }
}
