namespace Router.Link
{
    /// <summary>Who owns LAN addresses: the LAN's DHCP server knows its leases and reservations.</summary>
    public interface IAddressOwners
    {
        /// <summary>True when <paramref name="address"/> is leased, offered or reserved to a MAC other than the one at <paramref name="macOffset"/>.</summary>
        bool HeldByOther(uint address, byte[] mac, int macOffset, long now);

        /// <summary>Changes whenever an owner may have changed, so a caller may remember an answer until then.</summary>
        int Generation { get; }
    }
}
