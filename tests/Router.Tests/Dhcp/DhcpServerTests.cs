using System.Linq;
using Router.Dhcp;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Dhcp.DhcpPackets;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Dhcp;

public class DhcpServerTests
{
    private static readonly byte[] A = Frames.Mac(0xA1), B = Frames.Mac(0xB2), C = Frames.Mac(0xC3);

    private static DhcpRig Rig(uint poolStart = 0, uint poolEnd = 0, int leases = 64)
    {
        var rig = new DhcpRig(new Capacities { DhcpLeases = leases });
        rig.Settings.WanDns1 = Frames.Ip("9.9.9.9");
        if (poolStart != 0) rig.Server.Settings.PoolStart = poolStart;
        if (poolEnd != 0) rig.Server.Settings.PoolEnd = poolEnd;
        return rig;
    }

    private static (int, byte[])[] Selecting(uint address) =>
        new[] { Addr(DhcpOption.RequestedAddress, address), Addr(DhcpOption.ServerIdentifier, RouterLan) };

    [Fact]
    public void DiscoverIsAnsweredWithAnOfferCarryingTheLanConfiguration()
    {
        var rig = Rig();
        rig.ClientSends(A, Request(DhcpMessageType.Discover, A, 0x11223344));
        byte[] f = rig.Lan.TakeOne();

        Assert.Null(Frames.ChecksumProblem(f, f.Length));
        Assert.Equal(A, f[0..6]);                                  // unicast to the client's MAC (broadcast flag clear)
        Assert.Equal(RouterLanMac, f[6..12]);
        Assert.Equal(RouterLan, Ipv4Packet.Source(f, 14));
        Assert.Equal(Frames.Ip("192.168.1.100"), Ipv4Packet.Destination(f, 14));
        Assert.Equal(67, UdpDatagram.SourcePort(f, 34));
        Assert.Equal(68, UdpDatagram.DestinationPort(f, 34));

        var m = Parse(f);
        Assert.Equal(300, m.Length);
        Assert.Equal(Verdict.Accept, m.Validate(DhcpMessage.BootReply));
        Assert.Equal(0x11223344u, m.TransactionId);
        Assert.Equal(A, f[(42 + 28)..(42 + 34)]);
        Assert.Equal(0u, m.ClientAddress);
        Assert.Equal(Frames.Ip("192.168.1.100"), m.YourAddress);
        // Options in the order written, checked byte for byte: type, server id, lease, T1, T2, mask, router, DNS, end.
        byte[] expected =
        {
            53, 1, 2,
            54, 4, 192, 168, 1, 1,
            51, 4, 0, 0, 0xA8, 0xC0,          // 43200 s
            58, 4, 0, 0, 0x54, 0x60,          // 21600 s
            59, 4, 0, 0, 0x93, 0xA8,          // 37800 s
            1, 4, 255, 255, 255, 0,
            3, 4, 192, 168, 1, 1,
            6, 4, 9, 9, 9, 9,
            255,
        };
        Assert.Equal(expected, f[(42 + 240)..(42 + 240 + expected.Length)]);
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.OffersSent]);
        Assert.Equal(1, rig.Router.Counters[Counters.Consumed]);
    }

    [Fact]
    public void SeveralClientsGetDistinctAddressesAndABroadcastFlagIsHonoured()
    {
        var rig = Rig();
        Assert.Equal(Frames.Ip("192.168.1.100"), rig.Lease(A, 1));
        Assert.Equal(Frames.Ip("192.168.1.101"), rig.Lease(B, 2));

        rig.ClientSends(C, Request(DhcpMessageType.Discover, C, 3, 0, DhcpMessage.FlagBroadcast));
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(Frames.Broadcast, f[0..6]);
        Assert.Equal(Ipv4Address.Broadcast, Ipv4Packet.Destination(f, 14));
        Assert.Equal(Frames.Ip("192.168.1.102"), Parse(f).YourAddress);

        Assert.Equal(2, rig.Server.Leases.Count(DhcpLeaseTable.Bound));
        Assert.Equal(1, rig.Server.Leases.Count(DhcpLeaseTable.Offered));
        // A client asking again while bound keeps its address.
        rig.ClientSends(A, Request(DhcpMessageType.Discover, A, 4));
        Assert.Equal(Frames.Ip("192.168.1.100"), Parse(rig.Lan.TakeOne()).YourAddress);
    }

    [Fact]
    public void AnExhaustedPoolMakesNoOfferAndRefusesRequestsForTakenAddresses()
    {
        var rig = Rig(Frames.Ip("192.168.1.100"), Frames.Ip("192.168.1.101"));
        rig.Lease(A, 1);
        rig.Lease(B, 2);

        rig.ClientSends(C, Request(DhcpMessageType.Discover, C, 3));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.NoOfferPoolExhausted]);

        // INIT-REBOOT for A's address, for one outside the pool, and for another subnet: all NAKed, broadcast.
        foreach (uint wanted in new[] { Frames.Ip("192.168.1.100"), Frames.Ip("192.168.1.50"), Frames.Ip("10.0.0.5") })
        {
            rig.ClientSends(C, Request(DhcpMessageType.Request, C, 4, 0, 0, Addr(DhcpOption.RequestedAddress, wanted)));
            byte[] f = rig.Lan.TakeOne();
            Assert.Equal(Frames.Broadcast, f[0..6]);
            var nak = Parse(f);
            Assert.Equal(DhcpMessageType.Nak, nak.MessageType);
            Assert.Equal(0u, nak.YourAddress);
            Assert.Null(OptionValue(nak, DhcpOption.LeaseTime));
        }
        Assert.Equal(3, rig.Server.Counters[DhcpCounters.NaksSent]);
        Assert.Equal(2, rig.Server.Leases.Count(DhcpLeaseTable.Bound));
    }

    [Fact]
    public void AFullLeaseTableMakesNoOfferEvenWithAddressesLeft()
    {
        var rig = Rig(leases: 2);
        rig.Lease(A, 1);
        rig.Lease(B, 2);
        rig.ClientSends(C, Request(DhcpMessageType.Discover, C, 3));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.NoOfferPoolExhausted]);

        // Once a lease expires its entry is reclaimed.
        rig.Clock.Advance(43201 * 1000L);
        rig.ClientSends(C, Request(DhcpMessageType.Discover, C, 4));
        Assert.Equal(Frames.Ip("192.168.1.102"), Parse(rig.Lan.TakeOne()).YourAddress);
    }

    [Fact]
    public void AnExpiredOfferFreesItsAddress()
    {
        var rig = Rig(Frames.Ip("192.168.1.100"), Frames.Ip("192.168.1.100"));
        rig.ClientSends(A, Request(DhcpMessageType.Discover, A, 1));
        rig.Lan.Sent.Clear();
        rig.ClientSends(B, Request(DhcpMessageType.Discover, B, 2));
        Assert.Empty(rig.Lan.Sent);
        rig.Clock.Advance((DhcpServer.OfferHoldSeconds + 1) * 1000L);
        rig.ClientSends(B, Request(DhcpMessageType.Discover, B, 3));
        Assert.Equal(Frames.Ip("192.168.1.100"), Parse(rig.Lan.TakeOne()).YourAddress);
    }

    [Fact]
    public void AReservationIsOfferedToItsClientOnlyAndTheClientCannotTakeAPoolAddress()
    {
        var rig = Rig();
        uint reserved = Frames.Ip("192.168.1.20"); // outside the pool
        Assert.True(rig.Server.Settings.Reservations.Add(C, 0, reserved));

        Assert.Equal(reserved, rig.Lease(C, 1));

        rig.ClientSends(B, Request(DhcpMessageType.Request, B, 2, 0, 0, Addr(DhcpOption.RequestedAddress, reserved)));
        Assert.Equal(DhcpMessageType.Nak, Parse(rig.Lan.TakeOne()).MessageType);
        rig.ClientSends(C, Request(DhcpMessageType.Request, C, 3, 0, 0, Addr(DhcpOption.RequestedAddress, Frames.Ip("192.168.1.100"))));
        Assert.Equal(DhcpMessageType.Nak, Parse(rig.Lan.TakeOne()).MessageType);
        // A client asking for the reserved address in its DISCOVER is offered a pool address instead.
        rig.ClientSends(B, Request(DhcpMessageType.Discover, B, 4, 0, 0, Addr(DhcpOption.RequestedAddress, reserved)));
        Assert.Equal(Frames.Ip("192.168.1.100"), Parse(rig.Lan.TakeOne()).YourAddress);
    }

    [Fact]
    public void RenewalIsAckedByUnicastAndExtendsTheLease()
    {
        var rig = Rig();
        uint a = rig.Lease(A, 1);
        int entry = rig.Server.Leases.FindByMac(A, 0);
        uint firstExpiry = rig.Server.Leases.Expires(entry);

        rig.Clock.Advance(21600 * 1000L);
        rig.ClientSends(A, Request(DhcpMessageType.Request, A, 5, a), source: a, destination: RouterLan);
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(A, f[0..6]);
        Assert.Equal(a, Ipv4Packet.Destination(f, 14));
        var ack = Parse(f);
        Assert.Equal(DhcpMessageType.Ack, ack.MessageType);
        Assert.Equal(a, ack.ClientAddress);
        Assert.Equal(a, ack.YourAddress);
        Assert.Equal(firstExpiry + 21600, rig.Server.Leases.Expires(entry));

        // Rebinding (broadcast, ciaddr set) works the same; a renewal of an address the client does not hold is refused.
        rig.ClientSends(A, Request(DhcpMessageType.Request, A, 6, a), source: a);
        Assert.Equal(DhcpMessageType.Ack, Parse(rig.Lan.TakeOne()).MessageType);
        rig.Lease(B, 7);
        rig.ClientSends(B, Request(DhcpMessageType.Request, B, 8, a), source: a, destination: RouterLan);
        Assert.Equal(DhcpMessageType.Nak, Parse(rig.Lan.TakeOne()).MessageType);
    }

    [Fact]
    public void ReleasedAddressesReturnToThePoolButTheClientIsRemembered()
    {
        var rig = Rig(Frames.Ip("192.168.1.100"), Frames.Ip("192.168.1.101"));
        uint a = rig.Lease(A, 1);
        rig.ClientSends(A, Request(DhcpMessageType.Release, A, 2, a, 0, Addr(DhcpOption.ServerIdentifier, RouterLan)), a, RouterLan);
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.Releases]);
        Assert.Equal(DhcpLeaseTable.Released, rig.Server.Leases.State(rig.Server.Leases.FindByMac(A, 0)));

        // B prefers a never-used address; A comes back to its old one.
        Assert.Equal(Frames.Ip("192.168.1.101"), rig.Lease(B, 3));
        Assert.Equal(a, rig.Lease(A, 4));

        // A release for an address the client does not hold changes nothing.
        rig.ClientSends(B, Request(DhcpMessageType.Release, B, 5, a, 0, Addr(DhcpOption.ServerIdentifier, RouterLan)), a, RouterLan);
        Assert.Equal(DhcpLeaseTable.Bound, rig.Server.Leases.State(rig.Server.Leases.FindByMac(A, 0)));
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.DropNotForUs]);
    }

    [Fact]
    public void ADeclinedAddressIsHeldOutOfThePool()
    {
        var rig = Rig(Frames.Ip("192.168.1.100"), Frames.Ip("192.168.1.101"));
        uint a = rig.Lease(A, 1);
        rig.ClientSends(A, Request(DhcpMessageType.Decline, A, 2, 0, 0, Addr(DhcpOption.RequestedAddress, a), Addr(DhcpOption.ServerIdentifier, RouterLan)));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.Declines]);

        Assert.Equal(Frames.Ip("192.168.1.101"), rig.Lease(A, 3));
        rig.ClientSends(B, Request(DhcpMessageType.Discover, B, 4));
        Assert.Empty(rig.Lan.Sent); // .100 declined, .101 taken

        // A forged decline of A's lease by B is refused.
        rig.ClientSends(B, Request(DhcpMessageType.Decline, B, 5, 0, 0, Addr(DhcpOption.RequestedAddress, Frames.Ip("192.168.1.101")), Addr(DhcpOption.ServerIdentifier, RouterLan)));
        Assert.Equal(DhcpLeaseTable.Bound, rig.Server.Leases.State(rig.Server.Leases.FindByMac(A, 0)));

        rig.Clock.Advance((DhcpServer.DeclineHoldSeconds + 1) * 1000L);
        rig.ClientSends(B, Request(DhcpMessageType.Discover, B, 6));
        Assert.Equal(Frames.Ip("192.168.1.100"), Parse(rig.Lan.TakeOne()).YourAddress);
    }

    [Fact]
    public void InformIsAnsweredWithConfigurationButNoLease()
    {
        var rig = Rig();
        uint host = Frames.Ip("192.168.1.50");
        rig.ClientSends(A, Request(DhcpMessageType.Inform, A, 9, host), host, RouterLan);
        byte[] f = rig.Lan.TakeOne();
        Assert.Equal(A, f[0..6]);
        Assert.Equal(host, Ipv4Packet.Destination(f, 14));
        var ack = Parse(f);
        Assert.Equal(DhcpMessageType.Ack, ack.MessageType);
        Assert.Equal(0u, ack.YourAddress);
        Assert.Equal(host, ack.ClientAddress);
        Assert.Null(OptionValue(ack, DhcpOption.LeaseTime));
        Assert.Equal(new byte[] { 255, 255, 255, 0 }, OptionValue(ack, DhcpOption.SubnetMask));
        Assert.Equal(new byte[] { 192, 168, 1, 1 }, OptionValue(ack, DhcpOption.Router));
        Assert.Equal(new byte[] { 9, 9, 9, 9 }, OptionValue(ack, DhcpOption.DnsServers));
        Assert.Equal(0, rig.Server.Leases.Count(DhcpLeaseTable.Bound));
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.Informs]);
    }

    [Fact]
    public void ConfiguredDnsServersOverrideTheWans()
    {
        var rig = Rig();
        rig.Server.Settings.Dns1 = Frames.Ip("192.168.1.53");
        rig.Server.Settings.Dns2 = Frames.Ip("1.0.0.1");
        rig.ClientSends(A, Request(DhcpMessageType.Discover, A, 1));
        Assert.Equal(new byte[] { 192, 168, 1, 53, 1, 0, 0, 1 }, OptionValue(Parse(rig.Lan.TakeOne()), DhcpOption.DnsServers));
    }

    [Fact]
    public void ARequestSelectingAnotherServerWithdrawsOurOffer()
    {
        var rig = Rig(Frames.Ip("192.168.1.100"), Frames.Ip("192.168.1.100"));
        rig.ClientSends(A, Request(DhcpMessageType.Discover, A, 1));
        rig.Lan.Sent.Clear();
        rig.ClientSends(A, Request(DhcpMessageType.Request, A, 1, 0, 0,
            Addr(DhcpOption.RequestedAddress, Frames.Ip("192.168.1.100")), Addr(DhcpOption.ServerIdentifier, Frames.Ip("192.168.1.254"))));
        Assert.Empty(rig.Lan.Sent);
        rig.ClientSends(B, Request(DhcpMessageType.Discover, B, 2));
        Assert.Equal(Frames.Ip("192.168.1.100"), Parse(rig.Lan.TakeOne()).YourAddress);
    }

    public static TheoryData<string, byte[], int> Malformed()
    {
        byte[] good = Request(DhcpMessageType.Discover, A, 1);
        byte[] Mutate(System.Action<byte[]> change) { byte[] b = (byte[])good.Clone(); change(b); return b; }
        return new TheoryData<string, byte[], int>
        {
            { "truncated", good[..200], DhcpCounters.DropTruncated },
            { "oversized", good.Concat(new byte[800]).ToArray(), DhcpCounters.DropOversized },
            { "htype", Mutate(b => b[1] = 6), DhcpCounters.DropBadHeader },
            { "reply op", Mutate(b => b[0] = 2), DhcpCounters.DropBadHeader },
            { "cookie", Mutate(b => b[239] = 0), DhcpCounters.DropBadCookie },
            { "option past end", good[..240].Concat(new byte[] { 53, 1, 1, 12, 9, 1, 2 }).ToArray(), DhcpCounters.DropBadOptionLength },
            { "length byte missing", good[..240].Concat(new byte[] { 53, 1, 1, 12 }).ToArray(), DhcpCounters.DropBadOptionLength },
            { "address option of 3 bytes", Request(DhcpMessageType.Discover, A, 1, 0, 0, Raw(DhcpOption.RequestedAddress, 1, 2, 3)), DhcpCounters.DropBadOptionLength },
            { "message type of 2 bytes", Message(1, A, 1, 0, 0, 0, true, Raw(DhcpOption.MessageType, 1, 1)), DhcpCounters.DropBadOptionLength },
            { "dns of 5 bytes", Request(DhcpMessageType.Discover, A, 1, 0, 0, Raw(DhcpOption.DnsServers, 1, 2, 3, 4, 5)), DhcpCounters.DropBadOptionLength },
            { "missing end", Message(1, A, 1, 0, 0, 0, false, Type(DhcpMessageType.Discover)), DhcpCounters.DropMissingEnd },
            { "no message type", Message(1, A, 1, 0, 0, 0, true, Raw(12, 65)), DhcpCounters.DropNoMessageType },
            { "offer to a server", Request(DhcpMessageType.Offer, A, 1), DhcpCounters.DropUnexpectedType },
            { "unknown type", Request(42, A, 1), DhcpCounters.DropUnexpectedType },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedMessagesAreDroppedAndCountedByReason(string name, byte[] dhcp, int reason)
    {
        var rig = Rig();
        rig.ClientSends(A, dhcp);
        Assert.Empty(rig.Lan.Sent);
        Assert.True(rig.Server.Counters[reason] == 1, name);
        Assert.Equal(1, rig.Server.Counters.DroppedTotal);
        Assert.Equal(0, rig.Server.Leases.Count(DhcpLeaseTable.Offered));
        Assert.Equal(1, rig.Router.Counters[Counters.Consumed]);
    }
}
