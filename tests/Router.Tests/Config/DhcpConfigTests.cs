using System;
using Router.Boards;
using Router.Config;
using Router.Dhcp;
using Router.Hal.Desktop;
using Router.Rules;
using Router.Tests.Dhcp;
using Router.Tests.Support;
using Xunit;
using static Router.Tests.Dhcp.DhcpPackets;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Config;

/// <summary>The LAN DHCP server's settings as part of the configuration: validation, default pools, live apply and boot.</summary>
public class DhcpConfigTests
{
    private static readonly byte[] A = Frames.Mac(0xA1), B = Frames.Mac(0xB2), C = Frames.Mac(0xC3);
    private static readonly Capacities Caps = new() { DhcpLeases = 16, DhcpReservations = 4 };

    /// <summary>Factory LAN 192.168.1.1/24 with three valid reservations (.20, .21, .22).</summary>
    private static RouterConfig Valid()
    {
        var c = RouterConfig.For(Caps);
        for (int i = 0; i < 3; i++) Assert.True(c.Dhcp.Reservations.Add(Frames.Mac(0x50 + i), 0, Frames.Ip("192.168.1." + (20 + i))));
        return c;
    }

    private static void Mac(RouterConfig c, int index, params byte[] mac) => mac.CopyTo(c.Dhcp.Reservations.MacBuffer, DhcpReservations.MacOffset(index));

    /// <summary>Gives reservation 2 (the last) another address: the table has rows added and removed, not edited.</summary>
    private static void Address2(RouterConfig c, string address)
    {
        c.Dhcp.Reservations.RemoveAt(2);
        Assert.True(c.Dhcp.Reservations.Add(Frames.Mac(0x52), 0, Frames.Ip(address)));
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        { "poolStart 10.0.0.100", "dhcp.poolStart", "must be a host address of the LAN prefix" },
        { "poolStart network", "dhcp.poolStart", "must be a host address of the LAN prefix" },
        { "poolEnd broadcast", "dhcp.poolEnd", "must be a host address of the LAN prefix" },
        { "poolEnd below start", "dhcp.poolEnd", "must not be below the pool start" },
        { "pool holds router", "dhcp.poolStart", "the pool must not contain the router's LAN address 192.168.1.1" },
        { "lease 119", "dhcp.leaseSeconds", "must be 120 to 2592000 seconds (30 days)" },
        { "lease 2592001", "dhcp.leaseSeconds", "must be 120 to 2592000 seconds (30 days)" },
        { "dns1 multicast", "dhcp.dns1", "must be a unicast address or empty" },
        { "dns2 broadcast", "dhcp.dns2", "must be a unicast address or empty" },
        { "reservation 2 outside LAN", "dhcp.reservations[2].address", "must be a host address of the LAN prefix other than the router's" },
        { "reservation 2 is the router", "dhcp.reservations[2].address", "must be a host address of the LAN prefix other than the router's" },
        { "reservation 2 is the broadcast", "dhcp.reservations[2].address", "must be a host address of the LAN prefix other than the router's" },
        { "reservation 2 repeats address 0", "dhcp.reservations[2].address", "is already reserved in an earlier entry" },
        { "reservation 1 repeats MAC 0", "dhcp.reservations[1].mac", "is already reserved in an earlier entry" },
        { "reservation 1 multicast MAC", "dhcp.reservations[1].mac", "must be a unicast MAC address" },
        { "reservation 0 zero MAC", "dhcp.reservations[0].mac", "must be a unicast MAC address" },
        { "disabled server, pool outside LAN", "dhcp.poolStart", "must be a host address of the LAN prefix" },
        { "LAN moved, pool left behind", "dhcp.poolStart", "must be a host address of the LAN prefix" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void EachBadFieldIsReportedWithItsPath(string change, string field, string message)
    {
        var c = Valid();
        Assert.True(ConfigValidator.Validate(c, Caps, new ServicePorts()).IsValid);
        DhcpServerSettings d = c.Dhcp;
        switch (change)
        {
            case "poolStart 10.0.0.100": d.PoolStart = Frames.Ip("10.0.0.100"); break;
            case "poolStart network": d.PoolStart = Frames.Ip("192.168.1.0"); break;
            case "poolEnd broadcast": d.PoolEnd = Frames.Ip("192.168.1.255"); break;
            case "poolEnd below start": d.PoolEnd = Frames.Ip("192.168.1.99"); break;
            case "pool holds router": d.PoolStart = Frames.Ip("192.168.1.1"); break;
            case "lease 119": d.LeaseSeconds = 119; break;
            case "lease 2592001": d.LeaseSeconds = 2592001; break;
            case "dns1 multicast": d.Dns1 = Frames.Ip("224.0.0.251"); break;
            case "dns2 broadcast": d.Dns2 = 0xFFFFFFFF; break;
            case "reservation 2 outside LAN": Address2(c, "192.168.2.22"); break;
            case "reservation 2 is the router": Address2(c, "192.168.1.1"); break;
            case "reservation 2 is the broadcast": Address2(c, "192.168.1.255"); break;
            case "reservation 2 repeats address 0": Address2(c, "192.168.1.20"); break;
            case "reservation 1 repeats MAC 0": Mac(c, 1, Frames.Mac(0x50)); break;
            case "reservation 1 multicast MAC": Mac(c, 1, 0x01, 0x00, 0x5E, 0, 0, 1); break;
            case "reservation 0 zero MAC": Mac(c, 0, 0, 0, 0, 0, 0, 0); break;
            case "disabled server, pool outside LAN": d.Enabled = false; d.PoolStart = Frames.Ip("10.0.0.100"); break;
            case "LAN moved, pool left behind": c.LanAddress = Frames.Ip("10.0.0.1"); c.LanPrefixLength = 24; break;
            default: throw new ArgumentException(change);
        }
        ValidationResult r = ConfigValidator.Validate(c, Caps, new ServicePorts());
        Assert.Equal(field, r.Field);
        Assert.Equal(message, r.Message);
    }

    [Fact]
    public void BoundsAndAPoolLargerThanTheLeaseTableAreAccepted()
    {
        var c = Valid();
        c.Dhcp.PoolStart = Frames.Ip("192.168.1.2");
        c.Dhcp.PoolEnd = Frames.Ip("192.168.1.254"); // 253 addresses, 16 leases: the table bounds clients, not the pool
        foreach (uint lease in new uint[] { 120, 2592000 })
        {
            c.Dhcp.LeaseSeconds = lease;
            Assert.True(ConfigValidator.Validate(c, Caps, new ServicePorts()).IsValid);
        }
        c.Dhcp.Dns2 = Frames.Ip("192.0.2.53"); // only a second server: allowed, it is the one handed out
        Assert.True(ConfigValidator.Validate(c, Caps, new ServicePorts()).IsValid);
    }

    [Fact]
    public void MoreReservationsThanTheBoardHoldsAreRejected()
    {
        var c = new RouterConfig(Caps.PortForwards, Caps.PortTriggers, Caps.DhcpReservations + 1);
        for (int i = 0; i <= Caps.DhcpReservations; i++) Assert.True(c.Dhcp.Reservations.Add(Frames.Mac(0x60 + i), 0, Frames.Ip("192.168.1." + (30 + i))));
        Assert.False(c.Dhcp.Reservations.Add(Frames.Mac(0x70), 0, Frames.Ip("192.168.1.70"))); // the table itself is bounded
        ValidationResult r = ConfigValidator.Validate(c, Caps, new ServicePorts());
        Assert.Equal("dhcp.reservations", r.Field);
        Assert.Equal("at most 4 reservations on this board", r.Message);
        Assert.False(RouterConfig.For(Caps).CopyFrom(c));
    }

    [Fact]
    public void RemovingAReservationKeepsTheOthersInOrder()
    {
        var c = Valid();
        c.Dhcp.Reservations.RemoveAt(0);
        Assert.Equal(2, c.Dhcp.Reservations.Count);
        Assert.Equal(Frames.Ip("192.168.1.21"), c.Dhcp.Reservations.Address(0));
        Assert.Equal(Frames.Ip("192.168.1.21"), c.Dhcp.Reservations.Find(Frames.Mac(0x51), 0));
        Assert.Equal(Frames.Ip("192.168.1.22"), c.Dhcp.Reservations.Find(Frames.Mac(0x52), 0));
        Assert.Equal(0u, c.Dhcp.Reservations.Find(Frames.Mac(0x50), 0));
    }

    [Theory]
    [InlineData("192.168.1.1", 24, "192.168.1.100", "192.168.1.199")] // the factory LAN
    [InlineData("192.168.1.150", 24, "192.168.1.100", "192.168.1.149")] // router inside: the longer side
    [InlineData("192.168.1.120", 24, "192.168.1.121", "192.168.1.199")]
    [InlineData("10.0.0.1", 8, "10.0.0.100", "10.0.0.199")]
    [InlineData("10.1.2.129", 25, "10.1.2.130", "10.1.2.254")] // smaller than a /24: every host but the router
    [InlineData("192.168.1.2", 30, "192.168.1.1", "192.168.1.1")]
    public void TheDefaultPoolFitsTheLanAndValidates(string lan, int prefix, string start, string end)
    {
        var c = RouterConfig.For(Caps);
        c.LanAddress = Frames.Ip(lan);
        c.LanPrefixLength = prefix;
        c.Dhcp.UseDefaultPool(c.LanAddress, prefix);
        Assert.Equal(Frames.Ip(start), c.Dhcp.PoolStart);
        Assert.Equal(Frames.Ip(end), c.Dhcp.PoolEnd);
        Assert.True(ConfigValidator.Validate(c, Caps, new ServicePorts()).IsValid);
    }

    private static RouterConfig Edit(DhcpRig rig, string poolStart, string poolEnd)
    {
        RouterConfig c = rig.Firmware.Config.Clone();
        c.Dhcp.PoolStart = Frames.Ip(poolStart);
        c.Dhcp.PoolEnd = Frames.Ip(poolEnd);
        return c;
    }

    private static (int, byte[])[] Selecting(uint address) =>
        new[] { Addr(DhcpOption.RequestedAddress, address), Addr(DhcpOption.ServerIdentifier, RouterLan) };

    [Fact]
    public void ApplyPutsANewPoolInForceAndForgetsBindingsOutsideIt()
    {
        var rig = new DhcpRig(Caps);
        Assert.Same(rig.Firmware.Config.Dhcp, rig.Server.Settings);
        uint oldA = rig.Lease(A, 1);
        uint keptB = rig.Lease(B, 2);
        Assert.Equal(Frames.Ip("192.168.1.100"), oldA);
        Assert.Equal(Frames.Ip("192.168.1.101"), keptB);

        RouterConfig c = Edit(rig, "192.168.1.101", "192.168.1.110");
        c.Dhcp.LeaseSeconds = 600;
        c.Dhcp.Dns1 = Frames.Ip("192.0.2.53");
        Assert.True(rig.Firmware.Apply(c).IsValid);
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.BindingsRevoked]); // A's .100 is outside, B's .101 inside
        Assert.Equal(DhcpLeaseTable.NotFound, rig.Server.Leases.FindByAddress(oldA));

        // A new client gets the first free address of the new pool, with the new lease time and DNS server.
        rig.ClientSends(C, Request(DhcpMessageType.Discover, C, 3));
        var offer = Parse(rig.Lan.TakeOne());
        Assert.Equal(Frames.Ip("192.168.1.102"), offer.YourAddress);
        Assert.Equal(new byte[] { 0, 0, 2, 88 }, OptionValue(offer, DhcpOption.LeaseTime));
        Assert.Equal(new byte[] { 192, 0, 2, 53 }, OptionValue(offer, DhcpOption.DnsServers));

        // A renews its old address at T1: NAK, then it starts over and gets one from the new pool.
        rig.ClientSends(A, Request(DhcpMessageType.Request, A, 4, oldA), oldA, RouterLan);
        Assert.Equal(DhcpMessageType.Nak, Parse(rig.Lan.TakeOne()).MessageType);
        uint newA = rig.Lease(A, 5);
        Assert.Equal(Frames.Ip("192.168.1.103"), newA); // .102 is still held for C's offer

        // B's binding inside the new pool renews as before.
        rig.ClientSends(B, Request(DhcpMessageType.Request, B, 6, keptB), keptB, RouterLan);
        var ack = Parse(rig.Lan.TakeOne());
        Assert.Equal(DhcpMessageType.Ack, ack.MessageType);
        Assert.Equal(keptB, ack.YourAddress);
    }

    [Fact]
    public void ANewReservationTakesItsAddressFromAnotherClientAtOnce()
    {
        var rig = new DhcpRig(Caps);
        uint b = rig.Lease(B, 1); // .100
        RouterConfig c = rig.Firmware.Config.Clone();
        Assert.True(c.Dhcp.Reservations.Add(C, 0, b));
        Assert.True(rig.Firmware.Apply(c).IsValid);
        Assert.Equal(1, rig.Server.Counters[DhcpCounters.BindingsRevoked]);
        Assert.Equal(b, rig.Lease(C, 2)); // without the revocation C would get nothing until B's lease ran out
        rig.ClientSends(B, Request(DhcpMessageType.Request, B, 3, b), b, RouterLan);
        Assert.Equal(DhcpMessageType.Nak, Parse(rig.Lan.TakeOne()).MessageType);
    }

    [Fact]
    public void AnInvalidCandidateChangesNothingAndADisabledServerIsSilent()
    {
        var rig = new DhcpRig(Caps);
        uint a = rig.Lease(A, 1);
        RouterConfig bad = Edit(rig, "192.168.1.200", "192.168.1.100");
        Assert.Equal("dhcp.poolEnd", rig.Firmware.Apply(bad).Field);
        Assert.Equal(Frames.Ip("192.168.1.100"), rig.Server.Settings.PoolStart);
        Assert.Equal(Frames.Ip("192.168.1.199"), rig.Server.Settings.PoolEnd);
        Assert.NotEqual(DhcpLeaseTable.NotFound, rig.Server.Leases.FindByAddress(a));

        RouterConfig off = rig.Firmware.Config.Clone();
        off.Dhcp.Enabled = false;
        Assert.True(rig.Firmware.Apply(off).IsValid);
        rig.ClientSends(B, Request(DhcpMessageType.Discover, B, 2));
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(0, rig.Server.Counters[DhcpCounters.BindingsRevoked]); // switched off: bindings in the pool are kept for switching on
    }

    [Fact]
    public void TheStoredPoolIsInForceAfterARebootAndLeasesSavedUnderAnotherPoolAreForgotten()
    {
        var board = BoardProfiles.Esp32Ethernet();
        int sectors = RouterFirmware.FlashSectorsNeeded(board.Capacities, board.FlashSectorSize, board.ConfigSectors);
        var flash = new MemoryFlash(board.FlashSectorSize, sectors);

        var first = new DhcpRig(board.Capacities);
        Assert.Equal(LoadResult.Blank, first.Firmware.Boot(flash, board.ConfigSectors, factoryReset: false).Status);
        RouterConfig c = Edit(first, "192.168.1.50", "192.168.1.60");
        Assert.True(c.Dhcp.Reservations.Add(C, 0, Frames.Ip("192.168.1.7")));
        Assert.True(first.Firmware.Apply(c).IsValid);
        Assert.True(first.Firmware.SaveConfig().Succeeded);
        Assert.Equal(Frames.Ip("192.168.1.50"), first.Lease(A, 1));
        first.Firmware.RunUntilIdle(); // the lease store writes the binding, a flash operation per tick

        var second = new DhcpRig(board.Capacities);
        Assert.Equal(LoadResult.Loaded, second.Firmware.Boot(flash, board.ConfigSectors, factoryReset: false).Status);
        Assert.Equal(Frames.Ip("192.168.1.60"), second.Server.Settings.PoolEnd);
        Assert.Equal(Frames.Ip("192.168.1.7"), second.Lease(C, 2));
        Assert.Equal(Frames.Ip("192.168.1.50"), second.Lease(A, 3)); // restored binding
        Assert.Equal(0, second.Server.Counters[DhcpCounters.BindingsRevoked]);

        // A config with another pool written behind the lease store's back: A's saved binding is dropped at boot.
        RouterConfig moved = second.Firmware.Config.Clone();
        moved.Dhcp.PoolStart = Frames.Ip("192.168.1.70");
        moved.Dhcp.PoolEnd = Frames.Ip("192.168.1.80");
        Assert.True(new ConfigStore(flash, 0, board.ConfigSectors).Save(moved).Succeeded);
        var third = new DhcpRig(board.Capacities);
        third.Firmware.Boot(flash, board.ConfigSectors, factoryReset: false);
        Assert.Equal(1, third.Server.Counters[DhcpCounters.BindingsRevoked]);
        Assert.Equal(Frames.Ip("192.168.1.70"), third.Lease(A, 4));
    }
}
