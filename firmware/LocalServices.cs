using Router.Ip;
using Router.Link;

namespace Router
{
    /// <summary>Several local services behind the data plane's single hook: each is offered the packet in turn until one takes it.</summary>
    public sealed class LocalServices : ILocalService
    {
        private readonly ILocalService[] _services;
        private int _count;

        public LocalServices(int capacity)
        {
            _services = new ILocalService[capacity];
        }

        /// <summary>Adds a service; returns false when every slot is taken.</summary>
        public bool Add(ILocalService service)
        {
            if (_count == _services.Length) return false;
            _services[_count++] = service;
            return true;
        }

        public bool Deliver(NetworkPort port, ParsedPacket packet, long now)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_services[i].Deliver(port, packet, now)) return true;
            }
            return false;
        }
    }
}
