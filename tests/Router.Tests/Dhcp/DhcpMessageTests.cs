using Router.Dhcp;
using Router.Tests.Support;
using Xunit;

namespace Router.Tests.Dhcp;

public class DhcpMessageTests
{
    [Fact]
    public void TheWriterProducesAMessageTheReaderAccepts()
    {
        byte[] b = new byte[400];
        DhcpMessage.WriteHeader(b, 10, DhcpMessage.BootRequest, 0xCAFEBABE, DhcpMessage.FlagBroadcast, 0, 0, 0, Frames.Mac(7), 0);
        var w = new DhcpOptionWriter().Start(b, 10, 390);
        w.WriteByte(DhcpOption.MessageType, DhcpMessageType.Discover);
        w.WriteAddresses(DhcpOption.DnsServers, 0, Frames.Ip("1.2.3.4"));
        int length = w.Finish();
        Assert.Equal(DhcpMessage.MinSendLength, length);
        Assert.Equal(new byte[] { 53, 1, 1, 6, 4, 1, 2, 3, 4, 255, 0 }, b[250..261]);

        var read = new DhcpMessage().Wrap(b, 10, length);
        Assert.Equal(Verdict.Accept, read.Validate(DhcpMessage.BootRequest));
        Assert.Equal(DhcpMessageType.Discover, read.MessageType);
        Assert.True(read.BroadcastFlag);
        Assert.Equal(0xCAFEBABEu, read.TransactionId);
        Assert.Equal(Frames.Ip("1.2.3.4"), read.ReadAddressOption(DhcpOption.DnsServers, 0));
        Assert.Equal(0u, read.ReadAddressOption(DhcpOption.DnsServers, 1));
        Assert.Equal(-1, read.FindOption(DhcpOption.Router));
    }

    [Fact]
    public void TheWriterRefusesOptionsThatDoNotFitAndKeepsRoomForTheEnd()
    {
        byte[] b = new byte[260];
        var w = new DhcpOptionWriter().Start(b, 0, 250);                  // 10 bytes of options
        w.WriteUInt32(DhcpOption.LeaseTime, 1);                   // 6 bytes
        Assert.False(w.Overflowed);
        w.WriteUInt32(DhcpOption.RenewalTime, 2);                 // 6 more: would leave no room for the end option
        Assert.True(w.Overflowed);
        Assert.Equal(-1, w.Finish());
        Assert.Equal(0, b[246]);                                  // nothing written past the first option
    }

    [Fact]
    public void EveryCounterHasAName()
    {
        for (int i = 0; i < DhcpCounters.Count; i++) Assert.False(string.IsNullOrEmpty(DhcpCounters.Name(i)));
        Assert.Equal("drop_truncated", DhcpCounters.Name(DhcpCounters.DropTruncated));
        Assert.Equal("leases_expired", DhcpCounters.Name(DhcpCounters.LeasesExpired));
    }
}
