using Router.Hal;
using Router.Wire;

namespace Router.Link
{
    /// <summary>One of the router's Ethernet ports with its IPv4 configuration.</summary>
    public sealed class NetworkPort
    {
        public const int Lan = 0;
        public const int Wan = 1;

        public readonly int Index;
        public readonly INetworkInterface Device;
        public readonly byte[] Mac;
        public uint Address;
        public int PrefixLength;
        public int Mtu = 1500;
        private readonly Counters _counters;

        public NetworkPort(int index, INetworkInterface device, Counters counters)
        {
            Index = index;
            Device = device;
            Mac = device.MacAddress;
            _counters = counters;
        }

        /// <summary>Transmits a frame, counting it. Returns false when the device refused it.</summary>
        public bool Send(byte[] frame, int offset, int length)
        {
            if (!Device.Send(frame, offset, length)) return false;
            _counters.Increment(Counters.FramesSent);
            _counters.Add(Counters.BytesSent, length);
            return true;
        }

        public bool OnLink(uint address)
        {
            return Ipv4Address.InPrefix(address, Address, PrefixLength);
        }

        /// <summary>The subnet's directed broadcast address.</summary>
        public uint BroadcastAddress
        {
            get { return Address | ~Ipv4Address.Mask(PrefixLength); }
        }
    }
}
