namespace Router.Hal
{
    /// <summary>Destination addresses a MAC passes up; values are bit flags and combine.</summary>
    public enum ReceiveFilter
    {
        /// <summary>Frames addressed to the station address.</summary>
        Unicast = 1,

        /// <summary>Frames to ff:ff:ff:ff:ff:ff.</summary>
        Broadcast = 2,

        /// <summary>Frames to group (multicast) addresses.</summary>
        Multicast = 4,

        /// <summary>Every frame, whatever its destination.</summary>
        Promiscuous = 8,

        /// <summary>What a router port needs: its own address, broadcast and multicast.</summary>
        Normal = Unicast | Broadcast | Multicast,
    }
}
