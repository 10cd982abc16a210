using Router.Ip;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Ip;

public class FragmentTranslationTests
{
    private const int Id = 0x4242;

    /// <summary>A 32-byte UDP datagram (8 header + 24 payload) in two fragments: 8+16 bytes at offset 0 (MF), 8 bytes at offset 24.</summary>
    private static (byte[] first, byte[] last) Fragments(byte[] dstMac, byte[] srcMac, uint src, uint dst, int sport, int dport)
    {
        byte[] payload = new byte[24];
        for (int i = 0; i < payload.Length; i++) payload[i] = (byte)(0xA0 + i);
        byte[] whole = Frames.Udp(dstMac, srcMac, src, dst, sport, dport, payload, id: Id);
        byte[] first = IpTestFrames.Fragment(IpTestFrames.Truncate(whole, 20 + 24), Ipv4Packet.FlagMoreFragments, 0);
        byte[] last = new byte[14 + 20 + 8];
        System.Array.Copy(whole, last, 34);
        System.Array.Copy(whole, 34 + 24, last, 34, 8);
        NetworkOrder.WriteUInt16(last, 16, 28);
        IpTestFrames.Fragment(last, 0, 24);
        return (first, last);
    }

    [Fact]
    public void LaterFragmentsGetTheFirstFragmentsAddressTranslation()
    {
        var rig = new RouterRig();
        rig.FromLan(Frames.Udp(RouterLanMac, Host2Mac, Host2, Remote, 40000, 53)); // Host's port 40000 will be remapped
        rig.Wan.Sent.Clear();
        var (first, last) = Fragments(RouterLanMac, HostMac, Host, Remote, 40000, 53);
        rig.FromLan(first);
        rig.FromLan(last);
        Assert.Equal(2, rig.Wan.Sent.Count);
        byte[] f1 = rig.Wan.Sent[0], f2 = rig.Wan.Sent[1];

        Assert.Equal(RouterWan, Ipv4Packet.Source(f1, 14));
        Assert.True(Ipv4Packet.MoreFragments(f1, 14));
        int mapped = UdpDatagram.SourcePort(f1, 34);
        Assert.NotEqual(40000, mapped);
        Assert.Equal(RouterWan, Ipv4Packet.Source(f2, 14));
        Assert.Equal(Remote, Ipv4Packet.Destination(f2, 14));
        Assert.Equal(24, Ipv4Packet.FragmentOffset(f2, 14));
        Assert.Equal(Id, Ipv4Packet.Identification(f2, 14));
        Assert.Equal(last[34..42], f2[34..42]); // payload bytes untouched
        Assert.True(Ipv4Packet.HeaderChecksumValid(f2, 14));
        Assert.True(Ipv4Packet.HeaderChecksumValid(f1, 14));

        // Reassembled, the datagram's UDP checksum still verifies: the first fragment's incremental update covers it all.
        byte[] whole = new byte[14 + 20 + 32];
        System.Array.Copy(f1, whole, 14 + 20 + 24);
        System.Array.Copy(f2, 34, whole, 34 + 24, 8);
        NetworkOrder.WriteUInt16(whole, 16, 52);
        NetworkOrder.WriteUInt16(whole, 20, 0);
        Ipv4Packet.FillChecksum(whole, 14);
        Assert.Null(Frames.ChecksumProblem(whole, whole.Length));
        Assert.Equal(1, rig.Counters[Counters.FragmentsTranslated]);
        rig.AssertAccounted();

        // Reply fragments from the remote go back to the inside host.
        rig.Wan.Sent.Clear();
        var (r1, r2) = Fragments(RouterWanMac, GatewayMac, Remote, RouterWan, 53, mapped);
        rig.FromWan(r1);
        rig.FromWan(r2);
        Assert.Equal(2, rig.Lan.Sent.Count);
        Assert.Equal(Host, Ipv4Packet.Destination(rig.Lan.Sent[0], 14));
        Assert.Equal(40000, UdpDatagram.DestinationPort(rig.Lan.Sent[0], 34));
        Assert.Equal(Host, Ipv4Packet.Destination(rig.Lan.Sent[1], 14));
        Assert.Equal(HostMac, rig.Lan.Sent[1][0..6]);
        Assert.True(Ipv4Packet.HeaderChecksumValid(rig.Lan.Sent[1], 14));
        Assert.Equal(2, rig.Counters[Counters.FragmentsTranslated]);
        rig.AssertAccounted();
    }

    [Fact]
    public void AnUnknownLaterFragmentIsDroppedAndCounted()
    {
        var rig = new RouterRig();
        var (_, last) = Fragments(RouterLanMac, HostMac, Host, Remote, 40000, 53);
        rig.FromLan(last);
        var (_, inbound) = Fragments(RouterWanMac, GatewayMac, Remote, RouterWan, 53, 40000);
        rig.FromWan(inbound);
        Assert.Empty(rig.Wan.Sent);
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(2, rig.Counters[Counters.DropFragmentUnknown]);
        rig.AssertAccounted();
    }

    [Fact]
    public void TheLastFragmentReleasesTheEntry()
    {
        var rig = new RouterRig();
        var (first, last) = Fragments(RouterLanMac, HostMac, Host, Remote, 40000, 53);
        rig.FromLan(first);
        rig.FromLan(last);
        rig.FromLan(last); // a duplicate after the datagram completed
        Assert.Equal(2, rig.Wan.Sent.Count);
        Assert.Equal(1, rig.Counters[Counters.DropFragmentUnknown]);
    }

    [Fact]
    public void ATinyFirstFragmentWithoutAWholeTransportHeaderIsDroppedWithoutHarm()
    {
        var rig = new RouterRig();
        byte[] syn = Frames.Tcp(RouterLanMac, HostMac, Host, Remote, 50000, 80, TcpSegment.Syn, id: Id);
        byte[] tiny = IpTestFrames.Fragment(IpTestFrames.Truncate(syn, 20 + 8), Ipv4Packet.FlagMoreFragments, 0);
        rig.FromLan(tiny);
        byte[] rest = new byte[14 + 20 + 12];
        System.Array.Copy(syn, rest, 34);
        System.Array.Copy(syn, 42, rest, 34, 12);
        NetworkOrder.WriteUInt16(rest, 16, 32);
        IpTestFrames.Fragment(rest, 0, 8);
        rig.FromLan(rest);

        Assert.Empty(rig.Wan.Sent);
        Assert.Equal(1, rig.Counters[Counters.DropTransportTruncated]);
        Assert.Equal(1, rig.Counters[Counters.DropTinyFragment]); // the rest starts at offset 8 (RFC 1858 3.4)
        Assert.Equal(0, rig.Router.Connections.Count);
        rig.AssertAccounted();

        // A tiny UDP first fragment (just the 8-byte header) is enough to translate.
        byte[] udp = Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40000, 53, new byte[16], id: 7);
        rig.FromLan(IpTestFrames.Fragment(IpTestFrames.Truncate(udp, 28), Ipv4Packet.FlagMoreFragments, 0));
        Assert.Single(rig.Wan.Sent);
    }

    [Fact]
    public void FragmentTableForgetsExpiredAndFreedConnectionsAndEvictsWhenFull()
    {
        var table = new FragmentTable(2) { TimeoutSeconds = 30 };
        table.Remember(1, 2, 17, 100, 6, 0);
        table.Remember(1, 2, 17, 101, 8, 0);
        Assert.Equal(6, table.Lookup(1, 2, 17, 100, false, 29));
        Assert.Equal(FragmentTable.NotFound, table.Lookup(1, 2, 6, 100, false, 29));   // another protocol
        Assert.Equal(FragmentTable.NotFound, table.Lookup(1, 2, 17, 100, false, 30));  // expired

        table.Remember(1, 2, 17, 102, 10, 1); // full: replaces a live entry (counted)
        Assert.Equal(1, table.Evictions);
        table.Remember(1, 2, 17, 103, 12, 1); // then the one closest to expiry (101, expiring at 30 before 102 at 31)
        Assert.Equal(2, table.Evictions);
        Assert.Equal(FragmentTable.NotFound, table.Lookup(1, 2, 17, 100, false, 2));
        Assert.Equal(FragmentTable.NotFound, table.Lookup(1, 2, 17, 101, false, 2));
        Assert.Equal(10, table.Lookup(1, 2, 17, 102, false, 2));
        Assert.Equal(12, table.Lookup(1, 2, 17, 103, false, 2));
        Assert.Equal(12, table.Lookup(1, 2, 17, 103, true, 2));        // the last fragment releases it
        Assert.Equal(FragmentTable.NotFound, table.Lookup(1, 2, 17, 103, false, 2));
        table.Remember(1, 2, 17, 103, 12, 2);

        table.OnConnectionFreed(12 >> 1);
        Assert.Equal(FragmentTable.NotFound, table.Lookup(1, 2, 17, 103, false, 2));
    }
}
