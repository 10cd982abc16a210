using Router.Ip;

namespace Router.Conntrack
{
    /// <summary>
    /// An application-level gateway (netfilter's conntrack helper): it looks inside the payload of the connections it
    /// attaches to, for example FTP control connections, and may rewrite it.
    /// </summary>
    public interface IConnectionHelper
    {
        /// <summary>Asked once per new connection, after NAT set it up. Returns true to inspect its packets.</summary>
        bool Attach(int connection);

        /// <summary>
        /// Called for every packet of an attached connection, after NAT rewrote its headers. The helper may change the
        /// payload and its length (updating <see cref="ParsedPacket.TotalLength"/>, the IP header and checksums).
        /// </summary>
        HelperVerdict Process(ParsedPacket packet, int connection, int direction, uint now);
    }
}
