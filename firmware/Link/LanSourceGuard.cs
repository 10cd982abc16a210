using Router.Wire;

namespace Router.Link
{
    /// <summary>
    /// The router is the LAN's DHCP server: a LAN frame whose source address the server has leased, offered or reserved
    /// to another MAC is a spoof (one LAN host posing as another, e.g. to make the FTP helper open a hole to its victim).
    /// Hosts with static addresses that no lease or reservation names pass, as do hosts whose lease expired. The last
    /// admitted (address, MAC) pair is remembered until the owners change, so a flow's frames cost one comparison.
    /// </summary>
    public sealed class LanSourceGuard
    {
        private readonly byte[] _admittedMac = new byte[MacAddress.Length];
        private uint _admittedAddress;
        private int _admittedGeneration;
        private IAddressOwners _owners;

        public bool Enabled = true;

        public void SetOwners(IAddressOwners owners)
        {
            _owners = owners;
            Forget();
        }

        /// <summary>Whether a LAN frame from <paramref name="source"/> sent by the MAC at <paramref name="macOffset"/> may pass.</summary>
        public bool Admits(uint source, byte[] frame, int macOffset, long now)
        {
            if (!Enabled || _owners == null) return true;
            int generation = _owners.Generation;
            if (source == _admittedAddress && generation == _admittedGeneration && MacAddress.Equal(_admittedMac, 0, frame, macOffset)) return true;
            if (_owners.HeldByOther(source, frame, macOffset, now)) return false;
            _admittedAddress = source;
            _admittedGeneration = generation;
            System.Array.Copy(frame, macOffset, _admittedMac, 0, MacAddress.Length);
            return true;
        }

        /// <summary>Forgets the remembered pair (the reservations changed).</summary>
        public void Forget()
        {
            _admittedAddress = 0;
        }
    }
}
