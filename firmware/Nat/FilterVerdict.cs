namespace Router.Nat
{
    /// <summary>What the connection filter decided about a packet that would open a new connection.</summary>
    public enum FilterVerdict
    {
        /// <summary>It may open one; for an inbound packet <see cref="ConnectionFilter.Target"/> says where it goes.</summary>
        Admit,
        /// <summary>Nothing claims it: it is for the router itself (a ping to the WAN address, a hairpin to no forward).</summary>
        Local,
        /// <summary>Refused; <see cref="ConnectionFilter.DropReason"/> names the counter.</summary>
        Drop,
    }
}
