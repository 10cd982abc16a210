using Router.Conntrack;
using Router.Tests.Support;
using Xunit;
using static Router.Wire.TcpSegment;

namespace Router.Tests.Conntrack;

/// <summary>
/// netfilter's packetdrill conntrack scripts (tools/testing/selftests/net/netfilter/packetdrill) replayed through the
/// router, segment for segment, with the same expectations: which segments pass, which are invalid, the state after.
/// Sequence numbers are the scripts' own, made absolute (client ISN 1000 where the script's host is the client).
/// </summary>
public class TcpWindowTrackingTests
{
    /// <summary>conntrack_rst_invalid: out-of-window and inexact RSTs are invalid and the flow stays ESTABLISHED; the exact one closes.</summary>
    [Fact]
    public void RstInvalid()
    {
        var f = new TcpFlow();
        Assert.True(f.FromClient(Syn, 1000, 0, options: TcpFlow.SynOptions(8, sackPermitted: true)));
        Assert.True(f.FromServer(Syn | Ack, 0, 1001, options: TcpFlow.SynOptions()));
        Assert.True(f.FromClient(Ack, 1001, 1));
        Assert.True(f.FromServer(Ack, 1, 1001, 1000));
        Assert.True(f.FromServer(Ack, 1001, 1001, 1000));
        Assert.True(f.FromServer(Ack, 2001, 1001, 1000));
        Assert.True(f.FromClient(Ack, 1001, 1001));
        Assert.True(f.FromClient(Ack, 1001, 2001));
        Assert.True(f.FromClient(Ack, 1001, 3001));

        Assert.False(f.FromServer(Rst, 0, 0, window: 0));        // out of window
        Assert.Equal(TcpState.Established, f.State);
        Assert.False(f.FromServer(Rst, 1000000, 0, window: 0));  // out of window
        Assert.Equal(TcpState.Established, f.State);
        Assert.False(f.FromServer(Rst, 42, 0, window: 0));       // in the old window but below what the client acknowledged
        Assert.Equal(TcpState.Established, f.State);

        Assert.True(f.FromClient(Psh | Ack, 1001, 3001, 1000));
        Assert.True(f.FromServer(Ack, 3001, 2001));
        Assert.False(f.FromServer(Rst | Ack, 3000, 2001, window: 0));
        Assert.Equal(TcpState.Established, f.State);

        Assert.True(f.FromServer(Rst | Ack, 3001, 2001, window: 0)); // the exact next sequence number
        Assert.Equal(TcpState.Close, f.State);
        Assert.Equal(4, f.Count(Counters.DropTcpOutOfWindow));
        Assert.Equal(4, f.Rig.Counters.DroppedTotal);
        f.Rig.AssertAccounted();
    }

    /// <summary>RFC 5961 3.2: an in-window RST that is not exact passes for the endpoint's challenge ACK, and changes nothing.</summary>
    [Fact]
    public void InexactInWindowRstKeepsTheStateAndReachesTheEndpoint()
    {
        var f = Established();
        Assert.True(f.FromServer(Rst, 1 + 5000, 0));
        Assert.Equal(TcpState.Established, f.State);
        Assert.True(f.FromServer(Ack | Psh, 1, 1001, 100)); // the flow still works
        Assert.True(f.FromClient(Ack, 1001, 101));
    }

    /// <summary>conntrack_syn_challenge_ack: a challenge ACK to a SYN and the client's RST pass, and the retried SYN opens a new flow.</summary>
    [Fact]
    public void SynChallengeAck()
    {
        var f = new TcpFlow();
        Assert.True(f.FromClient(Syn, 1000, 0, options: TcpFlow.SynOptions(8, sackPermitted: true)));
        Assert.True(f.FromServer(Ack, 145824453, 643160523, window: 240)); // challenge ACK from an old incarnation
        Assert.True(f.FromClient(Rst, 643160523, 0, window: 0));
        Assert.True(f.FromClient(Syn, 1000, 0, options: TcpFlow.SynOptions(8, sackPermitted: true)));
        Assert.Equal(TcpState.SynSent, f.State);
        Assert.True(f.FromServer(Syn | Ack, 0, 1001, window: 250, options: TcpFlow.SynOptions(0)));
        Assert.True(f.FromClient(Ack, 1001, 1, window: 256));
        Assert.Equal(TcpState.Established, f.State);
        Assert.True(f.Assured);
        Assert.Equal(0, f.Rig.Counters.DroppedTotal);
    }

    /// <summary>conntrack_synack_old: a SYN-ACK for an old incarnation is invalid; the right one after the SYN's retransmission is not.</summary>
    [Fact]
    public void SynAckOld()
    {
        var f = new TcpFlow();
        Assert.True(f.FromClient(Syn, 1000, 0, options: TcpFlow.SynOptions(8, sackPermitted: true)));
        Assert.False(f.FromServer(Syn | Ack, 145824453, 643160523, window: 240, options: TcpFlow.SynOptions(0)));
        Assert.True(f.FromClient(Syn, 1000, 0, options: TcpFlow.SynOptions(8, sackPermitted: true)));
        Assert.Equal(TcpState.SynSent, f.State);
        Assert.True(f.FromServer(Syn | Ack, 145758918, 1001, window: 250, options: TcpFlow.SynOptions(0)));
        Assert.True(f.FromClient(Psh | Ack, 1001, 145758919, 1, window: 256));
        Assert.Equal(TcpState.Established, f.State);
        Assert.True(f.Assured);
        Assert.Equal(1, f.Rig.Counters.DroppedTotal);
        Assert.Equal(1, f.Count(Counters.DropTcpOutOfWindow));
    }

    /// <summary>
    /// conntrack_synack_reuse: a new SYN on an established flow passes unchanged, the server's challenge ACK passes,
    /// the client's RST closes, and its SYN retransmission opens a fresh flow that reaches SYN_RECV. Nothing is invalid.
    /// </summary>
    [Fact]
    public void SynAckReuse()
    {
        var f = new TcpFlow();
        Assert.True(f.FromClient(Syn, 0, 0, window: 32792, options: TcpFlow.SynOptions(7)));
        Assert.True(f.FromServer(Syn | Ack, 0, 1, options: TcpFlow.SynOptions(8)));
        Assert.True(f.FromClient(Ack, 1, 1, window: 257));
        Assert.True(f.FromClient(Psh | Ack, 1, 1, 100, window: 257));
        Assert.True(f.FromServer(Ack, 1, 101, window: 256));

        Assert.True(f.FromClient(Syn, 2000, 0, window: 32792, options: TcpFlow.SynOptions(7)));
        Assert.Equal(TcpState.Established, f.State);
        Assert.True(f.FromServer(Ack, 1, 101, window: 256)); // challenge ACK
        Assert.True(f.FromClient(Rst | Ack, 101, 1, window: 257));
        Assert.Equal(TcpState.Close, f.State);

        Assert.True(f.FromClient(Syn, 2000, 0, window: 32792, options: TcpFlow.SynOptions(0)));
        Assert.True(f.FromServer(Syn | Ack, 7000, 2001, options: TcpFlow.SynOptions(8)));
        Assert.Equal(TcpState.SynReceived, f.State);
        Assert.Equal(0, f.Rig.Counters.DroppedTotal);
    }

    /// <summary>conntrack_ack_loss_stall: retransmitted data the receiver already acknowledged passes (ignored), never invalid.</summary>
    [Fact]
    public void AckLossStall()
    {
        var f = new TcpFlow();
        Assert.True(f.FromClient(Syn, 0, 0, window: 32792, options: TcpFlow.SynOptions()));
        Assert.True(f.FromServer(Syn | Ack, 0, 1, options: TcpFlow.SynOptions()));
        Assert.True(f.FromClient(Ack, 1, 1));
        uint seq = 1;
        for (int i = 0; i < 46; i++)
        {
            Assert.True(f.FromClient(Psh | Ack, seq, 1, 1460, window: 257));
            seq += 1460;
            Assert.True(f.FromServer(Ack, 1, seq));
        }
        long ignoredBefore = f.Count(Counters.TcpIgnored);
        Assert.True(f.FromClient(Psh | Ack, 1, 1, 1460, window: 257));
        Assert.Equal(ignoredBefore + 1, f.Count(Counters.TcpIgnored));
        Assert.True(f.FromServer(Ack, 1, seq));
        Assert.Equal(0, f.Rig.Counters.DroppedTotal);
    }

    [Fact]
    public void OutOfWindowFinAndDataAreDroppedAndMoveNothing()
    {
        var f = Established();
        Assert.False(f.FromServer(Fin | Ack, 1 + 200000, 1001));
        Assert.Equal(TcpState.Established, f.State);
        Assert.False(f.FromServer(Psh | Ack, 1 + 300000, 1001, 100));
        Assert.False(f.FromClient(Fin | Ack, 1001 + 200000, 1));
        Assert.Equal(TcpState.Established, f.State);
        Assert.False(f.FromServer(Ack, 1, 1001 + 500)); // acknowledges data the client never sent
        Assert.Equal(4, f.Count(Counters.DropTcpOutOfWindow));
        Assert.True(f.FromClient(Fin | Ack, 1001, 1)); // the real close still works
        Assert.Equal(TcpState.FinWait, f.State);
    }

    /// <summary>
    /// The FTP lab's half-closed control connection, as captured on the LAN TAP: the server answers QUIT and closes,
    /// Linux's tail loss probe sends its FIN again 15 ms later, and the client (which never closes) acknowledges both
    /// at once. One side has closed, so the connection is CLOSE_WAIT; the retransmitted FIN is not the second FIN that
    /// LAST_ACK and TIME_WAIT need.
    /// </summary>
    [Fact]
    public void ARetransmittedFinIsNotTheOtherSidesFin()
    {
        var f = Established();
        Assert.True(f.FromServer(Psh | Ack, 1, 1001, 14)); // 221 Goodbye.
        Assert.True(f.FromServer(Fin | Ack, 15, 1001));
        Assert.True(f.FromServer(Fin | Ack, 15, 1001)); // the same FIN again
        Assert.Equal(TcpState.FinWait, f.State);
        Assert.True(f.FromClient(Ack, 1001, 16));
        Assert.Equal(TcpState.CloseWait, f.State);
        Assert.True(f.FromServer(Fin | Ack, 15, 1001)); // and again, after the ACK (lost on its way back)
        Assert.Equal(TcpState.CloseWait, f.State);

        Assert.True(f.FromClient(Fin | Ack, 1001, 16)); // the client closes at last
        Assert.Equal(TcpState.LastAck, f.State);
        Assert.True(f.FromServer(Ack, 16, 1002));
        Assert.Equal(TcpState.TimeWait, f.State);
    }

    [Fact]
    public void ARetransmittedFinFromTheClientKeepsCloseWait()
    {
        var f = Established();
        Assert.True(f.FromClient(Fin | Ack, 1001, 1));
        Assert.True(f.FromClient(Fin | Ack, 1001, 1));
        Assert.Equal(TcpState.FinWait, f.State);
        Assert.True(f.FromServer(Ack, 1, 1002));
        Assert.True(f.FromClient(Fin | Ack, 1001, 1));
        Assert.Equal(TcpState.CloseWait, f.State);
        Assert.True(f.FromServer(Fin | Ack, 1, 1002));
        Assert.Equal(TcpState.LastAck, f.State);
        Assert.True(f.FromClient(Ack, 1002, 2));
        Assert.Equal(TcpState.TimeWait, f.State);
    }

    [Fact]
    public void WindowScaleAppliesOnlyWhenBothSidesOfferIt()
    {
        var f = new TcpFlow();
        f.FromClient(Syn, 1000, 0, options: TcpFlow.SynOptions(7));
        f.FromServer(Syn | Ack, 0, 1001, options: TcpFlow.SynOptions(2));
        f.FromClient(Ack, 1001, 1, window: 1000);
        var tcp = f.Rig.Router.Nat.Tcp;
        Assert.Equal(7, tcp.Scale(f.Connection, ConnectionTable.Original));
        Assert.Equal(2, tcp.Scale(f.Connection, ConnectionTable.Reply));
        // The client advertised 1000 << 7 = 128,000 bytes: the server may send that far.
        Assert.True(f.FromServer(Psh | Ack, 1 + 120000, 1001, 100));

        var g = new TcpFlow();
        g.FromClient(Syn, 1000, 0, options: TcpFlow.SynOptions(7));
        g.FromServer(Syn | Ack, 0, 1001, options: TcpFlow.SynOptions());
        g.FromClient(Ack, 1001, 1, window: 1000);
        Assert.Equal(0, g.Rig.Router.Nat.Tcp.Scale(g.Connection, ConnectionTable.Original));
        Assert.False(g.FromServer(Psh | Ack, 1 + 120000, 1001, 100)); // unscaled: only about 1000 bytes ahead
    }

    [Fact]
    public void ABlindRstWithTtlOneNeverReachesConntrack()
    {
        var f = Established();
        f.TtlFromServer = 1;
        Assert.False(f.FromServer(Rst, 1, 0)); // exact sequence number, but it would die at the router
        Assert.Equal(TcpState.Established, f.State);
        Assert.Equal(1, f.Count(Counters.DropTtlExpired));
    }

    [Fact]
    public void AnRstWithABadChecksumChangesNothing()
    {
        var f = Established();
        Assert.False(f.FromServer(Rst, 1, 0, corruptChecksum: true));
        Assert.Equal(TcpState.Established, f.State);
        Assert.Equal(1, f.Count(Counters.DropTransportChecksum));
        Assert.True(f.FromServer(Rst, 1, 0));
        Assert.Equal(TcpState.Close, f.State);
    }

    [Fact]
    public void ASynWithABadChecksumOpensNothing()
    {
        var rig = new RouterRig();
        byte[] syn = rig.LanTcp(50000, 80, Syn);
        syn[34 + 16] ^= 0x01;
        rig.FromLan(syn);
        Assert.Equal(0, rig.Router.Connections.Count);
        Assert.Equal(0, rig.Router.Nat.Mappings.Count);
        Assert.Equal(1, rig.Counters[Counters.DropTransportChecksum]);
        byte[] udp = rig.LanUdp(40000, 53, payload: new byte[] { 1, 2, 3 });
        udp[34 + 6] ^= 0x10;
        rig.FromLan(udp);
        Assert.Equal(0, rig.Router.Connections.Count);
        Assert.Equal(2, rig.Counters[Counters.DropTransportChecksum]);
        rig.AssertAccounted();
    }

    [Fact]
    public void AConnectionWhoseReplyTupleIsTakenIsRefused()
    {
        var table = new ConnectionTable(8, new ConntrackTimeouts(), 1);
        uint a = 1, b = 2, wan = 3;
        Assert.Equal(CreateVerdict.Created, table.Create(6, a, b, 1000, 80, b, wan, 80, 1000, 0, out int first));
        Assert.True(first >= 0);
        // Another inside host whose flow would answer to the same outside tuple.
        Assert.Equal(CreateVerdict.TupleTaken, table.Create(6, 9, b, 1000, 80, b, wan, 80, 1000, 0, out int refused));
        Assert.Equal(ConnectionTable.NotFound, refused);
        Assert.Equal(1, table.RefusedTupleTaken);
        Assert.Equal(1, table.Count);
    }

    private static TcpFlow Established()
    {
        var f = new TcpFlow();
        Assert.True(f.FromClient(Syn, 1000, 0));
        Assert.True(f.FromServer(Syn | Ack, 0, 1001));
        Assert.True(f.FromClient(Ack, 1001, 1));
        Assert.True(f.Assured);
        return f;
    }
}
