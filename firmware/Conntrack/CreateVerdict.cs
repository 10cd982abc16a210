namespace Router.Conntrack
{
    /// <summary>What <see cref="ConnectionTable.Create"/> did; the entry comes back separately, only when Created.</summary>
    public enum CreateVerdict
    {
        /// <summary>The connection has an entry.</summary>
        Created,
        /// <summary>Another connection already holds one of the two tuples (netfilter's nf_conntrack_tuple_taken); nothing changed.</summary>
        TupleTaken,
        /// <summary>The table is full of connections the full-table policy may not evict; nothing changed.</summary>
        Full,
    }
}
