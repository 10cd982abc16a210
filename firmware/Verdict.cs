namespace Router
{
    /// <summary>
    /// The named verdict of the data plane's dispatch stages (parse, screen, ICMP error translation, DHCP checks) that
    /// pass a packet on instead of ending its journey (netfilter's NF_ACCEPT). Such a stage returns
    /// <see cref="Accept"/>, or the <see cref="Counters"/> index that records how the frame ended (a drop reason,
    /// Consumed, Forwarded, ArpHeld); the frame's last stage always returns a counter, which <c>DataPlane.Receive</c>
    /// counts. The value lies far below every counter index and -1 (the "not found" of table lookups), so no value
    /// means two things. Stages inside conntrack and NAT have verdict enums of their own (docs/architecture.md).
    /// </summary>
    public static class Verdict
    {
        /// <summary>The stage accepted the packet: parsed, screened or translated; the next stage takes it.</summary>
        public const int Accept = int.MinValue;
    }
}
