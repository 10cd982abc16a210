using Router.Conntrack;
using Router.Wire;
using Xunit;

namespace Router.Tests.Conntrack;

public class ConntrackTimeoutsTests
{
    [Fact]
    public void DefaultsMeetTheNatBehaviourRfcs()
    {
        var t = new ConntrackTimeouts();
        Assert.True(t.TcpEstablished >= 7440, "RFC 5382 REQ-5: established TCP idle timeout >= 2 h 4 min");
        Assert.True(t.For(IpProtocol.Tcp, TcpState.Established, true) >= 7440);
        Assert.True(t.UdpUnreplied >= 120, "RFC 4787 REQ-5: UDP mapping timeout >= 2 min");
        Assert.True(t.UdpAssured >= 120);
        Assert.True(t.For(IpProtocol.Udp, 0, false) >= 120);
        Assert.True(t.For(IpProtocol.Udp, 0, true) >= 120);
        Assert.True(t.Icmp >= 60, "RFC 5508 REQ-1: ICMP query mapping timeout >= 60 s");
        Assert.True(t.For(IpProtocol.Icmp, 0, true) >= 60);
        // RFC 5382 REQ-5 also asks for >= 4 min in the transitory (partially open or partially closed) states.
        foreach (int state in new[] { TcpState.SynSent, TcpState.SynReceived, TcpState.FinWait, TcpState.CloseWait, TcpState.LastAck, TcpState.TimeWait })
        {
            Assert.True(t.Tcp(state) >= 240, $"RFC 5382 REQ-5: transitory {TcpState.Name(state)} timeout {t.Tcp(state)} s < 4 min");
        }
        Assert.Equal(7440, ConntrackTimeouts.MinimumTcpEstablished);
        Assert.Equal(120, ConntrackTimeouts.MinimumUdp);
        Assert.Equal(60, ConntrackTimeouts.MinimumIcmp);
    }

    [Fact]
    public void TcpEstablishedIsSettable()
    {
        var t = new ConntrackTimeouts { TcpEstablished = 86400 };
        Assert.Equal(86400, t.For(IpProtocol.Tcp, TcpState.Established, false));
        Assert.Equal(10, t.For(IpProtocol.Tcp, TcpState.Close, false));
    }
}
