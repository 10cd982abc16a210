using System.Collections.Generic;
using Router.Dhcp;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Dhcp.DhcpPackets;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Dhcp;

/// <summary>The WAN DHCP client against a DHCP server simulated on the WAN side (the ISP modem at 203.0.113.1).</summary>
public class DhcpClientTests
{
    private static readonly uint Server = Frames.Ip("203.0.113.1");
    private static readonly uint Offered = Frames.Ip("203.0.113.50");
    private static readonly uint Other = Frames.Ip("203.0.113.60");
    private static readonly uint Dns1 = Frames.Ip("1.1.1.1"), Dns2 = Frames.Ip("8.8.8.8");
    private const uint LeaseSeconds = 3600;

    private static DhcpRig DhcpWan()
    {
        var settings = new RouterSettings { WanAddressing = WanAddressing.Dhcp };
        return new DhcpRig(settings: settings);
    }

    private static void ServerSends(DhcpRig rig, int type, uint xid, uint yiaddr, uint destination = Ipv4Address.Broadcast, uint lease = LeaseSeconds)
    {
        var options = new List<(int, byte[])> { Type(type), Addr(DhcpOption.ServerIdentifier, Server) };
        if (type != DhcpMessageType.Nak)
        {
            options.Add(Addr(DhcpOption.LeaseTime, lease));
            options.Add(Addr(DhcpOption.SubnetMask, Frames.Ip("255.255.255.0")));
            options.Add(Addr(DhcpOption.Router, Server));
            options.Add(Raw(DhcpOption.DnsServers, 1, 1, 1, 1, 8, 8, 8, 8));
        }
        byte[] dhcp = Message(DhcpMessage.BootReply, RouterWanMac, xid, 0, yiaddr, 0, true, options.ToArray());
        byte[] dstMac = destination == Ipv4Address.Broadcast ? Frames.Broadcast : RouterWanMac;
        rig.FromWan(Frames.Udp(dstMac, GatewayMac, Server, destination, 67, 68, dhcp));
    }

    /// <summary>Takes the one frame the client sent, checks it is a well-formed DHCP request of <paramref name="type"/>, returns it.</summary>
    private static DhcpMessage ClientSent(DhcpRig rig, int type, out byte[] frame)
    {
        frame = rig.Wan.TakeOne();
        Assert.Null(Frames.ChecksumProblem(frame, frame.Length));
        Assert.Equal(68, UdpDatagram.SourcePort(frame, 34));
        Assert.Equal(67, UdpDatagram.DestinationPort(frame, 34));
        var m = Parse(frame);
        Assert.Equal(Verdict.Accept, m.Validate(DhcpMessage.BootRequest));
        Assert.Equal(type, m.MessageType);
        Assert.Equal(RouterWanMac, frame[(42 + 28)..(42 + 34)]);
        return m;
    }

    /// <summary>DISCOVER, OFFER, REQUEST, ACK; returns the rig bound to <see cref="Offered"/>.</summary>
    private static DhcpRig Bound(uint offerDestination = Ipv4Address.Broadcast)
    {
        var rig = DhcpWan();
        rig.Firmware.RunOnce();
        var discover = ClientSent(rig, DhcpMessageType.Discover, out byte[] f);
        Assert.Equal(Frames.Broadcast, f[0..6]);
        Assert.Equal(0u, Ipv4Packet.Source(f, 14));
        Assert.Equal(Ipv4Address.Broadcast, Ipv4Packet.Destination(f, 14));
        Assert.Equal(new byte[] { 1, 3, 6, 51, 54, 58, 59 }, OptionValue(discover, DhcpOption.ParameterRequestList));
        Assert.Equal(0u, rig.Router.Wan.Address);

        ServerSends(rig, DhcpMessageType.Offer, discover.TransactionId, Offered, offerDestination);
        var request = ClientSent(rig, DhcpMessageType.Request, out f);
        Assert.Equal(discover.TransactionId, request.TransactionId);
        Assert.Equal(Offered, request.ReadUInt32Option(DhcpOption.RequestedAddress));
        Assert.Equal(Server, request.ReadUInt32Option(DhcpOption.ServerIdentifier));
        Assert.Equal(0u, request.ClientAddress);
        Assert.Equal(Ipv4Address.Broadcast, Ipv4Packet.Destination(f, 14));

        ServerSends(rig, DhcpMessageType.Ack, request.TransactionId, Offered, offerDestination);
        Assert.Equal(DhcpClient.Bound, rig.Client.State);
        return rig;
    }

    [Fact]
    public void TheClientObtainsAddressPrefixGatewayAndDns()
    {
        var rig = Bound();
        Assert.Equal(Offered, rig.Settings.WanAddress);
        Assert.Equal(Offered, rig.Router.Wan.Address);
        Assert.Equal(24, rig.Router.Wan.PrefixLength);
        Assert.Equal(Server, rig.Settings.WanGateway);
        Assert.Equal(Dns1, rig.Settings.WanDns1);
        Assert.Equal(Dns2, rig.Settings.WanDns2);
        Assert.Equal(rig.Clock.NowMilliseconds + 1800 * 1000L, rig.Client.RenewAt);
        Assert.Equal(rig.Clock.NowMilliseconds + 3150 * 1000L, rig.Client.RebindAt);
        Assert.Equal(rig.Clock.NowMilliseconds + 3600 * 1000L, rig.Client.ExpiresAt);

        // The LAN's DHCP server hands out the DNS servers learned on the WAN.
        byte[] lanHost = Frames.Mac(0xA1);
        rig.ClientSends(lanHost, Request(DhcpMessageType.Discover, lanHost, 77));
        Assert.Equal(new byte[] { 1, 1, 1, 1, 8, 8, 8, 8 }, OptionValue(Parse(rig.Lan.TakeOne()), DhcpOption.DnsServers));
    }

    [Fact]
    public void OffersUnicastToTheOfferedAddressReachTheClient()
    {
        var rig = Bound(offerDestination: Offered);
        Assert.Equal(Offered, rig.Router.Wan.Address);
    }

    [Fact]
    public void AtT1TheClientRenewsByUnicastToTheServer()
    {
        var rig = Bound();
        rig.Clock.Advance(1799 * 1000L);
        rig.Firmware.RunOnce();
        Assert.Empty(rig.Wan.Sent);

        rig.Clock.Advance(1000);
        rig.Firmware.RunOnce();
        var renew = ClientSent(rig, DhcpMessageType.Request, out byte[] f);
        Assert.Equal(DhcpClient.Renewing, rig.Client.State);
        Assert.Equal(GatewayMac, f[0..6]);                     // the server's MAC, learned from its ACK
        Assert.Equal(Offered, Ipv4Packet.Source(f, 14));
        Assert.Equal(Server, Ipv4Packet.Destination(f, 14));
        Assert.Equal(Offered, renew.ClientAddress);
        Assert.Equal(-1, renew.FindOption(DhcpOption.RequestedAddress));
        Assert.Equal(-1, renew.FindOption(DhcpOption.ServerIdentifier));

        long sentAt = rig.Clock.NowMilliseconds;
        ServerSends(rig, DhcpMessageType.Ack, renew.TransactionId, Offered, Offered);
        Assert.Equal(DhcpClient.Bound, rig.Client.State);
        Assert.Equal(1, rig.Client.Counters[DhcpCounters.Renewals]);
        Assert.Equal(sentAt + 1800 * 1000L, rig.Client.RenewAt);
        Assert.Equal(Offered, rig.Router.Wan.Address);
    }

    [Fact]
    public void WithoutAnAnswerTheClientRetriesThenRebindsByBroadcastAtT2()
    {
        var rig = Bound();
        long bound = rig.Clock.NowMilliseconds;
        rig.Clock.NowMilliseconds = bound + 1800 * 1000L;
        rig.Firmware.RunOnce();
        ClientSent(rig, DhcpMessageType.Request, out _);

        // Retransmission at half the time left to T2 (675 s), not before.
        rig.Clock.NowMilliseconds = bound + (1800 + 674) * 1000L;
        rig.Firmware.RunOnce();
        Assert.Empty(rig.Wan.Sent);
        rig.Clock.NowMilliseconds = bound + (1800 + 675) * 1000L;
        rig.Firmware.RunOnce();
        ClientSent(rig, DhcpMessageType.Request, out _);

        rig.Clock.NowMilliseconds = bound + 3150 * 1000L;
        rig.Firmware.RunOnce();
        var rebind = ClientSent(rig, DhcpMessageType.Request, out byte[] f);
        Assert.Equal(DhcpClient.Rebinding, rig.Client.State);
        Assert.Equal(Frames.Broadcast, f[0..6]);
        Assert.Equal(Ipv4Address.Broadcast, Ipv4Packet.Destination(f, 14));
        Assert.Equal(Offered, rebind.ClientAddress);

        ServerSends(rig, DhcpMessageType.Ack, rebind.TransactionId, Offered);
        Assert.Equal(DhcpClient.Bound, rig.Client.State);
        Assert.Equal(1, rig.Client.Counters[DhcpCounters.Rebinds]);
        Assert.Equal(Offered, rig.Router.Wan.Address);
    }

    [Fact]
    public void OnExpiryTheClientDropsTheAddressAndStartsOver()
    {
        var rig = Bound();
        long bound = rig.Clock.NowMilliseconds;
        rig.Clock.NowMilliseconds = bound + 3150 * 1000L;
        rig.Firmware.RunOnce();                                   // RENEWING, and REBINDING on the next tick
        rig.Wan.Sent.Clear();
        rig.Clock.NowMilliseconds = bound + 3599 * 1000L;
        rig.Firmware.RunOnce();
        Assert.Equal(Offered, rig.Router.Wan.Address);
        rig.Wan.Sent.Clear();

        rig.Clock.NowMilliseconds = bound + 3600 * 1000L;
        rig.Firmware.RunOnce();
        Assert.Equal(0u, rig.Router.Wan.Address);
        Assert.Equal(0u, rig.Settings.WanAddress);
        Assert.Equal(1, rig.Client.Counters[DhcpCounters.LeasesExpired]);
        Assert.Equal(DhcpClient.Selecting, rig.Client.State);
        ClientSent(rig, DhcpMessageType.Discover, out _);

        // Without a WAN address nothing is forwarded from the LAN.
        rig.FromLan(Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53));
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(1, rig.Router.Counters[Counters.DropNotRoutable]);
    }

    [Fact]
    public void DiscoverIsRetransmittedWithBackoff()
    {
        var rig = DhcpWan();
        rig.Firmware.RunOnce();
        ClientSent(rig, DhcpMessageType.Discover, out _);
        long t = rig.Clock.NowMilliseconds;
        foreach (long gap in new long[] { 4000, 8000, 16000, 32000, 64000, 64000 })
        {
            t += gap;
            rig.Clock.NowMilliseconds = t - 1;
            rig.Firmware.RunOnce();
            Assert.Empty(rig.Wan.Sent);
            rig.Clock.NowMilliseconds = t;
            rig.Firmware.RunOnce();
            ClientSent(rig, DhcpMessageType.Discover, out _);
        }
    }

    [Fact]
    public void ANakWhileRenewingSendsTheClientBackToInit()
    {
        var rig = Bound();
        rig.Clock.Advance(1800 * 1000L);
        rig.Firmware.RunOnce();
        var renew = ClientSent(rig, DhcpMessageType.Request, out _);
        ServerSends(rig, DhcpMessageType.Nak, renew.TransactionId, 0);
        Assert.Equal(0u, rig.Router.Wan.Address);
        Assert.Equal(1, rig.Client.Counters[DhcpCounters.NaksReceived]);
        rig.Firmware.RunOnce();
        ClientSent(rig, DhcpMessageType.Discover, out _);
    }

    [Fact]
    public void RepliesOfAnotherExchangeOrMalformedAreNotTaken()
    {
        var rig = DhcpWan();
        rig.Firmware.RunOnce();
        var discover = ClientSent(rig, DhcpMessageType.Discover, out _);
        ServerSends(rig, DhcpMessageType.Offer, discover.TransactionId + 1, Offered);
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(DhcpClient.Selecting, rig.Client.State);

        byte[] noEnd = Message(DhcpMessage.BootReply, RouterWanMac, discover.TransactionId, 0, Offered, 0, false, Type(DhcpMessageType.Offer));
        rig.FromWan(Frames.Udp(Frames.Broadcast, GatewayMac, Server, Ipv4Address.Broadcast, 67, 68, noEnd));
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(1, rig.Client.Counters[DhcpCounters.DropMissingEnd]);
    }

    [Fact]
    public void AStaticWanNeverRunsTheClient()
    {
        var rig = new DhcpRig();
        for (int i = 0; i < 3; i++)
        {
            rig.Firmware.RunOnce();
            rig.Clock.Advance(10000);
        }
        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(DhcpClient.Off, rig.Client.State);
        Assert.Equal(RouterWan, rig.Router.Wan.Address);
    }

    [Fact]
    public void ANewWanAddressCutsOldFlowsAndNewFlowsUseIt()
    {
        var rig = Bound();
        // Neighbours: the gateway on the WAN, a host on the LAN.
        rig.FromWan(Frames.Arp(RouterWanMac, GatewayMac, ArpPacket.OperationRequest, GatewayMac, Server, new byte[6], Offered));
        rig.FromLan(Frames.Arp(RouterLanMac, HostMac, ArpPacket.OperationRequest, HostMac, Host, new byte[6], RouterLan));
        rig.Wan.Sent.Clear();
        rig.Lan.Sent.Clear();

        rig.FromLan(Frames.Tcp(RouterLanMac, HostMac, Host, Remote, 50000, 443, TcpSegment.Syn));
        byte[] syn = rig.Wan.TakeOne();
        Assert.Equal(Offered, Ipv4Packet.Source(syn, 14));
        int outsidePort = TcpSegment.SourcePort(syn, 34);
        Assert.Equal(1, rig.Router.Connections.Count);

        // Renewal answered with another address.
        rig.Clock.Advance(1800 * 1000L);
        rig.Firmware.RunOnce();
        var renew = ClientSent(rig, DhcpMessageType.Request, out _);
        ServerSends(rig, DhcpMessageType.Ack, renew.TransactionId, Other, Offered);
        Assert.Equal(Other, rig.Router.Wan.Address);
        Assert.Equal(0, rig.Router.Connections.Count);

        // The remote's answer to the old address goes nowhere; the host's next packet is a new flow from the new address.
        rig.FromWan(Frames.Tcp(RouterWanMac, GatewayMac, Remote, Offered, 443, outsidePort, TcpSegment.Syn | TcpSegment.Ack, 5000, 1001));
        Assert.Empty(rig.Lan.Sent);
        rig.FromLan(Frames.Tcp(RouterLanMac, HostMac, Host, Remote, 50000, 443, TcpSegment.Ack, 1001, 5001));
        Assert.Empty(rig.Wan.Sent);                               // a mid-flow ACK cannot open a connection: cut cleanly
        rig.FromLan(Frames.Tcp(RouterLanMac, HostMac, Host, Remote, 50001, 443, TcpSegment.Syn));
        byte[] who = rig.Wan.TakeOne();                           // the gateway's binding went stale during the lease: ARP, from the new address
        Assert.Equal(EthernetFrame.EtherTypeArp, EthernetFrame.EtherType(who, 0));
        Assert.Equal(Other, ArpPacket.SenderProtocolAddress(who, 14));
        rig.FromWan(Frames.Arp(RouterWanMac, GatewayMac, ArpPacket.OperationReply, GatewayMac, Server, RouterWanMac, Other));
        byte[] fresh = rig.Wan.TakeOne();
        Assert.Equal(Other, Ipv4Packet.Source(fresh, 14));
        Assert.Null(Frames.ChecksumProblem(fresh, fresh.Length));
    }
}
