using System;
using Router.Dhcp;
using Router.Wire;

namespace Router.Emulator.Simulation;

/// <summary>
/// The ISP modem's DHCP server, as the simulated internet runs it: offers one fixed address to whoever asks, so the
/// router's WAN DHCP client (the factory default) comes up in the emulator as it would at home.
/// </summary>
public sealed class IspDhcpServer
{
    public uint OfferedAddress { get; init; } = Ipv4Address.Make(203, 0, 113, 2);
    public int PrefixLength { get; init; } = 24;
    public uint Gateway { get; init; } = Ipv4Address.Make(203, 0, 113, 1);
    public uint Dns { get; init; } = Ipv4Address.Make(198, 51, 100, 53);
    public uint LeaseSeconds { get; init; } = 3600;

    public long Acks { get; private set; }

    /// <summary>Builds the reply frame to a DHCP DISCOVER or REQUEST in <paramref name="frame"/> (UDP at <paramref name="udpOffset"/>), or returns null.</summary>
    public byte[] Answer(byte[] frame, int udpOffset, int udpLength, byte[] serverMac)
    {
        var request = new DhcpMessage().Wrap(frame, udpOffset + UdpDatagram.HeaderLength, udpLength - UdpDatagram.HeaderLength);
        if (request.Validate(DhcpMessage.BootRequest) != Verdict.Accept) return null;
        int reply = request.MessageType switch
        {
            DhcpMessageType.Discover => DhcpMessageType.Offer,
            DhcpMessageType.Request => DhcpMessageType.Ack,
            _ => 0,
        };
        if (reply == 0) return null;

        byte[] f = new byte[14 + 20 + 8 + DhcpMessage.MinSendLength];
        int dhcp = 14 + 20 + 8;
        DhcpMessage.WriteHeader(f, dhcp, DhcpMessage.BootReply, request.TransactionId, request.Flags, 0, OfferedAddress, 0, frame, request.ClientMacOffset);
        var options = new DhcpOptionWriter().Start(f, dhcp, DhcpMessage.MinSendLength);
        options.WriteByte(DhcpOption.MessageType, reply);
        options.WriteUInt32(DhcpOption.ServerIdentifier, Gateway);
        options.WriteUInt32(DhcpOption.LeaseTime, LeaseSeconds);
        options.WriteUInt32(DhcpOption.SubnetMask, Ipv4Address.Mask(PrefixLength));
        options.WriteUInt32(DhcpOption.Router, Gateway);
        options.WriteUInt32(DhcpOption.DnsServers, Dns);
        if (options.Finish() < 0) throw new InvalidOperationException("DHCP reply does not fit");

        EthernetFrame.SetAddresses(f, 0, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 0, serverMac);
        EthernetFrame.SetEtherType(f, 0, EthernetFrame.EtherTypeIpv4);
        Ipv4Packet.WriteHeader(f, 14, 20 + 8 + DhcpMessage.MinSendLength, 1, 64, IpProtocol.Udp, Gateway, Ipv4Address.Broadcast);
        UdpDatagram.SetSourcePort(f, 34, DhcpMessage.ServerPort);
        UdpDatagram.SetDestinationPort(f, 34, DhcpMessage.ClientPort);
        UdpDatagram.SetLength(f, 34, 8 + DhcpMessage.MinSendLength);
        UdpDatagram.FillChecksum(f, 34, Gateway, Ipv4Address.Broadcast);
        if (reply == DhcpMessageType.Ack) Acks++;
        return f;
    }
}
