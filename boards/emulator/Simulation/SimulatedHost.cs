using System;
using System.Collections.Generic;
using Router.Hal;
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
        var icmp = new IcmpMessage(f, 34) { Type = IcmpMessage.TypeEchoRequest, Code = 0, Identifier = identifier };
        NetworkOrder.WriteUInt16(f, 40, sequence);
        icmp.FillChecksum(8 + 16);
        PingsSent++;
        SendIp(destination, f);
    }

    public void SendUdp(uint destination, int sourcePort, int destinationPort, byte[] payload)
    {
        byte[] f = NewIpv4Frame(destination, IpProtocol.Udp, UdpDatagram.HeaderLength + payload.Length);
        var udp = new UdpDatagram(f, 34) { SourcePort = sourcePort, DestinationPort = destinationPort, Length = UdpDatagram.HeaderLength + payload.Length };
        payload.CopyTo(f, 42);
        udp.FillChecksum(Address, destination);
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
        var message = new Router.Dhcp.DhcpMessage(f, dhcp, Router.Dhcp.DhcpMessage.MinSendLength);
        message.WriteHeader(Router.Dhcp.DhcpMessage.BootRequest, _dhcpTransaction, 0, 0, 0, 0, _nic.MacAddress, 0);
        var options = new Router.Dhcp.DhcpOptionWriter(f, dhcp, Router.Dhcp.DhcpMessage.MinSendLength);
        options.WriteByte(Router.Dhcp.DhcpOption.MessageType, type);
        options.WriteUInt32(Router.Dhcp.DhcpOption.RequestedAddress, Address);
        if (serverId != 0) options.WriteUInt32(Router.Dhcp.DhcpOption.ServerIdentifier, serverId);
        byte[] name = System.Text.Encoding.ASCII.GetBytes(Name);
        options.WriteBytes(Router.Dhcp.DhcpOption.HostName, name, 0, name.Length);
        if (options.Finish() < 0) throw new InvalidOperationException("DHCP request does not fit");
        var eth = new EthernetFrame(f, 0);
        eth.SetAddresses(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 0, _nic.MacAddress);
        eth.EtherType = EthernetFrame.EtherTypeIpv4;
        new Ipv4Packet(f, 14).WriteHeader(20 + 8 + Router.Dhcp.DhcpMessage.MinSendLength, ++_ipId & 0xFFFF, 64, IpProtocol.Udp, 0, Ipv4Address.Broadcast);
        var udp = new UdpDatagram(f, 34) { SourcePort = Router.Dhcp.DhcpMessage.ClientPort, DestinationPort = Router.Dhcp.DhcpMessage.ServerPort, Length = 8 + Router.Dhcp.DhcpMessage.MinSendLength };
        udp.FillChecksum(0, Ipv4Address.Broadcast);
        _nic.Send(f, 0, f.Length);
    }

    /// <summary>The router's DHCP OFFER (answered with a REQUEST) or ACK (the lease) for this host.</summary>
    private void HandleDhcpReply(int l4, int udpLength)
    {
        var reply = new Router.Dhcp.DhcpMessage(_rx, l4 + UdpDatagram.HeaderLength, udpLength - UdpDatagram.HeaderLength);
        if (reply.Validate(Router.Dhcp.DhcpMessage.BootReply) != 0 || reply.TransactionId != _dhcpTransaction) return;
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
        var tcp = new TcpSegment(f, 34) { SourcePort = sourcePort, DestinationPort = destinationPort, SequenceNumber = sequence };
        f[34 + 12] = (TcpSegment.MinHeaderLength / 4) << 4;
        f[34 + 13] = (byte)flags;
        NetworkOrder.WriteUInt16(f, 34 + 14, 65535);
        tcp.FillChecksum(Address, destination, TcpSegment.MinHeaderLength);
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
        var eth = new EthernetFrame(_rx, 0);
        if (eth.EtherType == EthernetFrame.EtherTypeArp && length >= 42) HandleArp();
        else if (eth.EtherType == EthernetFrame.EtherTypeIpv4 && length >= 34) HandleIpv4(length);
    }

    private void HandleArp()
    {
        var arp = new ArpPacket(_rx, 14);
        uint sender = arp.SenderProtocolAddress;
        byte[] senderMac = _rx.AsSpan(arp.SenderHardwareOffset, 6).ToArray();
        _arp[sender] = senderMac;
        if (arp.Operation == ArpPacket.OperationRequest && arp.TargetProtocolAddress == Address)
        {
            byte[] reply = new byte[42];
            var eth = new EthernetFrame(reply, 0);
            eth.SetAddresses(senderMac, 0, _nic.MacAddress);
            eth.EtherType = EthernetFrame.EtherTypeArp;
            new ArpPacket(reply, 14).Write(ArpPacket.OperationReply, _nic.MacAddress, Address, senderMac, 0, sender);
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
        var ip = new Ipv4Packet(_rx, 14);
        // Frames may arrive corrupted (the fault injector): trust no length field the checks below have not bounded.
        if (ip.Version != 4 || ip.HeaderLength < 20 || ip.TotalLength < ip.HeaderLength || ip.TotalLength + 14 > length || !ip.HeaderChecksumValid)
        {
            Malformed++;
            return;
        }
        int l4 = ip.PayloadOffset;
        if (ip.Protocol == IpProtocol.Udp && (ip.PayloadLength < UdpDatagram.HeaderLength || new UdpDatagram(_rx, l4).Length < UdpDatagram.HeaderLength || new UdpDatagram(_rx, l4).Length > ip.PayloadLength)
            || ip.Protocol == IpProtocol.Icmp && ip.PayloadLength < 8)
        {
            Malformed++;
            return;
        }
        if (Dhcp != null && ip.Protocol == IpProtocol.Udp && new UdpDatagram(_rx, l4).DestinationPort == Router.Dhcp.DhcpMessage.ServerPort)
        {
            byte[] reply = Dhcp.Answer(_rx, l4, ip.PayloadLength, _nic.MacAddress);
            if (reply != null) _nic.Send(reply, 0, reply.Length);
            return;
        }
        if (_dhcpTransaction != 0 && ip.Protocol == IpProtocol.Udp && new UdpDatagram(_rx, l4).DestinationPort == Router.Dhcp.DhcpMessage.ClientPort)
        {
            HandleDhcpReply(l4, new UdpDatagram(_rx, l4).Length);
            return;
        }
        if (ip.Destination != Address && !ActAsInternet) return;
        if (ip.Protocol == IpProtocol.Icmp && _rx[l4] == IcmpMessage.TypeEchoRequest)
        {
            Reply(ip, length, () =>
            {
                _rx[l4] = IcmpMessage.TypeEchoReply;
                new IcmpMessage(_rx, l4).FillChecksum(ip.PayloadLength);
            });
        }
        else if (ip.Protocol == IpProtocol.Icmp && _rx[l4] == IcmpMessage.TypeEchoReply)
        {
            PingRepliesReceived++;
        }
        else if (ip.Protocol == IpProtocol.Udp && new UdpDatagram(_rx, l4).DestinationPort == EchoPort)
        {
            Reply(ip, length, () =>
            {
                var udp = new UdpDatagram(_rx, l4);
                int sport = udp.SourcePort;
                udp.SourcePort = EchoPort;
                udp.DestinationPort = sport;
                udp.FillChecksum(ip.Source, ip.Destination);
            });
        }
        else if (ip.Protocol == IpProtocol.Udp && new UdpDatagram(_rx, l4).SourcePort == EchoPort)
        {
            UdpEchoesReceived++;
        }
        else
        {
            Received.Add(_rx.AsSpan(0, 14 + ip.TotalLength).ToArray());
        }
    }

    /// <summary>Sends the received packet back to its source after <paramref name="rewritePayload"/> (run once addresses are swapped).</summary>
    private void Reply(Ipv4Packet ip, int length, Action rewritePayload)
    {
        uint source = ip.Source, destination = ip.Destination;
        NetworkOrder.WriteUInt32(_rx, 26, destination);
        NetworkOrder.WriteUInt32(_rx, 30, source);
        _rx[22] = 64;
        ip.FillChecksum();
        rewritePayload();
        byte[] frame = _rx.AsSpan(0, 14 + ip.TotalLength).ToArray();
        RequestsAnswered++;
        SendIp(source, frame);
    }

    private byte[] NewIpv4Frame(uint destination, int protocol, int payloadLength)
    {
        byte[] f = new byte[14 + 20 + payloadLength];
        var eth = new EthernetFrame(f, 0);
        eth.EtherType = EthernetFrame.EtherTypeIpv4;
        new Ipv4Packet(f, 14).WriteHeader(20 + payloadLength, ++_ipId & 0xFFFF, 64, protocol, Address, destination);
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
        var eth = new EthernetFrame(request, 0);
        eth.SetAddresses(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 0, _nic.MacAddress);
        eth.EtherType = EthernetFrame.EtherTypeArp;
        new ArpPacket(request, 14).Write(ArpPacket.OperationRequest, _nic.MacAddress, Address, new byte[6], 0, nextHop);
        _nic.Send(request, 0, request.Length);
    }

    private void Transmit(byte[] frame, byte[] destinationMac)
    {
        new EthernetFrame(frame, 0).SetAddresses(destinationMac, 0, _nic.MacAddress);
        _nic.Send(frame, 0, frame.Length);
    }
}
