namespace Router.Dhcp
{
    /// <summary>Where the LAN server keeps its bindings across restarts. Saves run a flash operation per loop tick.</summary>
    public interface ILeaseStore
    {
        /// <summary>Restores the bindings saved last into an empty table; bound ones expire at <paramref name="boundExpires"/>. Returns false when nothing valid was found.</summary>
        bool Load(DhcpLeaseTable table, uint boundExpires);

        /// <summary>Snapshots the table's bound and released bindings and starts writing them (<see cref="Step"/>).</summary>
        void BeginSave(DhcpLeaseTable table);

        /// <summary>True while a save has flash operations left.</summary>
        bool Busy { get; }

        /// <summary>One flash operation of the save in progress; true when it is over (or none runs).</summary>
        bool Step();

        /// <summary>How the last save ended: false when the write failed.</summary>
        bool LastSaveSucceeded { get; }
    }
}
