using System;
using System.Collections.Generic;
using System.Text;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Helpers.Ftp;
using Router.Link;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Ftp;

public class FtpAllocationTests
{
    /// <summary>Takes frames and forgets them without copying, so only the router's own allocations are measured.</summary>
    private sealed class DiscardInterface : TestInterface
    {
        public DiscardInterface(byte[] mac) : base(mac) { }
        public override ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length) { length = 0; return ReceiveResult.NoFrame; }
        public override bool Send(byte[] buffer, int offset, int length) => true;
    }

    [Fact]
    public void HelperPathAllocatesNothingPerPacket()
    {
        var settings = FtpTestSetups.TenLan();
        uint client = FtpTestSetups.TenClient, server = Remote;
        var clock = new TestClock();
        var firmware = new RouterFirmware(new Capacities(), settings, new DiscardInterface(RouterLanMac), new DiscardInterface(RouterWanMac), clock, new TestRandom());
        DataPlane router = firmware.DataPlane;
        byte[] clientMac = Frames.Mac(0x40);
        Receive(router, NetworkPort.Wan, Frames.Arp(RouterWanMac, GatewayMac, ArpPacket.OperationRequest, GatewayMac, settings.WanGateway, new byte[6], settings.WanAddress));
        Receive(router, NetworkPort.Lan, Frames.Arp(RouterLanMac, clientMac, ArpPacket.OperationRequest, clientMac, client, new byte[6], settings.LanAddress));

        byte[] FromClient(int flags, uint seq, uint ack, string text = "", byte[] options = null) =>
            Frames.Tcp(RouterLanMac, clientMac, client, server, 40000, 21, flags, seq, ack, Encoding.ASCII.GetBytes(text), options);
        byte[] FromServer(int flags, uint seq, uint ack, string text = "", byte[] options = null) =>
            Frames.Tcp(RouterWanMac, GatewayMac, server, settings.WanAddress, 21, 40000, flags, seq, ack, Encoding.ASCII.GetBytes(text), options);

        uint c = 1000, s = 5000;
        Receive(router, NetworkPort.Lan, FromClient(TcpSegment.Syn, c, 0));
        Receive(router, NetworkPort.Wan, FromServer(TcpSegment.Syn | TcpSegment.Ack, s, c + 1));
        Receive(router, NetworkPort.Lan, FromClient(TcpSegment.Ack, c + 1, s + 1));
        c++; s++;
        const string Greeting = "220 ready\r\n"; // the helper follows only a connection that behaves as FTP
        Receive(router, NetworkPort.Wan, FromServer(TcpSegment.Ack | TcpSegment.Psh, s, c, Greeting));
        s += (uint)Greeting.Length;

        // Each round: a PORT the router rewrites (3 bytes longer), the server's reply acknowledging it (with a SACK
        // block to adjust), a split PORT held back and joined, and the client's acknowledgement of the reply.
        const int Rounds = 400;
        var frames = new List<(int Port, byte[] Frame)>();
        int shift = 0;
        for (int i = 0; i < Rounds; i++)
        {
            int port = 2000 + i;
            string line = $"PORT 10,0,0,5,{port >> 8},{port & 255}\r\n";
            frames.Add((NetworkPort.Lan, FromClient(TcpSegment.Ack | TcpSegment.Psh, c, s, line)));
            c += (uint)line.Length;
            shift += 3;
            byte[] sack = new byte[12];
            sack[0] = 1; sack[1] = 1; sack[2] = 5; sack[3] = 10;
            NetworkOrder.WriteUInt32(sack, 4, c + (uint)shift - 10);
            NetworkOrder.WriteUInt32(sack, 8, c + (uint)shift);
            string reply = "200 PORT command successful\r\n";
            frames.Add((NetworkPort.Wan, FromServer(TcpSegment.Ack | TcpSegment.Psh, s, c + (uint)shift, reply, sack)));
            s += (uint)reply.Length;

            string split = $"PORT 10,0,0,5,{(port + 1000) >> 8},{(port + 1000) & 255}\r\n";
            frames.Add((NetworkPort.Lan, FromClient(TcpSegment.Ack | TcpSegment.Psh, c, s, split[..9])));
            frames.Add((NetworkPort.Lan, FromClient(TcpSegment.Ack | TcpSegment.Psh, c + 9, s, split[9..])));
            c += (uint)split.Length;
            shift += 3;
            frames.Add((NetworkPort.Lan, FromClient(TcpSegment.Ack, c, s)));
        }

        byte[] buffer = new byte[1514];
        void Run(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                var (port, f) = frames[i];
                Buffer.BlockCopy(f, 0, buffer, 0, f.Length);
                router.Receive(port, buffer, f.Length);
            }
        }

        int warmUp = 50;
        Run(0, warmUp);
        long forwardedBefore = router.Counters[Counters.Forwarded];
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(warmUp, frames.Count);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(frames.Count - warmUp, router.Counters[Counters.Forwarded] - forwardedBefore);
        Assert.Equal(2 * Rounds, firmware.Ftp.Counters[FtpCounters.Rewrites]);
        Assert.Equal(Rounds, firmware.Ftp.Counters[FtpCounters.SplitLinesJoined]);
        Assert.Equal(2 * Rounds, firmware.Ftp.Counters[FtpCounters.ExpectationsCreated]);
    }

    private static void Receive(DataPlane router, int port, byte[] frame)
    {
        byte[] b = new byte[1514];
        frame.CopyTo(b, 0);
        router.Receive(port, b, frame.Length);
    }
}
