namespace Router.Nat
{
    /// <summary>
    /// Something that can claim a new connection arriving at the router's WAN address: a port forward, an open port
    /// trigger, a helper's expectation. Rules are asked in order; the first claim wins.
    /// </summary>
    public interface IInboundRule
    {
        /// <summary>Claims the connection by filling <paramref name="target"/> and returning true.</summary>
        bool TryClaim(int protocol, uint remoteAddress, int remotePort, int externalPort, uint now, InboundTarget target);
    }
}
