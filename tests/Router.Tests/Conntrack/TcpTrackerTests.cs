using Router.Conntrack;
using Xunit;
using static Router.Wire.TcpSegment;

namespace Router.Tests.Conntrack;

public class TcpTrackerTests
{
    private const int O = ConnectionTable.Original;
    private const int R = ConnectionTable.Reply;

    private static int Run(params (int direction, int flags)[] segments)
    {
        int state = TcpState.None;
        foreach (var (direction, flags) in segments)
        {
            int next = TcpTracker.Next(state, direction, flags);
            Assert.NotEqual(TcpState.Invalid, next);
            if (next != TcpState.Ignore) state = next;
        }
        return state;
    }

    [Fact]
    public void ThreeWayHandshakeStepsThroughSynSentAndSynReceived()
    {
        Assert.Equal(TcpState.SynSent, TcpTracker.Next(TcpState.None, O, Syn));
        Assert.Equal(TcpState.SynReceived, TcpTracker.Next(TcpState.SynSent, R, Syn | Ack));
        Assert.Equal(TcpState.Established, TcpTracker.Next(TcpState.SynReceived, O, Ack));
        Assert.Equal(TcpState.Established, TcpTracker.Next(TcpState.Established, O, Ack | Psh));
        Assert.Equal(TcpState.Established, TcpTracker.Next(TcpState.Established, R, Ack));
        Assert.Equal(TcpState.SynSent, TcpTracker.Next(TcpState.SynSent, O, Syn)); // retransmitted SYN
        Assert.Equal(TcpState.Ignore, TcpTracker.Next(TcpState.Established, O, Syn));
        Assert.Equal(TcpState.Ignore, TcpTracker.Next(TcpState.SynReceived, R, Syn | Ack));
        Assert.Equal(TcpState.Ignore, TcpTracker.Next(TcpState.SynSent, R, Ack));
    }

    [Fact]
    public void FinCloseStartedByTheOriginator()
    {
        Assert.Equal(TcpState.TimeWait, Run((O, Syn), (R, Syn | Ack), (O, Ack),
            (O, Fin | Ack), (R, Ack), (R, Fin | Ack), (O, Ack)));
        Assert.Equal(TcpState.FinWait, TcpTracker.Next(TcpState.Established, O, Fin | Ack));
        Assert.Equal(TcpState.CloseWait, TcpTracker.Next(TcpState.FinWait, R, Ack));
        Assert.Equal(TcpState.LastAck, TcpTracker.Next(TcpState.CloseWait, R, Fin | Ack));
        Assert.Equal(TcpState.TimeWait, TcpTracker.Next(TcpState.LastAck, O, Ack));
    }

    [Fact]
    public void FinCloseStartedByTheResponder()
    {
        Assert.Equal(TcpState.TimeWait, Run((O, Syn), (R, Syn | Ack), (O, Ack),
            (R, Fin | Ack), (O, Ack), (O, Fin | Ack), (R, Ack)));
    }

    [Fact]
    public void SimultaneousCloseReachesTimeWait()
    {
        Assert.Equal(TcpState.TimeWait, Run((O, Syn), (R, Syn | Ack), (O, Ack), (O, Fin | Ack), (R, Fin | Ack), (O, Ack)));
    }

    [Fact]
    public void RstClosesFromEitherSideInAnyOpenState()
    {
        for (int state = TcpState.SynSent; state < TcpState.Count; state++)
        {
            Assert.Equal(TcpState.Close, TcpTracker.Next(state, O, Rst));
            Assert.Equal(TcpState.Close, TcpTracker.Next(state, R, Rst | Ack));
        }
    }

    [Fact]
    public void SynAfterTimeWaitOrCloseReopens()
    {
        Assert.Equal(TcpState.SynSent, TcpTracker.Next(TcpState.TimeWait, O, Syn));
        Assert.Equal(TcpState.SynSent, TcpTracker.Next(TcpState.Close, O, Syn));
    }

    [Theory]
    [InlineData(TcpState.None, O, Ack)]            // no mid-stream pick-up
    [InlineData(TcpState.None, O, Fin)]
    [InlineData(TcpState.None, O, Rst)]
    [InlineData(TcpState.None, O, Syn | Ack)]
    [InlineData(TcpState.SynSent, O, Syn | Ack)]   // SYN-ACK from the initiator
    [InlineData(TcpState.SynSent, O, Ack)]          // ACK before the SYN-ACK
    [InlineData(TcpState.None, R, Syn)]
    [InlineData(TcpState.SynSent, R, Fin)]
    [InlineData(TcpState.SynReceived, R, Syn)]      // simultaneous open is not tracked
    [InlineData(TcpState.Established, O, 0)]        // no flags at all
    [InlineData(TcpState.Established, R, 0)]
    [InlineData(TcpState.None, R, Rst)]
    public void SegmentsThatDoNotFitAreInvalid(int state, int direction, int flags)
    {
        Assert.Equal(TcpState.Invalid, TcpTracker.Next(state, direction, flags));
    }

    [Fact]
    public void OnlyABareSynOpensAConnection()
    {
        Assert.True(TcpTracker.OpensConnection(Syn));
        Assert.True(TcpTracker.OpensConnection(Syn | Psh));
        Assert.False(TcpTracker.OpensConnection(Syn | Ack));
        Assert.False(TcpTracker.OpensConnection(Syn | Rst));
        Assert.False(TcpTracker.OpensConnection(Ack));
        Assert.False(TcpTracker.OpensConnection(0));
    }

    [Fact]
    public void StateNamesFollowNetfilter()
    {
        Assert.Equal("ESTABLISHED", TcpState.Name(TcpState.Established));
        Assert.Equal("TIME_WAIT", TcpState.Name(TcpState.TimeWait));
        Assert.Equal("?", TcpState.Name(TcpState.Invalid));
    }
}
