namespace Router.Conntrack
{
    /// <summary>What a helper decided about a packet of a connection it inspects.</summary>
    public enum HelperVerdict
    {
        Pass,
        /// <summary>Drop it (counted as drop_helper): a line that must be rewritten could not be.</summary>
        Drop,
    }
}
