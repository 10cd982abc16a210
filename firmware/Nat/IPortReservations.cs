namespace Router.Nat
{
    /// <summary>Outside ports that belong to something else (a port forward, an open trigger) and must not be handed to a mapping.</summary>
    public interface IPortReservations
    {
        bool IsReserved(int protocol, int externalPort);
    }
}
