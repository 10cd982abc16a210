using System;
using Router.Wire;
using Xunit;

namespace Router.Tests.Wire;

/// <summary>Each header's Check (smoltcp's new_checked): one place validates the lengths, and names what is wrong.</summary>
public class CheckedViewTests
{
    // RFC 1071-style example header: 192.168.0.1 -> 192.168.0.199, UDP, total length 115, checksum b861.
    private static byte[] Ipv4Header() => Convert.FromHexString("450000730000400040 11b861c0a80001c0a800c7".Replace(" ", ""));

    [Fact]
    public void Ipv4CheckNamesEachFault()
    {
        byte[] b = Ipv4Header();
        Assert.Equal(HeaderCheck.Valid, Ipv4Packet.Check(b, 0, 115));
        Assert.Equal(HeaderCheck.Truncated, Ipv4Packet.Check(b, 0, 19));
        Assert.Equal(HeaderCheck.BadTotalLength, Ipv4Packet.Check(b, 0, 114)); // total length 115 is past the bytes present

        byte[] v6 = Ipv4Header();
        v6[0] = 0x65;
        Assert.Equal(HeaderCheck.BadVersion, Ipv4Packet.Check(v6, 0, 115));

        byte[] shortIhl = Ipv4Header();
        shortIhl[0] = 0x44; // 16-byte header
        Assert.Equal(HeaderCheck.BadHeaderLength, Ipv4Packet.Check(shortIhl, 0, 115));
        byte[] longIhl = Ipv4Header();
        longIhl[0] = 0x4F; // 60-byte header in 40 bytes
        Assert.Equal(HeaderCheck.BadHeaderLength, Ipv4Packet.Check(longIhl, 0, 40));

        byte[] totalBelowHeader = Ipv4Header();
        Ipv4Packet.SetTotalLength(totalBelowHeader, 0, 19);
        Assert.Equal(HeaderCheck.BadTotalLength, Ipv4Packet.Check(totalBelowHeader, 0, 115));

        byte[] corrupt = Ipv4Header();
        corrupt[8] = 63; // TTL changed without the checksum
        Assert.Equal(HeaderCheck.BadChecksum, Ipv4Packet.Check(corrupt, 0, 115));
    }

    [Fact]
    public void QuotedIpv4HeaderIsCheckedWithoutItsTotalLengthOrChecksum()
    {
        byte[] b = Ipv4Header();
        b[8] = 1; // a quoted header need not verify
        Assert.Equal(HeaderCheck.Valid, Ipv4Packet.CheckHeader(b, 0, 20)); // its 115 bytes are not all quoted
        Assert.Equal(HeaderCheck.Truncated, Ipv4Packet.CheckHeader(b, 0, 19));
        b[0] = 0x46; // 24-byte header in 20 bytes
        Assert.Equal(HeaderCheck.BadHeaderLength, Ipv4Packet.CheckHeader(b, 0, 20));
        b[0] = 0x55;
        Assert.Equal(HeaderCheck.BadVersion, Ipv4Packet.CheckHeader(b, 0, 20));
    }

    [Fact]
    public void TcpCheckRequiresTheStatedHeaderLength()
    {
        byte[] b = new byte[40];
        b[12] = 0x50; // 20 bytes
        Assert.Equal(HeaderCheck.Valid, TcpSegment.Check(b, 0, 20));
        Assert.Equal(HeaderCheck.Truncated, TcpSegment.Check(b, 0, 19));
        b[12] = 0x80; // 32 bytes
        Assert.Equal(HeaderCheck.BadHeaderLength, TcpSegment.Check(b, 0, 31));
        Assert.Equal(HeaderCheck.Valid, TcpSegment.Check(b, 0, 32));
        b[12] = 0x40; // 16 bytes: below the minimum
        Assert.Equal(HeaderCheck.BadHeaderLength, TcpSegment.Check(b, 0, 40));
    }

    [Fact]
    public void UdpCheckComparesTheLengthFieldOnlyForAWholeDatagram()
    {
        byte[] b = new byte[16];
        UdpDatagram.SetLength(b, 0, 12);
        Assert.Equal(HeaderCheck.Valid, UdpDatagram.Check(b, 0, 12, whole: true));
        Assert.Equal(HeaderCheck.BadTotalLength, UdpDatagram.Check(b, 0, 11, whole: true));
        Assert.Equal(HeaderCheck.Valid, UdpDatagram.Check(b, 0, 11, whole: false)); // a first fragment: the rest follows
        Assert.Equal(HeaderCheck.Truncated, UdpDatagram.Check(b, 0, 7, whole: false));
        UdpDatagram.SetLength(b, 0, 7);
        Assert.Equal(HeaderCheck.BadTotalLength, UdpDatagram.Check(b, 0, 16, whole: false));
    }

    [Fact]
    public void IcmpEthernetAndArpChecks()
    {
        Assert.Equal(HeaderCheck.Valid, IcmpMessage.Check(new byte[8], 0, 8));
        Assert.Equal(HeaderCheck.Truncated, IcmpMessage.Check(new byte[8], 0, 7));
        Assert.Equal(HeaderCheck.Valid, EthernetFrame.Check(new byte[14], 0, 14));
        Assert.Equal(HeaderCheck.Truncated, EthernetFrame.Check(new byte[14], 0, 13));

        byte[] arp = new byte[ArpPacket.Length];
        ArpPacket.Write(arp, 0, ArpPacket.OperationRequest, new byte[6], 1, new byte[6], 0, 2);
        Assert.Equal(HeaderCheck.Valid, ArpPacket.Check(arp, 0, ArpPacket.Length));
        Assert.Equal(HeaderCheck.Truncated, ArpPacket.Check(arp, 0, ArpPacket.Length - 1));
        NetworkOrder.WriteUInt16(arp, 6, 3); // RARP request
        Assert.Equal(HeaderCheck.Unsupported, ArpPacket.Check(arp, 0, ArpPacket.Length));
        NetworkOrder.WriteUInt16(arp, 6, ArpPacket.OperationReply);
        NetworkOrder.WriteUInt16(arp, 2, 0x86DD); // protocol IPv6
        Assert.Equal(HeaderCheck.Unsupported, ArpPacket.Check(arp, 0, ArpPacket.Length));
    }

    [Fact]
    public void AcceptNeverCollidesWithACounterOrNotFound()
    {
        int accept = Verdict.Accept;
        Assert.NotEqual(-1, accept);
        for (int counter = 0; counter < Counters.Count; counter++) Assert.NotEqual(counter, accept);
    }
}
