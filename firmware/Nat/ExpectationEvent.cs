namespace Router.Nat
{
    /// <summary>What happened to an expectation, for the owning helper's counters.</summary>
    public enum ExpectationEvent
    {
        Created,
        Used,
        Expired,
        /// <summary>A pending expectation pushed out by a newer one (its master's limit, or a full table).</summary>
        Evicted,
        RefusedWrongPeer,
        RefusedUsedTwice,
        RefusedAfterTimeout,
    }

    /// <summary>The helper's rules for its expectations and where their events are counted (netfilter's nf_conntrack_expect_policy).</summary>
    public interface IExpectationPolicy
    {
        /// <summary>How long an expectation waits for its connection.</summary>
        int ExpectationTimeoutSeconds { get; }

        /// <summary>Pending expectations one master connection may hold (netfilter's max_expected).</summary>
        int MaxExpectedPerMaster { get; }

        void Count(ExpectationEvent e);
    }
}
