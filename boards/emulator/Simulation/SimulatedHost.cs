using System;
using System.Collections.Generic;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Wire;

namespace Router.Emulator.Simulation;

/// <summary>
/// A tiny IPv4 host on a virtual port, enough to make traffic visible in the emulator and in tests: it answers ARP and
/// ping, echoes UDP sent to port 7, and can send pings and UDP datagrams, resolving its gateway by ARP.
/// With <see cref="ActAsInternet"/> it also answers for every address behind it, standing in for the ISP and beyond.
/// </summary>
public sealed class SimulatedHost
{
    public const int EchoPort = 7;

    private readonly INetworkInterface _nic;
    private readonly byte[] _rx = new byte[2048];
    private readonly Dictionary<uint, byte[]> _arp = new();
    private readonly List<(uint NextHop, byte[] Frame)> _waiting = new();
    private int _ipId;

    public SimulatedHost(string name, INetworkInterface nic, uint address, int prefixLength, uint gateway)
    {
        Name = name;
        _nic = nic;
        Address = address;
        PrefixLength = prefixLength;
        Gateway = gateway;
    }

    public string Name { get; }
    public uint Address { get; }
    public int PrefixLength { get; }
    public uint Gateway { get; }
    public bool ActAsInternet { get; init; }
    /// <summary>Answers DHCP on the segment, as an ISP modem does (the internet host runs it).</summary>
    public IspDhcpServer Dhcp { get; init; }

    public long PingsSent { get; private set; }
    public long PingRepliesReceived { get; private set; }
    public long UdpSent { get; private set; }
    public long UdpEchoesReceived { get; private set; }
    public long RequestsAnswered { get; private set; }
    /// <summary>Frames ignored because a length or checksum in them was wrong.</summary>
    public long Malformed { get; private set; }

    /// <summary>The address the router's DHCP server acknowledged for this host (0 until then), and when the lease ends (host clock ms).</summary>
    public uint LeasedAddress { get; private set; }
    public long DhcpAcks { get; private set; }
    private uint _dhcpTransaction;

    /// <summary>Datagrams received that were not echoes, newest last (tests read them).</summary>
    public List<byte[]> Received { get; } = new();

    public void Ping(uint destination, int identifier, int sequence)
    {
        byte[] f = NewIpv4Frame(destination, IpProtocol.Icmp, 8 + 16);
        IcmpMessage.SetType(f, 34, IcmpMessage.TypeEchoRequest);
        IcmpMessage.SetCode(f, 34, 0);
        IcmpMessage.SetIdentifier(f, 34, identifier);
        NetworkOrder.WriteUInt16(f, 40, sequence);
        IcmpMessage.FillChecksum(f, 34, 8 + 16);
        PingsSent++;
        SendIp(destination, f);
    }

    public void SendUdp(uint destination, int sourcePort, int destinationPort, byte[] payload)
    {
        byte[] f = NewIpv4Frame(destination, IpProtocol.Udp, UdpDatagram.HeaderLength + payload.Length);
        UdpDatagram.SetSourcePort(f, 34, sourcePort);
        UdpDatagram.SetDestinationPort(f, 34, destinationPort);
        UdpDatagram.SetLength(f, 34, UdpDatagram.HeaderLength + payload.Length);
        payload.CopyTo(f, 42);
        UdpDatagram.FillChecksum(f, 34, Address, destination);
        UdpSent++;
        SendIp(destination, f);
    }

    /// <summary>
    /// Asks the LAN's DHCP server for this host's address (DISCOVER with option 50, then REQUEST on the OFFER), sending
    /// its <see cref="Name"/> as the host name (option 12), as a PC joining the network does.
    /// </summary>
    public void StartDhcp()
    {
        _dhcpTransaction = (uint)(0x5100 + Address & 0xFFFF);
        SendDhcp(Router.Dhcp.DhcpMessageType.Discover, 0);
    }

    private void SendDhcp(int type, uint serverId)
    {
        const int dhcp = 14 + 20 + 8;
        byte[] f = new byte[dhcp + Router.Dhcp.DhcpMessage.MinSendLength];
        Router.Dhcp.DhcpMessage.WriteHeader(f, dhcp, Router.Dhcp.DhcpMessage.BootRequest, _dhcpTransaction, 0, 0, 0, 0, _nic.MacAddress, 0);
        var options = new Router.Dhcp.DhcpOptionWriter().Start(f, dhcp, Router.Dhcp.DhcpMessage.MinSendLength);
        options.WriteByte(Router.Dhcp.DhcpOption.MessageType, type);
        options.WriteUInt32(Router.Dhcp.DhcpOption.RequestedAddress, Address);
        if (serverId != 0) options.WriteUInt32(Router.Dhcp.DhcpOption.ServerIdentifier, serverId);
        byte[] name = System.Text.Encoding.ASCII.GetBytes(Name);
        options.WriteBytes(Router.Dhcp.DhcpOption.HostName, name, 0, name.Length);
        if (options.Finish() < 0) throw new InvalidOperationException("DHCP request does not fit");
        EthernetFrame.SetAddresses(f, 0, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 0, _nic.MacAddress);
        EthernetFrame.SetEtherType(f, 0, EthernetFrame.EtherTypeIpv4);
        Ipv4Packet.WriteHeader(f, 14, 20 + 8 + Router.Dhcp.DhcpMessage.MinSendLength, ++_ipId & 0xFFFF, 64, IpProtocol.Udp, 0, Ipv4Address.Broadcast);
        UdpDatagram.SetSourcePort(f, 34, Router.Dhcp.DhcpMessage.ClientPort);
        UdpDatagram.SetDestinationPort(f, 34, Router.Dhcp.DhcpMessage.ServerPort);
        UdpDatagram.SetLength(f, 34, 8 + Router.Dhcp.DhcpMessage.MinSendLength);
        UdpDatagram.FillChecksum(f, 34, 0, Ipv4Address.Broadcast);
        _nic.Send(f, 0, f.Length);
    }

    /// <summary>The router's DHCP OFFER (answered with a REQUEST) or ACK (the lease) for this host.</summary>
    private void HandleDhcpReply(int l4, int udpLength)
    {
        var reply = new Router.Dhcp.DhcpMessage().Wrap(_rx, l4 + UdpDatagram.HeaderLength, udpLength - UdpDatagram.HeaderLength);
        if (reply.Validate(Router.Dhcp.DhcpMessage.BootReply) != Verdict.Accept || reply.TransactionId != _dhcpTransaction) return;
        if (reply.MessageType == Router.Dhcp.DhcpMessageType.Offer) SendDhcp(Router.Dhcp.DhcpMessageType.Request, reply.ReadUInt32Option(Router.Dhcp.DhcpOption.ServerIdentifier));
        else if (reply.MessageType == Router.Dhcp.DhcpMessageType.Ack)
        {
            LeasedAddress = reply.YourAddress;
            DhcpAcks++;
        }
    }

    /// <summary>Sends a bare TCP segment (a SYN opens a connection through the router), for tests and demos.</summary>
    public void SendTcp(uint destination, int sourcePort, int destinationPort, int flags, uint sequence)
    {
        byte[] f = NewIpv4Frame(destination, IpProtocol.Tcp, TcpSegment.MinHeaderLength);
        TcpSegment.SetSourcePort(f, 34, sourcePort);
        TcpSegment.SetDestinationPort(f, 34, destinationPort);
        TcpSegment.SetSequenceNumber(f, 34, sequence);
        f[34 + 12] = (TcpSegment.MinHeaderLength / 4) << 4;
        f[34 + 13] = (byte)flags;
        NetworkOrder.WriteUInt16(f, 34 + 14, 65535);
        TcpSegment.FillChecksum(f, 34, Address, destination, TcpSegment.MinHeaderLength);
        SendIp(destination, f);
    }

    /// <summary>Handles every frame waiting on the port. Returns how many there were.</summary>
    public int Step()
    {
        int handled = 0;
        int length;
        while ((length = _nic.Receive(_rx, 0, _rx.Length)) > 0)
        {
            handled++;
            Handle(length);
        }
        return handled;
    }

    private void Handle(int length)
    {
        if (EthernetFrame.EtherType(_rx, 0) == EthernetFrame.EtherTypeArp && length >= 42) HandleArp();
        else if (EthernetFrame.EtherType(_rx, 0) == EthernetFrame.EtherTypeIpv4 && length >= 34) HandleIpv4(length);
    }

    private void HandleArp()
    {
        uint sender = ArpPacket.SenderProtocolAddress(_rx, 14);
        byte[] senderMac = _rx.AsSpan(14 + ArpPacket.SenderHardwareField, 6).ToArray();
        _arp[sender] = senderMac;
        if (ArpPacket.Operation(_rx, 14) == ArpPacket.OperationRequest && ArpPacket.TargetProtocolAddress(_rx, 14) == Address)
        {
            byte[] reply = new byte[42];
            EthernetFrame.SetAddresses(reply, 0, senderMac, 0, _nic.MacAddress);
            EthernetFrame.SetEtherType(reply, 0, EthernetFrame.EtherTypeArp);
            ArpPacket.Write(reply, 14, ArpPacket.OperationReply, _nic.MacAddress, Address, senderMac, 0, sender);
            _nic.Send(reply, 0, reply.Length);
        }
        for (int i = _waiting.Count - 1; i >= 0; i--)
        {
            if (_waiting[i].NextHop != sender) continue;
            Transmit(_waiting[i].Frame, senderMac);
            _waiting.RemoveAt(i);
        }
    }

    private void HandleIpv4(int length)
    {
        // Frames may arrive corrupted (the fault injector): trust no length field the checks below have not bounded.
        int total = Ipv4Packet.TotalLength(_rx, 14), header = Ipv4Packet.HeaderLength(_rx, 14);
        if (Ipv4Packet.Version(_rx, 14) != 4 || header < 20 || total < header || total + 14 > length || !Ipv4Packet.HeaderChecksumValid(_rx, 14))
        {
            Malformed++;
            return;
        }
        int l4 = Ipv4Packet.PayloadOffset(_rx, 14);
        int protocol = Ipv4Packet.Protocol(_rx, 14), payload = total - header;
        if (protocol == IpProtocol.Udp && (payload < UdpDatagram.HeaderLength || UdpDatagram.Length(_rx, l4) < UdpDatagram.HeaderLength || UdpDatagram.Length(_rx, l4) > payload)
            || protocol == IpProtocol.Icmp && payload < 8)
        {
            Malformed++;
            return;
        }
        if (Dhcp != null && protocol == IpProtocol.Udp && UdpDatagram.DestinationPort(_rx, l4) == Router.Dhcp.DhcpMessage.ServerPort)
        {
            byte[] reply = Dhcp.Answer(_rx, l4, Ipv4Packet.PayloadLength(_rx, 14), _nic.MacAddress);
            if (reply != null) _nic.Send(reply, 0, reply.Length);
            return;
        }
        if (_dhcpTransaction != 0 && protocol == IpProtocol.Udp && UdpDatagram.DestinationPort(_rx, l4) == Router.Dhcp.DhcpMessage.ClientPort)
        {
            HandleDhcpReply(l4, UdpDatagram.Length(_rx, l4));
            return;
        }
        if (Ipv4Packet.Destination(_rx, 14) != Address && !ActAsInternet) return;
        if (Ipv4Packet.Protocol(_rx, 14) == IpProtocol.Icmp && _rx[l4] == IcmpMessage.TypeEchoRequest)
        {
            Reply(length, () =>
            {
                _rx[l4] = IcmpMessage.TypeEchoReply;
                IcmpMessage.FillChecksum(_rx, l4, Ipv4Packet.PayloadLength(_rx, 14));
            });
        }
        else if (Ipv4Packet.Protocol(_rx, 14) == IpProtocol.Icmp && _rx[l4] == IcmpMessage.TypeEchoReply)
        {
            PingRepliesReceived++;
        }
        else if (Ipv4Packet.Protocol(_rx, 14) == IpProtocol.Udp && UdpDatagram.DestinationPort(_rx, l4) == EchoPort)
        {
            Reply(length, () =>
            {
                int sport = UdpDatagram.SourcePort(_rx, l4);
                UdpDatagram.SetSourcePort(_rx, l4, EchoPort);
                UdpDatagram.SetDestinationPort(_rx, l4, sport);
                UdpDatagram.FillChecksum(_rx, l4, Ipv4Packet.Source(_rx, 14), Ipv4Packet.Destination(_rx, 14));
            });
        }
        else if (Ipv4Packet.Protocol(_rx, 14) == IpProtocol.Udp && UdpDatagram.SourcePort(_rx, l4) == EchoPort)
        {
            UdpEchoesReceived++;
        }
        else
        {
            Received.Add(_rx.AsSpan(0, 14 + Ipv4Packet.TotalLength(_rx, 14)).ToArray());
        }
    }

    /// <summary>Sends the received packet back to its source after <paramref name="rewritePayload"/> (run once addresses are swapped).</summary>
    private void Reply(int length, Action rewritePayload)
    {
        uint source = Ipv4Packet.Source(_rx, 14), destination = Ipv4Packet.Destination(_rx, 14);
        NetworkOrder.WriteUInt32(_rx, 26, destination);
        NetworkOrder.WriteUInt32(_rx, 30, source);
        _rx[22] = 64;
        Ipv4Packet.FillChecksum(_rx, 14);
        rewritePayload();
        byte[] frame = _rx.AsSpan(0, 14 + Ipv4Packet.TotalLength(_rx, 14)).ToArray();
        RequestsAnswered++;
        SendIp(source, frame);
    }

    private byte[] NewIpv4Frame(uint destination, int protocol, int payloadLength)
    {
        byte[] f = new byte[14 + 20 + payloadLength];
        EthernetFrame.SetEtherType(f, 0, EthernetFrame.EtherTypeIpv4);
        Ipv4Packet.WriteHeader(f, 14, 20 + payloadLength, ++_ipId & 0xFFFF, 64, protocol, Address, destination);
        return f;
    }

    private void SendIp(uint destination, byte[] frame)
    {
        uint nextHop = Ipv4Address.InPrefix(destination, Address, PrefixLength) || ActAsInternet ? destination : Gateway;
        if (_arp.TryGetValue(nextHop, out byte[] mac))
        {
            Transmit(frame, mac);
            return;
        }
        _waiting.Add((nextHop, frame));
        byte[] request = new byte[42];
        EthernetFrame.SetAddresses(request, 0, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 0, _nic.MacAddress);
        EthernetFrame.SetEtherType(request, 0, EthernetFrame.EtherTypeArp);
        ArpPacket.Write(request, 14, ArpPacket.OperationRequest, _nic.MacAddress, Address, new byte[6], 0, nextHop);
        _nic.Send(request, 0, request.Length);
    }

    private void Transmit(byte[] frame, byte[] destinationMac)
    {
        EthernetFrame.SetAddresses(frame, 0, destinationMac, 0, _nic.MacAddress);
        _nic.Send(frame, 0, frame.Length);
    }
}
