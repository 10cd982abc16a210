namespace Router.Nat
{
    /// <summary>Told of each new outbound connection from the LAN (port triggers watch for their trigger ports).</summary>
    public interface IOutboundObserver
    {
        void OnOutboundConnection(int protocol, uint lanAddress, int destinationPort, uint now);
    }
}
