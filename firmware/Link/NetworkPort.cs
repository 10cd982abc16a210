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
        public int Mtu = 1500;
        /// <summary>This port's own traffic (the totals are in <see cref="Counters"/>): the live graphs' per-direction rates.</summary>
        public long FramesIn, BytesIn, FramesOut, BytesOut;
        private readonly Counters _counters;
        private uint _address;
        private int _prefixLength;
        private uint _mask;
        private uint _broadcast;

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
            FramesOut++;
            BytesOut += length;
            return true;
        }

        public uint Address { get { return _address; } }
        public int PrefixLength { get { return _prefixLength; } }

        /// <summary>The subnet's directed broadcast address.</summary>
        public uint BroadcastAddress { get { return _broadcast; } }

        /// <summary>Sets the port's address and prefix; the mask and broadcast address are kept for the per-packet checks.</summary>
        public void Configure(uint address, int prefixLength)
        {
            _address = address;
            _prefixLength = prefixLength;
            _mask = Ipv4Address.Mask(prefixLength);
            _broadcast = address | ~_mask;
        }

        public bool OnLink(uint address)
        {
            return ((address ^ _address) & _mask) == 0;
        }
    }
}
