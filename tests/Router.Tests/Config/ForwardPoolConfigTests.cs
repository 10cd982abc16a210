using System;
using System.Linq;
using Router.Config;
using Router.Rules;
using Router.Tests.Support;
using Xunit;

namespace Router.Tests.Config;

/// <summary>
/// A forward's pool in the flash format: flag bit 1 of the forward's flags, then a count and the further members.
/// Forwards without a pool are stored byte for byte as before, so every image saved before pools existed loads as it was.
/// </summary>
public class ForwardPoolConfigTests
{
    private static RouterConfig WithForward(Action<PortForward> setUp)
    {
        RouterConfig c = ConfigStoreTests.Empty();
        PortForward f = c.AddForward();
        f.Name = "ftp";
        f.ExternalPort = f.ExternalPortEnd = 21;
        f.InternalAddress = Frames.Ip("192.168.1.2");
        f.InternalPort = 21;
        setUp(f);
        return c;
    }

    private static RouterConfig Decode(byte[] payload)
    {
        var r = new ConfigReader();
        r.Reset(payload, 0, payload.Length);
        RouterConfig c = ConfigStoreTests.Empty();
        return ConfigCodec.Decode(r, ConfigCodec.CurrentVersion, c) ? c : null;
    }

    /// <summary>What follows the forwards: the trigger count, the 22-byte DHCP block and the security flags byte (v4).</summary>
    private const int AfterForwards = 1 + 22 + 1;

    /// <summary>Index of the forward's flags byte: right after the forward count, which follows the admin credential.</summary>
    private static int ForwardFlagsAt(RouterConfig c) => ConfigSamples.Payload(c).Length - AfterForwards - ForwardBytes(c.Forwards[0]);

    private static int ForwardBytes(PortForward f) => 18 + System.Text.Encoding.UTF8.GetByteCount(f.Name) + (f.PoolSize > 1 ? 1 + 4 * (f.PoolSize - 1) : 0);

    [Fact]
    public void AForwardWithoutAPoolIsStoredExactlyAsBefore()
    {
        RouterConfig plain = WithForward(_ => { });
        byte[] payload = ConfigSamples.Payload(plain);
        int at = ForwardFlagsAt(plain);
        Assert.Equal(1, payload[at - 1]); // one forward
        Assert.Equal(0x01, payload[at]); // enabled, no pool bit
        Assert.Equal(0x01, payload[at + 1]); // TCP
        Assert.Equal(1 + (1 + 3) + 2 + 2 + 4 + 2 + 4 + 1, payload.Length - AfterForwards - (at + 1)); // the v3 record (18 bytes + name), nothing more
        ConfigSamples.AssertSame(plain, Decode(payload));
    }

    [Fact]
    public void APoolIsStoredAfterTheForwardAndLoadsBack()
    {
        RouterConfig pooled = WithForward(f =>
        {
            f.SetPoolMember(1, Frames.Ip("192.168.1.3"));
            f.SetPoolMember(2, Frames.Ip("192.168.1.4"));
        });
        byte[] payload = ConfigSamples.Payload(pooled);
        int at = ForwardFlagsAt(pooled);
        Assert.Equal(0x03, payload[at]); // enabled + pool
        int pool = at + 18 + 3;
        Assert.Equal(2, payload[pool]);
        Assert.Equal(new byte[] { 192, 168, 1, 3, 192, 168, 1, 4 }, payload[(pool + 1)..(pool + 9)]);

        RouterConfig loaded = Decode(payload);
        ConfigSamples.AssertSame(pooled, loaded);
        Assert.Equal(3, loaded.Forwards[0].PoolSize);
        Assert.Equal(Frames.Ip("192.168.1.4"), loaded.Forwards[0].PoolMember(2));
    }

    [Fact]
    public void APoolCountBeyondThreeFurtherMembersIsAMalformedImage()
    {
        RouterConfig pooled = WithForward(f => f.SetPoolMember(1, Frames.Ip("192.168.1.3")));
        byte[] payload = ConfigSamples.Payload(pooled);
        int pool = ForwardFlagsAt(pooled) + 18 + 3;
        payload[pool] = PortForward.MaxPoolMembers;
        Assert.Null(Decode(payload));
        payload[pool] = 0;
        Assert.Null(Decode(payload));
    }

    [Fact]
    public void APoolChangesTheRuleSoItsConnectionsAreCutOnApply()
    {
        PortForward a = WithForward(_ => { }).Forwards[0];
        PortForward b = new PortForward();
        b.CopyFrom(a);
        Assert.True(a.SameTraffic(b));
        b.SetPoolMember(1, Frames.Ip("192.168.1.3"));
        Assert.False(a.SameTraffic(b));
        a.CopyFrom(b);
        Assert.True(a.SameTraffic(b));
        Assert.Equal(2, a.PoolSize);
    }

    [Fact]
    public void SourceHashSpreadsClientsOverEveryMemberAndKeepsEachClientOnOne()
    {
        PortForward f = WithForward(p =>
        {
            for (int m = 1; m < PortForward.MaxPoolMembers; m++) p.SetPoolMember(m, Frames.Ip("192.168.1." + (2 + m)));
        }).Forwards[0];
        var counts = Enumerable.Range(0, 1000).Select(i => Frames.Ip("198.51.100.0") + (uint)i)
            .GroupBy(f.MemberFor).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 150, 350)); // 250 each if even
        uint client = Frames.Ip("203.0.113.77");
        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(f.MemberFor(client), f.MemberFor(client)));
        Assert.True(f.HasMember(f.MemberFor(client)));

        f.ClearPool();
        Assert.Equal(1, f.PoolSize);
        Assert.Equal(f.InternalAddress, f.MemberFor(client));
    }
}
