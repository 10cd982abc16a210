namespace Router.Dhcp
{
    /// <summary>Where the LAN server keeps its bindings across restarts.</summary>
    public interface ILeaseStore
    {
        /// <summary>Restores the bindings saved last into an empty table; bound ones expire at <paramref name="boundExpires"/>. Returns false when nothing valid was found.</summary>
        bool Load(DhcpLeaseTable table, uint boundExpires);

        /// <summary>Saves the table's bound and released bindings. Returns false when the write failed.</summary>
        bool Save(DhcpLeaseTable table);
    }
}
