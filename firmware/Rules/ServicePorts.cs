using Router.Nat;

namespace Router.Rules
{
    /// <summary>
    /// Ports the router itself answers on its WAN address (its DHCP client, remote administration if a service adds
    /// it): a forward or an open trigger range must not take them, and neither may a NAT mapping (port shadowing: a LAN
    /// host sending from such a port would otherwise capture what the peer sends back to it). Services register at boot; fixed size.
    /// </summary>
    public sealed class ServicePorts : IPortReservations
    {
        private const int MaxPorts = 8;

        private readonly int[] _protocol = new int[MaxPorts];
        private readonly int[] _port = new int[MaxPorts];
        private readonly string[] _name = new string[MaxPorts];
        private int _count;

        public int Count { get { return _count; } }

        /// <summary>Registers a port (protocol is a <see cref="RuleProtocol"/> value). Returns false when full.</summary>
        public bool Add(int protocol, int port, string name)
        {
            if (_count == MaxPorts) return false;
            _protocol[_count] = protocol;
            _port[_count] = port;
            _name[_count] = name;
            _count++;
            return true;
        }

        /// <summary>The index of a registered port inside the range for any of the protocols, or -1.</summary>
        public int Find(int protocol, int low, int high)
        {
            for (int i = 0; i < _count; i++)
            {
                if ((_protocol[i] & protocol) != 0 && _port[i] >= low && _port[i] <= high) return i;
            }
            return -1;
        }

        public bool IsReserved(int protocol, int externalPort)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_port[i] == externalPort && RuleProtocol.Covers(_protocol[i], protocol)) return true;
            }
            return false;
        }

        public string Describe(int index)
        {
            return RuleProtocol.Name(_protocol[index]) + " " + _port[index].ToString() + " (" + _name[index] + ")";
        }
    }
}
