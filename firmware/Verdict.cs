namespace Router
{
    /// <summary>
    /// Named verdicts of the dispatch stages that pass a packet on instead of ending its journey (netfilter's NF_ACCEPT and
    /// a "to the router itself" verdict). A stage returns one of these, or the <see cref="Counters"/> index that records how
    /// the frame ended (Forwarded, Consumed, ArpHeld or a drop reason); the frame's last stage always returns a counter.
    /// The values lie far below every counter index, its negation (NAT's connection setup returns a refusal as a negated
    /// counter) and -1 (the "not found" of table lookups), so no value means two things.
    /// </summary>
    public static class Verdict
    {
        /// <summary>The stage accepted the packet: parsed, tracked or translated; the next stage takes it.</summary>
        public const int Accept = int.MinValue;
        /// <summary>The packet is addressed to the router itself.</summary>
        public const int Local = int.MinValue + 1;
    }
}
