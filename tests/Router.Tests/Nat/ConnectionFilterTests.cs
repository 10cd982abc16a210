using Router.Conntrack;
using Router.Ip;
using Router.Nat;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Nat;

/// <summary>The firewall piece on its own: which packets may open a connection, and where an inbound one goes.</summary>
public class ConnectionFilterTests
{
    private sealed class ForwardTo : IInboundRule
    {
        public int Port;
        public bool TryClaim(int protocol, uint remoteAddress, int remotePort, int externalPort, uint now, InboundTarget target)
        {
            if (externalPort != Port) return false;
            target.InternalAddress = Host;
            target.InternalPort = 80;
            return true;
        }
    }

    private static (ConnectionTable, NatMappingTable, ConnectionFilter) NewFilter()
    {
        var ct = new ConnectionTable(16, new ConntrackTimeouts(), 3);
        var mappings = new NatMappingTable(16, ct);
        var filter = new ConnectionFilter(ct, mappings);
        filter.AddInboundRule(new ForwardTo { Port = 8080 });
        return (ct, mappings, filter);
    }

    private static ParsedPacket Parse(byte[] frame)
    {
        var p = new ParsedPacket();
        Assert.Equal(Verdict.Accept, p.ParseIp(frame, 14, frame.Length - 14));
        Assert.Equal(Verdict.Accept, p.ParseTransport());
        return p;
    }

    private static byte[] WanTcp(int dport, int flags) => Frames.Tcp(RouterWanMac, GatewayMac, Remote, RouterWan, 40000, dport, flags);

    [Fact]
    public void AForwardClaimsAnInboundSynAndNamesItsTarget()
    {
        var (_, _, filter) = NewFilter();
        Assert.Equal(FilterVerdict.Admit, filter.MayOpenInbound(Parse(WanTcp(8080, TcpSegment.Syn)), 0));
        Assert.False(filter.ByMapping);
        Assert.Equal(Host, filter.Target.InternalAddress);
        Assert.Equal(80, filter.Target.InternalPort);
    }

    [Fact]
    public void OnlyABareSynOpensAndAnUnclaimedOneIsUnsolicited()
    {
        var (_, _, filter) = NewFilter();
        Assert.Equal(FilterVerdict.Drop, filter.MayOpenInbound(Parse(WanTcp(8080, TcpSegment.Ack)), 0));
        Assert.Equal(Counters.DropUnsolicited, filter.DropReason);
        Assert.Equal(FilterVerdict.Drop, filter.MayOpenInbound(Parse(WanTcp(9090, TcpSegment.Syn)), 0));
        Assert.Equal(Counters.DropUnsolicited, filter.DropReason);

        byte[] lanAck = Frames.Tcp(RouterLanMac, HostMac, Host, Remote, 40000, 80, TcpSegment.Ack);
        Assert.Equal(FilterVerdict.Drop, filter.MayOpenOutbound(Parse(lanAck)));
        Assert.Equal(Counters.DropTcpInvalid, filter.DropReason);
    }

    [Fact]
    public void APingToTheWanAddressIsTheRoutersAndABadChecksumOpensNothing()
    {
        var (_, _, filter) = NewFilter();
        Assert.Equal(FilterVerdict.Local, filter.MayOpenInbound(Parse(Frames.Icmp(RouterWanMac, GatewayMac, Remote, RouterWan, IcmpMessage.TypeEchoRequest, 0, 7, 1)), 0));

        byte[] syn = WanTcp(8080, TcpSegment.Syn);
        syn[14 + 20 + 16] ^= 0x01; // the TCP checksum
        Assert.Equal(FilterVerdict.Drop, filter.MayOpenInbound(Parse(syn), 0));
        Assert.Equal(Counters.DropTransportChecksum, filter.DropReason);
    }

    [Fact]
    public void AMappingAdmitsOnlyPeersItsInsideEndpointHasSentTo()
    {
        var (ct, mappings, filter) = NewFilter();
        int m = mappings.Acquire(IpProtocol.Udp, Host2, 5000, 1);
        ct.Create(IpProtocol.Udp, Host2, Remote, 5000, 53, Remote, RouterWan, 53, mappings.ExternalPort(m), 0, out int c);
        ct.AddStatus(c, ConnectionTable.StatusSourceNat);
        mappings.Attach(m, c);

        byte[] fromPeer = Frames.Udp(RouterWanMac, GatewayMac, Remote, RouterWan, 6000, mappings.ExternalPort(m));
        Assert.Equal(FilterVerdict.Admit, filter.MayOpenInbound(Parse(fromPeer), 0));
        Assert.True(filter.ByMapping);
        Assert.Equal(Host2, filter.Target.InternalAddress);
        Assert.Equal(5000, filter.Target.InternalPort);

        byte[] fromStranger = Frames.Udp(RouterWanMac, GatewayMac, Remote + 1, RouterWan, 6000, mappings.ExternalPort(m));
        Assert.Equal(FilterVerdict.Drop, filter.MayOpenInbound(Parse(fromStranger), 0));
        filter.Filtering = NatFiltering.EndpointIndependent;
        Assert.Equal(FilterVerdict.Admit, filter.MayOpenInbound(Parse(fromStranger), 0));
    }
}
