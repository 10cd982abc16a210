using Router.Ip;
using Router.Link;

namespace Router
{
    /// <summary>A service of the router itself that takes packets addressed to it (a DHCP server or client, for example).</summary>
    public interface ILocalService
    {
        /// <summary>Returns true when the packet was for this service and has been handled.</summary>
        bool Deliver(NetworkPort port, ParsedPacket packet, long now);
    }
}
