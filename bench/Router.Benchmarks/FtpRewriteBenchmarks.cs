using System;
using System.Text;
using BenchmarkDotNet.Attributes;
using Router.Boards;
using Router.Helpers.Ftp;
using Router.Link;
using Router.Tests.Support;
using Router.Wire;

namespace Router.Benchmarks;

/// <summary>
/// Per-segment cost of the FTP helper on an established control connection of LAN host 192.168.1.2 to a remote server,
/// through DataPlane.Receive of the whole firmware (esp32-eth capacities).
/// "PORT (LAN→WAN)": the client's <c>PORT 192,168,1,2,4,0</c>. Outside port 1024 is taken by another host's flow, so
/// the router maps the data port to another port, rewrites the line to the WAN address and that port (the line grows),
/// records the length change for sequence adjustment, (re)creates the expectation, moves the sequence number by the
/// offset so far and NATs the segment.
/// "reply (WAN→LAN)": the server's <c>200 PORT command successful</c> after one such rewrite: the line is read, and the
/// acknowledgement (which counts the grown bytes) is moved back by the offset.
/// Each invocation is a new segment of the stream (a repeated sequence number would be taken for a retransmission): the
/// frame is restored and its sequence number advanced by the payload length, with an incremental checksum update;
/// <see cref="Restore"/> measures that alone. The client names the same data port every time, so its NAT mapping is found,
/// not made, and its pending expectation is replaced rather than added: the table holds one entry however long the run.
/// </summary>
[MemoryDiagnoser]
public class FtpRewriteBenchmarks
{
    private const int DataPort = 1024;
    private const string PortLine = "PORT 192,168,1,2,4,0\r\n";
    private const string ReplyLine = "200 PORT command successful\r\n";

    [Params("PORT (LAN→WAN)", "reply (WAN→LAN)")]
    public string Segment = "";

    private LoadRig _rig = null!;
    private FtpHelper _ftp = null!;
    private byte[] _template = null!;
    private int _port, _payload;
    private uint _templateSeq, _seq;
    private long _forwardedBefore, _droppedBefore, _receivedBefore, _rewritesBefore, _createdBefore, _linesBefore;

    [GlobalSetup]
    public void Setup()
    {
        _rig = new LoadRig(BoardProfiles.Esp32Ethernet().Capacities, lanHosts: 2, firmware: true);
        _ftp = _rig.Firmware.Ftp;
        // Another LAN host holds outside port 1024, so the client's data port cannot keep its number outside.
        _rig.EstablishTcp(1, DataPort, 443);
        int outside = _rig.EstablishTcp(0, 40000, 21);
        if (_ftp.Sessions.InUseCount != 1) throw new InvalidOperationException("the helper did not attach to the control connection");
        int ack = TcpSegment.Ack | TcpSegment.Psh;
        bool port = Segment == "PORT (LAN→WAN)";
        uint clientSeq = 1001, serverSeq = 5001;
        if (!port)
        {
            // One rewrite first, so the reply's acknowledgement needs adjusting.
            _rig.Receive(NetworkPort.Lan, LanFtp(ack, clientSeq, serverSeq, PortLine));
            clientSeq += (uint)PortLine.Length;
        }
        int offset = port ? 0 : _ftp.Sequences.Offset(0, 0);
        if (!port && offset == 0) throw new InvalidOperationException("the PORT line did not change length");
        _template = port
            ? LanFtp(ack, clientSeq, serverSeq, PortLine)
            : Frames.Tcp(LoadRig.RouterWanMac, LoadRig.GatewayMac, LoadRig.Remote, LoadRig.RouterWan, 21, outside, ack, serverSeq,
                clientSeq + (uint)offset, Encoding.ASCII.GetBytes(ReplyLine));
        _port = port ? NetworkPort.Lan : NetworkPort.Wan;
        _payload = port ? PortLine.Length : ReplyLine.Length;
        _templateSeq = _seq = port ? clientSeq : serverSeq;

        // One segment by hand: forwarded, checksums valid, and the bytes the helper was meant to write.
        CountingInterface egress = port ? _rig.Wan : _rig.Lan;
        egress.KeepLastFrame = true;
        RestoreAndReceive();
        egress.KeepLastFrame = false;
        byte[] f = egress.LastFrame;
        string payload = Encoding.ASCII.GetString(f, 54, egress.LastLength - 54);
        string problem = Frames.ChecksumProblem(f, egress.LastLength);
        if (port)
        {
            int dataOutside = _rig.Router.Nat.Mappings.ExternalPort(_rig.Router.Nat.Mappings.FindByInternal(IpProtocol.Tcp, LoadRig.Host(0), DataPort));
            string expected = $"PORT 203,0,113,2,{dataOutside >> 8},{dataOutside & 255}\r\n";
            // The first rewrite starts the offset, so this segment's own sequence number is not moved yet.
            if (problem != null || payload != expected || expected.Length == PortLine.Length || TcpSegment.SequenceNumber(f, 34) != clientSeq || _ftp.Expectations.PendingCount != 1)
            {
                throw new InvalidOperationException($"setup PORT was not rewritten correctly: '{payload.TrimEnd()}' seq {TcpSegment.SequenceNumber(f, 34)} ({problem})");
            }
        }
        else if (problem != null || payload != ReplyLine || TcpSegment.AcknowledgmentNumber(f, 34) != clientSeq || TcpSegment.SequenceNumber(f, 34) != serverSeq)
        {
            throw new InvalidOperationException($"setup reply was not adjusted correctly: ack {TcpSegment.AcknowledgmentNumber(f, 34)}, expected {clientSeq} ({problem})");
        }
        Counters c = _rig.Counters;
        _forwardedBefore = c[Counters.Forwarded];
        _droppedBefore = c.DroppedTotal;
        _receivedBefore = c[Counters.FramesReceived];
        _rewritesBefore = _ftp.Counters[FtpCounters.Rewrites];
        _createdBefore = _ftp.Counters[FtpCounters.ExpectationsCreated];
        _linesBefore = _ftp.Counters[FtpCounters.CommandsSeen];
    }

    [Benchmark(Baseline = true, Description = "restore frame + next seq only")]
    public void Restore()
    {
        byte[] b = _rig.Buffer;
        Buffer.BlockCopy(_template, 0, b, 0, _template.Length);
        NetworkOrder.WriteUInt32(b, 38, _seq);
        Checksum.Update32(b, 34 + TcpSegment.ChecksumField, _templateSeq, _seq);
        _seq += (uint)_payload;
    }

    [Benchmark(Description = "restore + Receive")]
    public void RestoreAndReceive()
    {
        Restore();
        _rig.Router.Receive(_port, _rig.Buffer, _template.Length);
    }

    /// <summary>
    /// Fails the run unless every segment measured was forwarded and handled by the helper as intended: each PORT
    /// rewritten with its expectation replaced (never evicted), each reply read as one line.
    /// </summary>
    [GlobalCleanup]
    public void EverySegmentWasHandled()
    {
        Counters c = _rig.Counters;
        long received = c[Counters.FramesReceived] - _receivedBefore;
        long forwarded = c[Counters.Forwarded] - _forwardedBefore;
        long rewrites = _ftp.Counters[FtpCounters.Rewrites] - _rewritesBefore;
        long created = _ftp.Counters[FtpCounters.ExpectationsCreated] - _createdBefore;
        long lines = _ftp.Counters[FtpCounters.CommandsSeen] - _linesBefore;
        bool port = _port == NetworkPort.Lan;
        bool helped = port
            ? rewrites == received && created == received && _ftp.Expectations.PendingCount == 1 && _ftp.Counters[FtpCounters.ExpectationsEvicted] == 0
            : rewrites == 0 && lines == received;
        if (forwarded != received || c.DroppedTotal != _droppedBefore || !helped)
        {
            throw new InvalidOperationException($"{received} segments: {forwarded} forwarded, {rewrites} rewrites, {created} expectations, {lines} lines, " +
                $"{_ftp.Expectations.PendingCount} pending");
        }
    }

    private byte[] LanFtp(int flags, uint seq, uint ack, string text) =>
        Frames.Tcp(LoadRig.RouterLanMac, LoadRig.HostMac(0), LoadRig.Host(0), LoadRig.Remote, 40000, 21, flags, seq, ack, Encoding.ASCII.GetBytes(text));
}
