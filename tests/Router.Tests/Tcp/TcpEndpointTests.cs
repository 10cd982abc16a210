using System;
using System.Linq;
using System.Text;
using Router.Hal.Desktop;
using Router.Emulator.Simulation;
using Router.Tcp;
using Router.Tests.Support;
using Router.Wire;
using Xunit;

namespace Router.Tests.Tcp;

/// <summary>The router's own TCP state machine against hand-built segments from a LAN host.</summary>
public sealed class TcpEndpointTests
{
    private const int Syn = TcpSegment.Syn, Ack = TcpSegment.Ack, Fin = TcpSegment.Fin, Rst = TcpSegment.Rst, Psh = TcpSegment.Psh;

    private static TcpConnection Only(RouterRig rig)
    {
        var tcp = rig.Firmware.Tcp;
        TcpConnection found = null;
        for (int i = 0; i < tcp.Capacity; i++)
        {
            if (tcp.Connection(i).State == TcpConnection.Free) continue;
            Assert.Null(found);
            found = tcp.Connection(i);
        }
        Assert.NotNull(found);
        return found;
    }

    private static byte[] Bytes(int n, int seed = 0) => Enumerable.Range(0, n).Select(i => (byte)(i * 7 + seed)).ToArray();

    private static string ReadAll(TcpConnection c)
    {
        byte[] buffer = new byte[c.Available];
        c.Read(buffer, 0, buffer.Length);
        return Encoding.ASCII.GetString(buffer);
    }

    [Fact]
    public void HandshakeAnswersSynWithSynAckCarryingOurMssAndCompletesOnAck()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40000);
        peer.Send(peer.Frame(Syn, options: new byte[] { 2, 4, 0x03, 0xE8 }));
        Segment synAck = peer.Single();
        Assert.Equal(Syn | Ack, synAck.Flags);
        Assert.Equal(1001u, synAck.Ack);
        Assert.Equal(1460, synAck.Mss);
        Assert.Equal(2048, synAck.Window);
        Assert.Equal(RouterRig.RouterLan, synAck.Source);
        Assert.Equal(8080, synAck.SourcePort);
        Assert.Equal(TcpConnection.SynReceived, Only(rig).State);
        Assert.Equal(1, rig.Firmware.Tcp.HalfOpen);

        // No ACK yet: the SYN-ACK goes again after the initial RTO of 1 s (RFC 6298 2.1).
        rig.Clock.Advance(999);
        peer.Service();
        Assert.Empty(peer.Sent());
        rig.Clock.Advance(1);
        peer.Service();
        Segment again = peer.Single();
        Assert.Equal((synAck.Seq, synAck.Flags, synAck.Mss), (again.Seq, again.Flags, again.Mss));

        peer.Seq = 1001;
        peer.Ack = synAck.Seq + 1;
        peer.Send(peer.Frame(Ack));
        Assert.Equal(TcpConnection.Established, Only(rig).State);
        Assert.Equal(1, rig.Counters[Counters.TcpAccepted]);
        Assert.Equal(0, rig.Firmware.Tcp.HalfOpen);
        Assert.Empty(peer.Sent());
        rig.AssertAccounted();
        Assert.Equal(0, rig.Counters.DroppedTotal);
    }

    [Fact]
    public void DataFlowsBothWaysInSegmentsNoLargerThanThePeersMss()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40001);
        peer.Connect(mss: 1000);
        peer.SendData("GET / HTTP/1.1\r\n");
        peer.Service();
        Segment ack = peer.Single();
        Assert.Equal(peer.Seq, ack.Ack);
        Assert.Equal(2048 - 16, ack.Window);

        TcpConnection c = Only(rig);
        Assert.Equal("GET / HTTP/1.1\r\n", ReadAll(c));
        byte[] reply = Bytes(2500);
        Assert.Equal(2500, c.Write(reply, 0, reply.Length));
        peer.Service();
        var data = peer.Sent();
        Assert.Equal(new[] { 1000, 1000, 500 }, data.Select(s => s.Payload.Length));
        Assert.All(data, s => Assert.Equal(peer.Seq, s.Ack));
        Assert.Equal(reply, data.SelectMany(s => s.Payload).ToArray());
        Assert.Equal(peer.Ack, data[0].Seq);

        peer.Ack += 2500;
        peer.Send(peer.Frame(Ack));
        peer.Service();
        Assert.Empty(peer.Sent());
        Assert.Equal(8192, c.WriteSpace);
        rig.AssertAccounted();
    }

    [Fact]
    public void LostSegmentIsRetransmittedAfterTheRtoWhichBacksOffAndFollowsMeasuredRtt()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40002);
        peer.Connect();
        TcpConnection c = Only(rig);
        c.Write(Bytes(100), 0, 100);
        peer.Service();
        Segment first = peer.Single();

        // The handshake measured an RTT of ~0, so RTO is the 200 ms floor. No ACK: nothing before it, then the same
        // bytes again; each further try waits twice as long (RFC 6298 5.5).
        rig.Clock.Advance(199);
        peer.Service();
        Assert.Empty(peer.Sent());
        rig.Clock.Advance(1);
        peer.Service();
        Segment again = peer.Single();
        Assert.Equal(first.Seq, again.Seq);
        Assert.Equal(first.Payload, again.Payload);
        rig.Clock.Advance(399);
        peer.Service();
        Assert.Empty(peer.Sent());
        rig.Clock.Advance(1);
        peer.Service();
        Assert.Single(peer.Sent());
        Assert.Equal(2, rig.Counters[Counters.TcpRetransmits]);

        // Acknowledged: the timer stops (Karn: no sample from a retransmitted segment, RTO stays backed off at 800 ms).
        // A fresh segment answered after 10 ms is a sample: RTO = max(200 ms, SRTT + 4 RTTVAR) again.
        peer.Ack += 100;
        peer.Send(peer.Frame(Ack));
        c.Write(Bytes(50), 0, 50);
        peer.Service();
        Assert.Single(peer.Sent());
        rig.Clock.Advance(10);
        peer.Ack += 50;
        peer.Send(peer.Frame(Ack));
        c.Write(Bytes(60), 0, 60);
        peer.Service();
        Assert.Single(peer.Sent());
        rig.Clock.Advance(199);
        peer.Service();
        Assert.Empty(peer.Sent());
        rig.Clock.Advance(1);
        peer.Service();
        Assert.Equal(60, peer.Single().Payload.Length);
    }

    [Fact]
    public void TooManyRetransmissionsResetTheConnection()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40003);
        peer.Connect();
        TcpConnection c = Only(rig);
        rig.Firmware.Tcp.IdleTimeoutMs = int.MaxValue;
        c.Write(Bytes(10), 0, 10);
        for (int i = 0; i < 5000 && c.State != TcpConnection.Free; i++)
        {
            peer.Service();
            rig.Clock.Advance(100);
        }
        Assert.Equal(TcpConnection.Free, c.State);
        Assert.Equal(TcpEndpoint.MaxRetries, rig.Counters[Counters.TcpRetransmits]);
        Assert.Contains(peer.Sent(), s => s.Has(Rst));
    }

    [Fact]
    public void TransferSurvivesRandomLossBothWaysThroughTheFaultInjector()
    {
        var capture = new CaptureInterface(RouterRig.RouterLanMac);
        var faults = new FaultInjector(capture, new FaultInjectorOptions { Seed = 7, DropProbability = 0.2, Direction = FaultDirection.Both });
        var clock = new TestClock();
        var firmware = new RouterFirmware(new Capacities { TcpReceiveBytes = 2048, TcpSendBytes = 4096 }, new RouterSettings(), faults,
            new CaptureInterface(RouterRig.RouterWanMac), clock, new TestRandom());
        firmware.Tcp.Listen(8080);
        byte[] upload = Bytes(20000, 1), download = Bytes(30000, 2);
        var client = new ScriptedClient(RouterRig.Host, RouterRig.HostMac, RouterRig.RouterLan, RouterRig.RouterLanMac, 41000, 8080, mss: 1000);
        var got = new System.Collections.Generic.List<byte>();
        int uploaded = 0, downloaded = 0;
        TcpConnection server = null;
        for (int step = 0; step < 20000 && !(client.Received.Count == download.Length && got.Count == upload.Length); step++)
        {
            foreach (byte[] frame in client.Output(clock.NowMilliseconds)) capture.Enqueue(frame);
            firmware.RunOnce();
            foreach (byte[] frame in capture.Sent) client.Input(frame);
            capture.Sent.Clear();
            if (client.Connected && uploaded < upload.Length) uploaded += client.Write(upload, uploaded, upload.Length - uploaded);
            server ??= Enumerable.Range(0, firmware.Tcp.Capacity).Select(firmware.Tcp.Connection).FirstOrDefault(x => x.State == TcpConnection.Established);
            if (server != null)
            {
                byte[] buffer = new byte[server.Available];
                server.Read(buffer, 0, buffer.Length);
                got.AddRange(buffer);
                if (downloaded < download.Length) downloaded += server.Write(download, downloaded, download.Length - downloaded);
            }
            clock.Advance(5);
        }
        var counters = firmware.DataPlane.Counters;
        string state = $"client failed={client.Failed} pending={client.Pending} got={got.Count} received={client.Received.Count} server={server?.State} " +
            string.Join(" ", Enumerable.Range(0, Counters.Count).Where(i => counters[i] != 0).Select(i => Counters.Name(i) + "=" + counters[i]));
        Assert.True(got.Count == upload.Length && client.Received.Count == download.Length, state);
        Assert.Equal(upload, got.ToArray());
        Assert.Equal(download, client.Received.ToArray());
        Assert.True(faults.DroppedFrames > 10, $"only {faults.DroppedFrames} frames dropped");
        Assert.True(firmware.DataPlane.Counters[Counters.TcpRetransmits] > 0);
    }

    [Fact]
    public void PeerClosesFirstThenTheRouter()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40004);
        peer.Connect();
        TcpConnection c = Only(rig);
        peer.SendData("bye");
        peer.Send(peer.Frame(Fin | Ack));
        peer.Seq++;
        peer.Service();
        Assert.Equal(peer.Seq, peer.Single().Ack);
        Assert.Equal(TcpConnection.CloseWait, c.State);
        Assert.True(c.PeerClosed);
        Assert.Equal("bye", ReadAll(c));

        c.Write(Bytes(10), 0, 10);
        c.Close();
        peer.Service();
        var sent = peer.Sent();
        Assert.Equal(10, sent.Sum(s => s.Payload.Length));
        Segment fin = sent.Last();
        Assert.True(fin.Has(Fin));
        Assert.Equal(TcpConnection.LastAck, c.State);
        peer.Ack = fin.Seq + (uint)fin.Payload.Length + 1;
        peer.Send(peer.Frame(Ack));
        Assert.Equal(TcpConnection.Free, c.State);
        rig.AssertAccounted();
        Assert.Equal(0, rig.Counters.DroppedTotal);
    }

    [Fact]
    public void RouterClosesFirstThenThePeerAndTimeWaitIsBounded()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40005);
        peer.Connect();
        TcpConnection c = Only(rig);
        c.Close();
        peer.Service();
        Segment fin = peer.Single();
        Assert.Equal(Fin | Ack, fin.Flags);
        Assert.Equal(TcpConnection.FinWait1, c.State);
        Assert.Equal(0, c.WriteSpace);

        peer.Ack = fin.Seq + 1;
        peer.Send(peer.Frame(Ack));
        Assert.Equal(TcpConnection.FinWait2, c.State);
        peer.Send(peer.Frame(Fin | Ack));
        peer.Seq++;
        peer.Service();
        Assert.Equal(peer.Seq, peer.Single().Ack);
        Assert.Equal(TcpConnection.TimeWait, c.State);

        rig.Clock.Advance(rig.Firmware.Tcp.TimeWaitMs - 1);
        peer.Service();
        Assert.Equal(TcpConnection.TimeWait, c.State);
        rig.Clock.Advance(1);
        peer.Service();
        Assert.Equal(TcpConnection.Free, c.State);
    }

    [Fact]
    public void SimultaneousCloseGoesThroughClosing()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40006);
        peer.Connect();
        TcpConnection c = Only(rig);
        c.Close();
        peer.Service();
        Segment fin = peer.Single();
        peer.Send(peer.Frame(Fin | Ack)); // crosses our FIN: does not acknowledge it yet
        peer.Seq++;
        Assert.Equal(TcpConnection.Closing, c.State);
        peer.Ack = fin.Seq + 1;
        peer.Send(peer.Frame(Ack));
        Assert.Equal(TcpConnection.TimeWait, c.State);
    }

    [Fact]
    public void ResetInWindowOnlyWhenExactlyAtRcvNxtElseChallengeAck()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40007);
        peer.Connect();
        TcpConnection c = Only(rig);
        peer.Send(peer.Frame(Rst, seq: peer.Seq + 100));
        peer.Service();
        Segment challenge = peer.Single();
        Assert.Equal(Ack, challenge.Flags);
        Assert.Equal(peer.Seq, challenge.Ack);
        Assert.Equal(TcpConnection.Established, c.State);
        Assert.Equal(1, rig.Counters[Counters.DropLocalTcpOutOfWindow]);

        int generation = c.Generation;
        peer.Send(peer.Frame(Rst));
        Assert.Equal(TcpConnection.Free, c.State);
        Assert.Equal(generation, c.Generation);
        rig.AssertAccounted();
    }

    [Fact]
    public void ClosedPortAndStraySegmentsGetResets()
    {
        var rig = TcpPeer.Rig();
        var closed = new TcpPeer(rig, 40008, serverPort: 81);
        closed.Send(closed.Frame(Syn));
        Segment refused = closed.Single();
        Assert.Equal(Rst | Ack, refused.Flags);
        Assert.Equal(1001u, refused.Ack);

        var stray = new TcpPeer(rig, 40009);
        stray.Send(stray.Frame(Ack, ack: 123456));
        Segment reset = stray.Single();
        Assert.Equal(Rst, reset.Flags);
        Assert.Equal(123456u, reset.Seq);

        stray.Send(stray.Frame(Rst));
        Assert.Empty(stray.Sent()); // never answer a reset
        Assert.Equal(3, rig.Counters[Counters.DropUnsolicited]);
        Assert.Equal(2, rig.Counters[Counters.TcpResetsSent]);
        rig.AssertAccounted();
    }

    [Fact]
    public void FullWindowDropsTheExcessAndAnnouncesTheWindowWhenTheApplicationReads()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40010);
        peer.Connect();
        TcpConnection c = Only(rig);
        peer.SendData(Bytes(1024));
        peer.SendData(Bytes(1024, 3));
        peer.Service();
        Segment full = peer.Sent().Last();
        Assert.Equal(0, full.Window);
        Assert.Equal(peer.Seq, full.Ack);

        peer.Send(peer.Frame(Ack | Psh, payload: Bytes(100)));
        Assert.Equal(1, rig.Counters[Counters.DropLocalTcpOutOfWindow]);
        peer.Service();
        Segment stillFull = peer.Single();
        Assert.Equal(0, stillFull.Window);
        Assert.Equal(peer.Seq, stillFull.Ack);

        byte[] buffer = new byte[2048];
        Assert.Equal(2048, c.Read(buffer, 0, buffer.Length));
        peer.Service();
        Assert.Equal(2048, peer.Single().Window); // window update
        peer.SendData(Bytes(100));
        Assert.Equal(100, c.Available);
        rig.AssertAccounted();
    }

    [Fact]
    public void PeerWindowLimitsWhatWeSendAndAClosedWindowIsProbed()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40011);
        peer.Send(peer.Frame(Syn, window: 1500));
        Segment synAck = peer.Single();
        peer.Seq++;
        peer.Ack = synAck.Seq + 1;
        peer.Send(peer.Frame(Ack, window: 1500));
        TcpConnection c = Only(rig);
        c.Write(Bytes(4000), 0, 4000);
        peer.Service();
        Assert.Equal(1500, peer.Sent().Sum(s => s.Payload.Length));

        peer.Ack += 1500;
        peer.Send(peer.Frame(Ack, window: 0));
        peer.Service();
        Assert.Empty(peer.Sent());
        rig.Clock.Advance(1000);
        peer.Service();
        Segment probe = peer.Single();
        Assert.Single(probe.Payload);
        Assert.Equal(peer.Ack, probe.Seq);
    }

    [Fact]
    public void OutOfOrderSegmentIsDroppedAndReAcked()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40012);
        peer.Connect();
        TcpConnection c = Only(rig);
        uint first = peer.Seq;
        peer.Send(peer.Frame(Ack | Psh, seq: first + 5, payload: Encoding.ASCII.GetBytes("world")));
        Assert.Equal(1, rig.Counters[Counters.DropTcpOutOfOrder]);
        peer.Service();
        Assert.Equal(first, peer.Single().Ack);
        Assert.Equal(0, c.Available);

        peer.Send(peer.Frame(Ack | Psh, seq: first, payload: Encoding.ASCII.GetBytes("hello")));
        peer.Send(peer.Frame(Ack | Psh, seq: first + 5, payload: Encoding.ASCII.GetBytes("world")));
        peer.Send(peer.Frame(Ack | Psh, seq: first + 7, payload: Encoding.ASCII.GetBytes("rldxy"))); // overlaps: only "xy" is new
        peer.Service();
        Assert.Equal(first + 12, peer.Sent().Last().Ack);
        Assert.Equal("helloworldxy", ReadAll(c));
        rig.AssertAccounted();
    }

    [Fact]
    public void SynFloodIntoAFullBacklogLeavesTheEstablishedSessionWorking()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40013);
        peer.Connect();
        TcpConnection session = Only(rig);

        for (int i = 0; i < 500; i++)
        {
            var flood = new TcpPeer(rig, 10000 + i, isn: (uint)i * 7919);
            flood.Send(flood.Frame(Syn, source: RouterRig.Host2));
            Assert.True(rig.Firmware.Tcp.HalfOpen <= 2);
        }
        Assert.Equal(2, rig.Firmware.Tcp.HalfOpen);
        Assert.Equal(498, rig.Counters[Counters.TcpHalfOpenEvicted]);
        Assert.Equal(0, rig.Counters[Counters.TcpEvicted]);
        rig.Lan.Sent.Clear();

        Assert.Equal(TcpConnection.Established, session.State);
        peer.SendData("still here");
        Assert.Equal("still here", ReadAll(session));
        session.Write(Bytes(10), 0, 10);
        peer.Service();
        Assert.Equal(10, peer.Sent().Sum(s => s.Payload.Length));

        // Half-open connections nobody completes are dropped at the handshake deadline.
        rig.Clock.Advance(rig.Firmware.Tcp.HandshakeTimeoutMs);
        peer.Service();
        Assert.Equal(0, rig.Firmware.Tcp.HalfOpen);
        rig.AssertAccounted();
    }

    [Fact]
    public void WithEverySlotEstablishedANewConnectionEvictsTheOneWithLeastProgress()
    {
        var rig = TcpPeer.Rig();
        var peers = Enumerable.Range(0, 4).Select(i => new TcpPeer(rig, 42000 + i)).ToArray();
        foreach (var p in peers)
        {
            p.Connect();
            rig.Clock.Advance(10);
        }
        var tcp = rig.Firmware.Tcp;
        // The oldest has answered requests; the second oldest has not: it is the one to go.
        for (int i = 0; i < 4; i++) if (tcp.Connection(i).RemotePort == 42000) tcp.Connection(i).Progress = 3;
        var newcomer = new TcpPeer(rig, 42100);
        newcomer.Send(newcomer.Frame(Syn));
        var sent = newcomer.Sent();
        Assert.Equal(2, sent.Count);
        Assert.Equal((42001, Rst | Ack), (sent[0].DestinationPort, sent[0].Flags)); // the victim is told
        Assert.Equal((42100, Syn | Ack), (sent[1].DestinationPort, sent[1].Flags));
        Assert.Equal(1, rig.Counters[Counters.TcpEvicted]);
        var ports = Enumerable.Range(0, 4).Select(tcp.Connection).Select(c => c.RemotePort).OrderBy(p => p).ToArray();
        Assert.Equal(new[] { 42000, 42002, 42003, 42100 }, ports);
    }

    [Fact]
    public void BadSegmentsAreCountedDrops()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40014);
        byte[] corrupt = peer.Frame(Syn);
        corrupt[corrupt.Length - 1] ^= 0xFF; // inside the TCP header: checksum no longer matches
        peer.Send(corrupt);
        peer.Send(peer.Frame(Syn | Fin));
        peer.Send(peer.Frame(Syn | Rst));
        peer.Send(peer.Frame(Psh));
        Assert.Empty(peer.Sent());
        Assert.Equal(1, rig.Counters[Counters.DropTcpChecksum]);
        Assert.Equal(3, rig.Counters[Counters.DropTcpMalformed]);
        rig.AssertAccounted();
    }

    [Fact]
    public void TheWanSideNeverReachesTheRoutersTcp()
    {
        var rig = TcpPeer.Rig();
        rig.FromWan(rig.WanTcp(50000, 8080, Syn));
        Assert.Empty(rig.Wan.Sent);
        Assert.Empty(rig.Lan.Sent);
        Assert.Equal(0, rig.Firmware.Tcp.HalfOpen);
        Assert.Equal(1, rig.Counters.DroppedTotal);
        rig.AssertAccounted();
    }

    /// <summary>RAM per connection slot in nanoCLR bytes (docs/tcp.md): object 12 × (1 + fields), arrays 12 × ceil((20 + N × size) / 12), 12 for its reference.</summary>
    [Theory]
    [InlineData("esp32-eth", 2628)]
    [InlineData("stm32f7-disco", 6732)]
    [InlineData("desktop", 25164)]
    public void RamPerConnectionSlotInNanoClrBytes(string board, int documented)
    {
        var capacities = Router.Boards.BoardProfiles.ByName(board).Capacities;
        int fields = typeof(TcpConnection).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic).Length;
        static int Array(int n) => 12 * ((20 + n + 11) / 12);
        int slot = 12 * (1 + fields) + Array(6) + Array(capacities.TcpReceiveBytes) + Array(capacities.TcpSendBytes) + 12;
        Assert.Equal(documented, slot);
    }

    [Fact]
    public void SteadyStateExchangeAllocatesNothing()
    {
        var rig = TcpPeer.Rig();
        var peer = new TcpPeer(rig, 40015);
        peer.Connect();
        TcpConnection c = Only(rig);
        var dataPlane = rig.Firmware.DataPlane;
        byte[] request = new byte[100];
        byte[] reply = Bytes(1000);
        byte[] frame = new byte[1514];
        var frames = new byte[200][];
        for (int i = 0; i < frames.Length; i++) frames[i] = peer.Frame(Ack | Psh, seq: peer.Seq + (uint)(i * 100), ack: peer.Ack + (uint)(i * 1000), payload: request);
        void Round(int i)
        {
            frames[i].CopyTo(frame, 0);
            dataPlane.Receive(Router.Link.NetworkPort.Lan, frame, frames[i].Length);
            c.Read(request, 0, request.Length);
            c.Write(reply, 0, reply.Length);
            rig.Firmware.Tcp.Service(rig.Clock.NowMilliseconds);
        }
        for (int i = 0; i < 100; i++) Round(i);
        rig.Lan.Sent.Clear();
        rig.Lan.Sent.Capacity = 1000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 100; i < 200; i++) Round(i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The capture interface copies each sent frame; everything else must be zero.
        long captured = rig.Lan.Sent.Sum(f => 24L + ((f.Length + 7) & ~7));
        Assert.Equal(100, rig.Lan.Sent.Count);
        Assert.True(allocated <= captured, $"{allocated} bytes allocated, {captured} of them by the capture");
    }
}
