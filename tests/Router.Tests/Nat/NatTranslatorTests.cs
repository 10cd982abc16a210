using Router.Conntrack;
using Router.Ip;
using Router.Nat;
using Router.Tests.Support;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Nat;

/// <summary>NAT's bind steps on their own: a named verdict, the connection given separately, the reason of a refusal named by its counter.</summary>
public class NatTranslatorTests
{
    private static (ConnectionTable, NatMappingTable, NatTranslator) NewTranslator(int connections)
    {
        var ct = new ConnectionTable(connections, new ConntrackTimeouts(), 3);
        var mappings = new NatMappingTable(16, ct);
        var nat = new NatTranslator(ct, mappings, new FragmentTable(4), new Counters(), new TestRandom());
        nat.WanAddress = RouterWan;
        return (ct, mappings, nat);
    }

    private static ParsedPacket Parse(byte[] frame)
    {
        var p = new ParsedPacket();
        Assert.Equal(Verdict.Accept, p.ParseIp(frame, 14, frame.Length - 14));
        Assert.Equal(Verdict.Accept, p.ParseTransport());
        return p;
    }

    private static ParsedPacket LanUdp(uint source, int sport) => Parse(Frames.Udp(RouterLanMac, HostMac, source, Remote, sport, 53));

    [Fact]
    public void AnOutboundBindGivesTheConnectionItCreated()
    {
        var (ct, mappings, nat) = NewTranslator(4);
        ParsedPacket p = LanUdp(Host, 40000);
        Assert.Equal(BindVerdict.Bound, nat.BindOutbound(p, null, 0, out int connection));
        Assert.Equal(connection * 2, ct.Find(p.Protocol, p.Source, p.Destination, p.SourcePort, p.DestinationPort));
        Assert.Equal(1, mappings.Count);
    }

    [Fact]
    public void AFullTableRefusesWithItsCounterNoConnectionAndTheMappingGivenBack()
    {
        var (ct, mappings, nat) = NewTranslator(1);
        Assert.Equal(BindVerdict.Bound, nat.BindOutbound(LanUdp(Host, 40000), null, 0, out int first));
        ct.SetAssured(first); // an assured connection is never evicted
        Assert.Equal(BindVerdict.Drop, nat.BindOutbound(LanUdp(Host2, 40001), null, 0, out int refused));
        Assert.Equal(ConnectionTable.NotFound, refused);
        Assert.Equal(Counters.DropConntrackFull, nat.DropReason);
        Assert.Equal(1, mappings.Count);
        Assert.Equal(1, ct.Count);
    }

    [Fact]
    public void AnInboundBindToATakenReplyTupleRefusesAsTupleTaken()
    {
        var (ct, _, nat) = NewTranslator(4);
        Assert.Equal(BindVerdict.Bound, nat.BindOutbound(LanUdp(Host, 40000), null, 0, out _)); // Host:40000 talks to Remote:53
        // Remote:53 opening a connection to a forward that leads to Host:40000: its reply tuple is the one above's.
        ParsedPacket inbound = Parse(Frames.Udp(RouterWanMac, GatewayMac, Remote, RouterWan, 53, 8080));
        var target = new InboundTarget { InternalAddress = Host, InternalPort = 40000 };
        Assert.Equal(BindVerdict.Drop, nat.BindInbound(inbound, target, false, 0, out int refused));
        Assert.Equal(ConnectionTable.NotFound, refused);
        Assert.Equal(Counters.DropTupleTaken, nat.DropReason);
        Assert.Equal(1, ct.Count);
    }
}
