using Router.Ip;
using Router.Nat;
using Router.Tests.Support;
using Router.Wire;
using Xunit;

namespace Router.Tests.Ftp;

public class SequenceAdjusterTests
{
    private static readonly uint A = Frames.Ip("10.0.0.5"), B = Frames.Ip("198.51.100.7");

    private static ParsedPacket Parse(byte[] f)
    {
        var p = new ParsedPacket();
        Assert.Equal(Verdict.Accept, p.ParseIp(f, 14, f.Length - 14));
        Assert.Equal(Verdict.Accept, p.ParseTransport());
        return p;
    }

    private static byte[] Segment(uint seq, uint ack, int payload = 0, byte[] options = null) =>
        Frames.Tcp(Frames.Mac(1), Frames.Mac(2), A, B, 40000, 21, TcpSegment.Ack, seq, ack, new byte[payload], options);

    [Fact]
    public void LaterSegmentsShiftRetransmissionsKeepTheOldOffset()
    {
        var s = new SequenceAdjuster(2);
        s.Record(1, 0, 5000, +3);
        byte[] retransmission = Segment(5000, 0, 20);
        s.Adjust(Parse(retransmission), 1, 0);
        Assert.Equal(5000u, TcpSegment.SequenceNumber(retransmission, 34));

        byte[] later = Segment(5020, 0, 10);
        s.Adjust(Parse(later), 1, 0);
        Assert.Equal(5023u, TcpSegment.SequenceNumber(later, 34));
        Assert.Null(Frames.ChecksumProblem(later, later.Length));

        s.Record(1, 0, 5000, +3); // the retransmission rewritten again: no second shift
        Assert.Equal(3, s.Offset(1, 0));
        s.Record(1, 0, 5040, -5);
        byte[] between = Segment(5030, 0, 10);
        s.Adjust(Parse(between), 1, 0);
        Assert.Equal(5033u, TcpSegment.SequenceNumber(between, 34));
        byte[] after = Segment(5050, 0, 10);
        s.Adjust(Parse(after), 1, 0);
        Assert.Equal(5048u, TcpSegment.SequenceNumber(after, 34));
    }

    [Fact]
    public void AcknowledgementsAndSackBlocksOfTheOtherDirectionAreMovedBack()
    {
        var s = new SequenceAdjuster(1);
        s.Record(0, 1, 9000, +4); // the reply direction grew by 4 at 9000
        // NOP (misaligns the SACK edges by one byte), SACK with two blocks, then padding.
        byte[] options = new byte[24];
        options[0] = 1; options[1] = 5; options[2] = 18;
        NetworkOrder.WriteUInt32(options, 3, 9010);
        NetworkOrder.WriteUInt32(options, 7, 9020);
        NetworkOrder.WriteUInt32(options, 11, 8900);
        NetworkOrder.WriteUInt32(options, 15, 8950);
        byte[] f = Segment(100, 9104, 0, options);
        s.Adjust(Parse(f), 0, 0);
        Assert.Equal(100u, TcpSegment.SequenceNumber(f, 34));
        Assert.Equal(9100u, TcpSegment.AcknowledgmentNumber(f, 34));
        Assert.Equal(9006u, NetworkOrder.ReadUInt32(f, 54 + 3));
        Assert.Equal(9016u, NetworkOrder.ReadUInt32(f, 54 + 7));
        Assert.Equal(8900u, NetworkOrder.ReadUInt32(f, 54 + 11)); // before the change: unmoved
        Assert.Equal(8950u, NetworkOrder.ReadUInt32(f, 54 + 15));
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
    }

    [Fact]
    public void SequenceNumbersWrapAround()
    {
        var s = new SequenceAdjuster(1);
        s.Record(0, 0, 0xFFFFFFF0, +7);
        byte[] f = Segment(0x00000010, 0, 5);
        s.Adjust(Parse(f), 0, 0);
        Assert.Equal(0x17u, TcpSegment.SequenceNumber(f, 34));
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
    }

    [Fact]
    public void ResetForgetsTheOffsets()
    {
        var s = new SequenceAdjuster(1);
        s.Record(0, 0, 10, 3);
        s.Reset(0);
        byte[] f = Segment(50, 0, 1);
        s.Adjust(Parse(f), 0, 0);
        Assert.Equal(50u, TcpSegment.SequenceNumber(f, 34));
    }
}
