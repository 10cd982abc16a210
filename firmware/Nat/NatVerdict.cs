namespace Router.Nat
{
    /// <summary>What connection tracking and NAT decided for a packet crossing the router.</summary>
    public enum NatVerdict
    {
        /// <summary>Tracked and translated: send it on.</summary>
        Forward,
        /// <summary>For the router itself (a ping to the WAN address, nothing claims it): the local services decide.</summary>
        Local,
        /// <summary>Dropped; <see cref="NatEngine.DropReason"/> names the counter.</summary>
        Drop,
    }
}
