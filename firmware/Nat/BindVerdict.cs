namespace Router.Nat
{
    /// <summary>What NAT's bind step decided for a new connection; the connection comes back separately, only when Bound.</summary>
    public enum BindVerdict
    {
        /// <summary>The connection exists with its translation (mapping, reply tuple): track and translate the packet.</summary>
        Bound,
        /// <summary>No connection was made, nothing changed; <see cref="NatTranslator.DropReason"/> names the counter.</summary>
        Drop,
    }
}
