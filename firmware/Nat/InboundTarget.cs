namespace Router.Nat
{
    /// <summary>Where an inbound rule sends a new connection. One instance is reused, so claiming allocates nothing.</summary>
    public sealed class InboundTarget
    {
        public uint InternalAddress;
        public int InternalPort;
        /// <summary>The connection this one is related to (an expectation's master), or -1.</summary>
        public int Master;

        public void Clear()
        {
            InternalAddress = 0;
            InternalPort = 0;
            Master = -1;
        }
    }
}
