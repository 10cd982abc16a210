using System.Collections.Generic;
using Router.Conntrack;
using Router.Nat;
using Router.Wire;
using Xunit;

namespace Router.Tests.Nat;

public class NatMappingTableTests
{
    private const uint Host = 0xC0A80102, Host2 = 0xC0A80103;
    private const uint Remote = 0xC6336407, Remote2 = 0xC6336408;
    private const uint Wan = 0xCB007102;
    private const int Udp = IpProtocol.Udp;

    private sealed class Reserved : IPortReservations
    {
        public readonly HashSet<int> Ports = new();
        public bool IsReserved(int protocol, int externalPort) => protocol == Udp && Ports.Contains(externalPort);
    }

    private static (ConnectionTable, NatMappingTable) NewTables(int mappings = 16)
    {
        var ct = new ConnectionTable(16, new ConntrackTimeouts(), 3);
        return (ct, new NatMappingTable(mappings, ct));
    }

    /// <summary>An outbound masqueraded connection using mapping <paramref name="m"/>, as the NAT engine creates it.</summary>
    private static int Connect(ConnectionTable ct, NatMappingTable nat, int m, uint remote, int remotePort)
    {
        ct.Create(Udp, nat.InternalAddress(m), remote, nat.InternalPort(m), remotePort, remote, Wan, remotePort, nat.ExternalPort(m), 0, out int c);
        ct.AddStatus(c, ConnectionTable.StatusSourceNat);
        nat.Attach(m, c);
        return c;
    }

    [Fact]
    public void TheInsidePortIsPreservedWhenFree()
    {
        var (_, nat) = NewTables();
        int m = nat.Acquire(Udp, Host, 40000, 12345);
        Assert.Equal(40000, nat.ExternalPort(m));
        Assert.Equal(Host, nat.InternalAddress(m));
        Assert.Equal(40000, nat.InternalPort(m));
        Assert.Equal(m, nat.Acquire(Udp, Host, 40000, 999)); // endpoint-independent: the same mapping again
        Assert.Equal(m, nat.FindByExternal(Udp, 40000));
        Assert.Equal(NatMappingTable.NotFound, nat.FindByExternal(IpProtocol.Tcp, 40000));
        Assert.Equal(1, nat.Count);

        int tcp = nat.Acquire(IpProtocol.Tcp, Host2, 40000, 1); // protocols have separate port spaces
        Assert.Equal(40000, nat.ExternalPort(tcp));
    }

    [Fact]
    public void ATakenPortIsReplacedByOneFromTheRange()
    {
        var (_, nat) = NewTables();
        nat.PortLow = 2000;
        nat.PortHigh = 2003;
        nat.Acquire(Udp, Host, 40000, 0);
        var seen = new HashSet<int>();
        for (int i = 0; i < 4; i++)
        {
            int m = nat.Acquire(Udp, Host2 + (uint)i, 40000, (uint)(i * 7919));
            Assert.True(m >= 0);
            Assert.InRange(nat.ExternalPort(m), 2000, 2003);
            Assert.True(seen.Add(nat.ExternalPort(m)), "ports are unique");
        }
        Assert.Equal(NatMappingTable.NotFound, nat.Acquire(Udp, 0xC0A80180, 40000, 5)); // range used up
        Assert.Equal(1, nat.Exhausted);
    }

    [Fact]
    public void ReservedPortsAreNeverHandedOut()
    {
        var (_, nat) = NewTables();
        var reserved = new Reserved();
        reserved.Ports.Add(8080);
        for (int p = 3000; p <= 3006; p++) reserved.Ports.Add(p);
        nat.Reservations = reserved;
        nat.PortLow = 3000;
        nat.PortHigh = 3007;

        int m = nat.Acquire(Udp, Host, 8080, 77);
        Assert.Equal(3007, nat.ExternalPort(m)); // not preserved (reserved), and the only free port in range
        Assert.False(nat.IsFree(Udp, 8080));
        Assert.False(nat.IsFree(Udp, 3007));
        Assert.True(nat.IsFree(IpProtocol.Tcp, 8080));
        Assert.False(nat.IsFree(Udp, 0));
        Assert.Equal(NatMappingTable.NotFound, nat.Acquire(Udp, Host2, 8080, 1));
    }

    [Fact]
    public void TheMappingIsReleasedWithItsLastConnection()
    {
        var (ct, nat) = NewTables();
        int m = nat.Acquire(Udp, Host, 40000, 0);
        int c1 = Connect(ct, nat, m, Remote, 53);
        int c2 = Connect(ct, nat, m, Remote2, 53);
        Assert.Equal(m, nat.MappingOf(c1));
        Assert.Equal(m, nat.MappingOf(c2));

        ct.Free(c1);
        Assert.Equal(m, nat.FindByInternal(Udp, Host, 40000));
        Assert.Equal(1, nat.Count);
        ct.Free(c2);
        Assert.Equal(NatMappingTable.NotFound, nat.FindByInternal(Udp, Host, 40000));
        Assert.Equal(NatMappingTable.NotFound, nat.FindByExternal(Udp, 40000));
        Assert.Equal(0, nat.Count);
        Assert.True(nat.IsFree(Udp, 40000));
    }

    [Fact]
    public void AnUnusedMappingCanBeReleasedAndAFullTableRefuses()
    {
        var (_, nat) = NewTables(mappings: 2);
        int a = nat.Acquire(Udp, Host, 1, 0);
        nat.Acquire(Udp, Host, 2, 0);
        Assert.Equal(NatMappingTable.NotFound, nat.Acquire(Udp, Host, 3, 0));
        Assert.Equal(1, nat.Exhausted);
        nat.ReleaseIfUnused(a);
        Assert.True(nat.Acquire(Udp, Host, 3, 0) >= 0);
        Assert.Equal(2, nat.Count);
    }

    [Fact]
    public void HasPeerKnowsWhomTheInsideEndpointTalkedTo()
    {
        var (ct, nat) = NewTables();
        int m = nat.Acquire(Udp, Host, 40000, 0);
        Assert.False(nat.HasPeer(m, Remote, -1));
        Connect(ct, nat, m, Remote, 3478);
        Assert.True(nat.HasPeer(m, Remote, -1));
        Assert.True(nat.HasPeer(m, Remote, 3478));
        Assert.False(nat.HasPeer(m, Remote, 3479));
        Assert.False(nat.HasPeer(m, Remote2, -1));

        // An inbound connection through the mapping: its peer is the original source.
        ct.Create(Udp, Remote2, Wan, 9999, 40000, Host, Remote2, 40000, 9999, 0, out int inbound);
        ct.AddStatus(inbound, ConnectionTable.StatusDestinationNat | ConnectionTable.StatusInboundMapped);
        Assert.Equal(m, nat.MappingOf(inbound));
        nat.Attach(m, inbound);
        Assert.True(nat.HasPeer(m, Remote2, 9999));
    }
}
