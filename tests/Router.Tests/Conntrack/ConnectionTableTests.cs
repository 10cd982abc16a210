using System.Collections.Generic;
using Router.Conntrack;
using Router.Wire;
using Xunit;

namespace Router.Tests.Conntrack;

public class ConnectionTableTests
{
    private const uint Inside = 0xC0A80102;   // 192.168.1.2
    private const uint Remote = 0xC6336407;   // 198.51.100.7
    private const uint Wan = 0xCB007102;      // 203.0.113.2

    private sealed class Listener : IConnectionListener
    {
        public readonly List<int> Freed = new();
        public void OnConnectionFreed(int connection) => Freed.Add(connection);
    }

    /// <summary>An outbound UDP flow from inside port <paramref name="port"/> to the remote's port 53, masqueraded to the same port; its entry, or NotFound when refused.</summary>
    private static int AddFlow(ConnectionTable t, int port, uint now)
    {
        t.Create(IpProtocol.Udp, Inside, Remote, port, 53, Remote, Wan, 53, port, now, out int entry);
        return entry;
    }

    private static CreateVerdict TryFlow(ConnectionTable t, int port, uint now) =>
        t.Create(IpProtocol.Udp, Inside, Remote, port, 53, Remote, Wan, 53, port, now, out _);

    private static bool Present(ConnectionTable t, int port) => t.Find(IpProtocol.Udp, Inside, Remote, port, 53) >= 0;

    [Fact]
    public void AConnectionIsFoundFromBothDirections()
    {
        var t = new ConnectionTable(8, new ConntrackTimeouts(), 42);
        Assert.Equal(CreateVerdict.Created, t.Create(IpProtocol.Udp, Inside, Remote, 40000, 53, Remote, Wan, 53, 61000, 5, out int e));
        Assert.True(e >= 0);
        Assert.Equal(e * 2, t.Find(IpProtocol.Udp, Inside, Remote, 40000, 53));
        Assert.Equal(e * 2 + 1, t.Find(IpProtocol.Udp, Remote, Wan, 53, 61000));
        Assert.Equal(ConnectionTable.NotFound, t.Find(IpProtocol.Tcp, Inside, Remote, 40000, 53));
        Assert.Equal(ConnectionTable.NotFound, t.Find(IpProtocol.Udp, Inside, Remote, 40001, 53));
        Assert.Equal(ConnectionTable.NotFound, t.Find(IpProtocol.Udp, Remote, Wan, 53, 40000));

        Assert.Equal(Remote, t.SourceAddress(e * 2 + 1));
        Assert.Equal(Wan, t.DestinationAddress(e * 2 + 1));
        Assert.Equal(53, t.SourcePort(e * 2 + 1));
        Assert.Equal(61000, t.DestinationPort(e * 2 + 1));
        Assert.Equal(IpProtocol.Udp, t.Protocol(e));
        Assert.Equal(5u, t.LastSeen(e));
        Assert.True(t.InUse(e));
        Assert.Equal(1, t.Count);
        Assert.Equal(1, t.Created);
        Assert.Equal(-1, t.Link(e));
    }

    [Fact]
    public void ManyConnectionsSharingBucketsStayFindableAndFreeCleanly()
    {
        var t = new ConnectionTable(300, new ConntrackTimeouts(), 7);
        for (int i = 0; i < 300; i++) Assert.True(AddFlow(t, 1000 + i, 0) >= 0);
        for (int i = 0; i < 300; i += 2) t.Free(t.Find(IpProtocol.Udp, Inside, Remote, 1000 + i, 53) >> 1);
        for (int i = 0; i < 300; i++)
        {
            Assert.Equal(i % 2 == 1, Present(t, 1000 + i));
            Assert.Equal(i % 2 == 1, t.Find(IpProtocol.Udp, Remote, Wan, 53, 1000 + i) >= 0);
        }
        Assert.Equal(150, t.Count);
    }

    [Fact]
    public void SweepFreesOnlyExpiredEntriesAndCountsThem()
    {
        var t = new ConnectionTable(4, new ConntrackTimeouts(), 1);
        var listener = new Listener();
        t.AddListener(listener);
        int a = AddFlow(t, 1000, 100);
        int b = AddFlow(t, 1001, 100);
        t.SetAssured(b); // assured UDP lives 300 s, unreplied 120 s

        Assert.Equal(0, t.Sweep(220, 4)); // exactly the timeout: not yet expired
        Assert.False(t.IsExpired(a, 220));
        Assert.True(t.IsExpired(a, 221));
        Assert.Equal(1, t.Sweep(221, 4));
        Assert.False(Present(t, 1000));
        Assert.True(Present(t, 1001));
        Assert.Equal(new[] { a }, listener.Freed);
        Assert.Equal(1, t.Expired);

        t.Touch(b, 300);
        Assert.Equal(0, t.Sweep(600, 4));
        Assert.Equal(1, t.Sweep(601, 4));
        Assert.Equal(0, t.Count);
        Assert.Equal(2, t.Expired);
    }

    [Fact]
    public void SweepIsBoundedByItsBudgetAndWrapsRoundRobin()
    {
        var t = new ConnectionTable(4, new ConntrackTimeouts(), 1);
        for (int i = 0; i < 4; i++) AddFlow(t, 1000 + i, 0);
        Assert.Equal(1, t.Sweep(1000, 1));
        Assert.Equal(2, t.Sweep(1000, 2));
        Assert.Equal(1, t.Sweep(1000, 3)); // visits the last entry, then wraps to two already free
        Assert.Equal(0, t.Count);
        Assert.Equal(4, t.Expired);
    }

    [Fact]
    public void FullTableReusesAnExpiredEntryFirst()
    {
        var t = new ConnectionTable(4, new ConntrackTimeouts(), 1);
        for (int i = 0; i < 4; i++) t.SetAssured(AddFlow(t, 1000 + i, 0));
        t.Touch(t.Find(IpProtocol.Udp, Inside, Remote, 1000, 53) >> 1, 200); // the others idle past 300 s at t=301
        t.Touch(t.Find(IpProtocol.Udp, Inside, Remote, 1001, 53) >> 1, 200);
        t.Touch(t.Find(IpProtocol.Udp, Inside, Remote, 1003, 53) >> 1, 200);

        Assert.True(AddFlow(t, 2000, 301) >= 0);
        Assert.False(Present(t, 1002));
        Assert.True(Present(t, 1000) && Present(t, 1001) && Present(t, 1003) && Present(t, 2000));
        Assert.Equal(1, t.Expired);
        Assert.Equal(0, t.Evicted);
        Assert.Equal(0, t.RefusedFull);
        Assert.Equal(5, t.Created);
    }

    [Fact]
    public void FullTableEvictsTheOldestNeverAssuredConnection()
    {
        var t = new ConnectionTable(4, new ConntrackTimeouts(), 1);
        int a = AddFlow(t, 1000, 0);
        AddFlow(t, 1001, 1);
        AddFlow(t, 1002, 2);
        AddFlow(t, 1003, 3);
        t.SetAssured(a); // the oldest is assured: it must survive

        Assert.True(AddFlow(t, 2000, 10) >= 0);
        Assert.True(Present(t, 1000));
        Assert.False(Present(t, 1001));
        Assert.True(Present(t, 1002) && Present(t, 1003) && Present(t, 2000));
        Assert.Equal(1, t.Evicted);

        Assert.True(AddFlow(t, 2001, 11) >= 0);
        Assert.False(Present(t, 1002));
        Assert.Equal(2, t.Evicted);
        Assert.Equal(0, t.Expired);
        Assert.Equal(4, t.Count);
    }

    /// <summary>netfilter's early drop (tcp_can_early_drop): a finished TCP connection lingering in TIME_WAIT, assured, makes room before a handshake in progress.</summary>
    [Fact]
    public void FullTableEvictsAClosingTcpConnectionBeforeAnUnassuredOne()
    {
        var t = new ConnectionTable(4, new ConntrackTimeouts(), 1);
        int[] tcp = new int[3];
        for (int i = 0; i < 3; i++)
        {
            t.Create(IpProtocol.Tcp, Inside, Remote, 40000 + i, 21, Remote, Wan, 21, 40000 + i, 0, out tcp[i]);
            t.SetAssured(tcp[i]);
            t.SetState(tcp[i], TcpState.Established);
        }
        t.SetState(tcp[1], TcpState.TimeWait);
        AddFlow(t, 1000, 1); // a flow that has not been answered yet

        Assert.True(AddFlow(t, 2000, 10) >= 0);
        Assert.Equal(ConnectionTable.NotFound, t.Find(IpProtocol.Tcp, Inside, Remote, 40001, 21));
        Assert.True(t.Find(IpProtocol.Tcp, Inside, Remote, 40000, 21) >= 0 && t.Find(IpProtocol.Tcp, Inside, Remote, 40002, 21) >= 0);
        Assert.True(Present(t, 1000) && Present(t, 2000));
        Assert.Equal(1, t.Evicted);

        Assert.True(AddFlow(t, 2001, 11) >= 0); // no closing connection left: the unassured one goes
        Assert.False(Present(t, 1000));
        Assert.Equal(2, t.Evicted);
        Assert.Equal(0, t.RefusedFull);
    }

    [Fact]
    public void FullTableOfAssuredConnectionsRefusesAndCounts()
    {
        var t = new ConnectionTable(4, new ConntrackTimeouts(), 1);
        for (int i = 0; i < 4; i++) t.SetAssured(AddFlow(t, 1000 + i, 0));
        Assert.Equal(CreateVerdict.Full, TryFlow(t, 2000, 10));
        Assert.Equal(CreateVerdict.Full, TryFlow(t, 2001, 10));
        Assert.Equal(2, t.RefusedFull);
        Assert.Equal(0, t.Evicted);
        for (int i = 0; i < 4; i++) Assert.True(Present(t, 1000 + i));
        Assert.Equal(4, t.Count);
        Assert.Equal(4, t.Created);
    }

    [Fact]
    public void StatusStateAndLink()
    {
        var t = new ConnectionTable(4, new ConntrackTimeouts(), 1);
        t.Create(IpProtocol.Tcp, Inside, Remote, 1000, 21, Remote, Wan, 21, 1000, 0, out int master);
        t.Create(IpProtocol.Tcp, Remote, Wan, 20, 5000, Inside, Remote, 5000, 20, 0, out int related);
        t.AddStatus(master, ConnectionTable.StatusHelper);
        t.AddStatus(related, ConnectionTable.StatusRelated);
        t.SetLink(related, master);
        t.SetState(master, TcpState.Established);
        Assert.Equal(TcpState.Established, t.State(master));
        Assert.Equal(7440, t.TimeoutSeconds(master));
        Assert.Equal(master, t.Link(related));
        Assert.True(t.HasStatus(related, ConnectionTable.StatusRelated | ConnectionTable.StatusAssured));
        Assert.False(t.HasStatus(related, ConnectionTable.StatusAssured));

        t.Free(master);
        Assert.Equal(-1, t.Link(related)); // the related connection forgets its master
        Assert.False(t.InUse(master));
    }

    [Fact]
    public void CapacityIsBounded()
    {
        Assert.Throws<System.ArgumentOutOfRangeException>(() => new ConnectionTable(0, new ConntrackTimeouts(), 1));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => new ConnectionTable(ConnectionTable.MaxCapacity + 1, new ConntrackTimeouts(), 1));
        var t = new ConnectionTable(1000, new ConntrackTimeouts(), 1);
        Assert.Equal(2048, t.BucketCount); // one bucket per node (two per entry), rounded up to a power of two
        Assert.Equal(1000, t.Capacity);
    }
}
