namespace Router.Conntrack
{
    /// <summary>Told when a connection leaves the table, so NAT mappings and helper state tied to it are released.</summary>
    public interface IConnectionListener
    {
        void OnConnectionFreed(int connection);
    }
}
