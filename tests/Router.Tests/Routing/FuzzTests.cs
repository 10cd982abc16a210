using Router.Hal.Desktop;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using Router.Tests.Ip;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Routing;

/// <summary>
/// Feeds the data plane 100,000+ random and mutated frames on both ports (seeded, so a failure replays):
/// nothing may throw, and the counters must account for every frame.
/// </summary>
public class FuzzTests
{
    private const int Frames_ = 120_000;

    [Fact]
    public void RandomAndMutatedFramesNeverThrowAndAreAllAccounted()
    {
        var random = new Random(0x5EED);
        var rig = new RouterRig(capacities: new Capacities { Connections = 256, NatMappings = 256, ArpPending = 4, Fragments = 8 });
        byte[][] lanCorpus = LanCorpus(rig), wanCorpus = WanCorpus(rig);
        byte[] buffer = new byte[1514];
        long setupFrames = rig.Counters[Counters.FramesReceived];
        var watch = Stopwatch.StartNew();
        var kinds = new int[10];

        for (int n = 0; n < Frames_; n++)
        {
            bool fromWan = random.Next(2) == 0;
            byte[][] corpus = fromWan ? wanCorpus : lanCorpus;
            int length = Mutate(random, corpus[random.Next(corpus.Length)], buffer, kinds);
            try
            {
                rig.Router.Receive(fromWan ? global::Router.Link.NetworkPort.Wan : global::Router.Link.NetworkPort.Lan, buffer, length);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"frame {n} ({(fromWan ? "WAN" : "LAN")}, {length} bytes {Convert.ToHexString(buffer, 0, length)}) threw: {e}");
            }
            if (n % 500 == 0)
            {
                rig.Clock.Advance(random.Next(3000)); // lets ARP retries, timeouts and conntrack expiry happen too
                rig.Router.Poll(1);
                rig.Lan.Sent.Clear();
                rig.Wan.Sent.Clear();
                rig.AssertAccounted();
            }
        }
        rig.AssertAccounted();
        Assert.Equal(setupFrames + Frames_, rig.Counters[Counters.FramesReceived]);
        // The mix reached deep: forwarded, consumed and many distinct drop reasons.
        Assert.True(rig.Counters[Counters.Forwarded] > 1000, $"forwarded {rig.Counters[Counters.Forwarded]}");
        Assert.True(rig.Counters[Counters.Consumed] > 100);
        int reasons = 0;
        for (int c = Counters.FirstDrop; c <= Counters.LastDrop; c++) if (rig.Counters[c] > 0) reasons++;
        Assert.True(reasons >= 15, $"only {reasons} drop reasons seen");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    /// <summary>Valid frames of every kind a LAN host sends, some to flows the WAN corpus answers.</summary>
    private static byte[][] LanCorpus(RouterRig rig)
    {
        var list = new List<byte[]>
        {
            rig.LanUdp(40000, 53),
            rig.LanUdp(40001, 123, payload: new byte[200]),
            rig.LanTcp(50000, 80, TcpSegment.Syn, options: new byte[] { 2, 4, 0x05, 0xB4, 1, 3, 3, 7 }),
            rig.LanTcp(50000, 80, TcpSegment.Ack, 1001, 5001, new byte[] { 1, 2, 3 }),
            rig.LanTcp(50000, 80, TcpSegment.Fin | TcpSegment.Ack, 1004, 5001),
            rig.LanTcp(50000, 80, TcpSegment.Rst),
            Frames.Icmp(RouterLanMac, HostMac, Host, Remote, IcmpMessage.TypeEchoRequest, 0, 77, 1),
            Frames.Icmp(RouterLanMac, HostMac, Host, RouterLan, IcmpMessage.TypeEchoRequest, 0, 78, 1),
            Frames.Icmp(RouterLanMac, Host2Mac, Host2, RouterWan, IcmpMessage.TypeEchoRequest, 0, 79, 1),
            Frames.Udp(RouterLanMac, HostMac, Host, Remote, 40002, 9, ttl: 1),
            Frames.Udp(RouterLanMac, Host2Mac, Host2, RouterWan, 40003, 8080),                      // hairpin attempt
            Frames.Udp(Frames.Broadcast, HostMac, Host, Ipv4Address.Broadcast, 68, 67),             // for a local service
            Frames.Arp(Frames.Broadcast, HostMac, ArpPacket.OperationRequest, HostMac, Host, new byte[6], RouterLan),
            Frames.Arp(RouterLanMac, Host2Mac, ArpPacket.OperationReply, Host2Mac, Host2, RouterLanMac, RouterLan),
            IpTestFrames.WithOptions(rig.LanUdp(40004, 53), new byte[] { 0x94, 4, 0, 0 }),
            IpTestFrames.Fragment(IpTestFrames.Truncate(rig.LanUdp(40005, 53, payload: new byte[40]), 20 + 24), Ipv4Packet.FlagMoreFragments, 0),
            IpTestFrames.Fragment(rig.LanUdp(40005, 53, payload: new byte[8]), 0, 24),
            Frames.IcmpError(RouterLanMac, HostMac, Host, Remote, IcmpMessage.TypeDestinationUnreachable, 3,
                Frames.Udp(RouterWanMac, GatewayMac, Remote, Host, 53, 40000), 28),
        };
        return list.ToArray();
    }

    /// <summary>Valid frames from the outside: replies to the LAN corpus's flows, errors about them, unsolicited traffic.</summary>
    private static byte[][] WanCorpus(RouterRig rig)
    {
        // Open the flows so the replies below match real connections at the start.
        rig.FromLan(rig.LanUdp(40000, 53));
        rig.FromLan(rig.LanTcp(50000, 80, TcpSegment.Syn));
        rig.FromLan(Frames.Icmp(RouterLanMac, HostMac, Host, Remote, IcmpMessage.TypeEchoRequest, 0, 77, 1));
        byte[] sentUdp = rig.Wan.Sent[0];
        rig.Wan.Sent.Clear();
        var list = new List<byte[]>
        {
            rig.WanUdp(53, 40000),
            rig.WanUdp(53, 40000, payload: new byte[900]),
            rig.WanTcp(80, 50000, TcpSegment.Syn | TcpSegment.Ack, 5000, 1001),
            rig.WanTcp(80, 50000, TcpSegment.Ack | TcpSegment.Psh, 5001, 1004, new byte[64]),
            rig.WanTcp(80, 50000, TcpSegment.Fin | TcpSegment.Ack, 5065, 1004),
            rig.WanTcp(4444, 22, TcpSegment.Syn),
            Frames.Icmp(RouterWanMac, GatewayMac, Remote, RouterWan, IcmpMessage.TypeEchoReply, 0, 77, 1),
            Frames.Icmp(RouterWanMac, GatewayMac, Remote, RouterWan, IcmpMessage.TypeEchoRequest, 0, 5, 1),
            Frames.IcmpError(RouterWanMac, GatewayMac, Frames.Ip("198.51.100.1"), RouterWan, IcmpMessage.TypeDestinationUnreachable, 3, sentUdp, 28),
            Frames.IcmpError(RouterWanMac, GatewayMac, Frames.Ip("198.51.100.1"), RouterWan, IcmpMessage.TypeTimeExceeded, 0, sentUdp, 20 + 12),
            Frames.Arp(Frames.Broadcast, GatewayMac, ArpPacket.OperationRequest, GatewayMac, Gateway, new byte[6], RouterWan),
            Frames.Arp(RouterWanMac, GatewayMac, ArpPacket.OperationReply, GatewayMac, Gateway, RouterWanMac, RouterWan),
            IpTestFrames.Fragment(IpTestFrames.Truncate(rig.WanUdp(53, 40000, payload: new byte[40]), 20 + 24), Ipv4Packet.FlagMoreFragments, 0),
            IpTestFrames.Fragment(rig.WanUdp(53, 40000, payload: new byte[8]), 0, 24),
            IpTestFrames.WithOptions(rig.WanUdp(53, 40000), new byte[] { 1, 1, 1, 0 }),
        };
        return list.ToArray();
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="buffer"/> with one random mutation; returns the frame length.</summary>
    private static int Mutate(Random r, byte[] source, byte[] buffer, int[] kinds)
    {
        int length = source.Length;
        source.CopyTo(buffer, 0);
        int kind = r.Next(10);
        kinds[kind]++;
        bool fixIpChecksum = r.Next(2) == 0;
        switch (kind)
        {
            case 0: // unchanged
                fixIpChecksum = false;
                break;
            case 1: // truncated anywhere, including inside the Ethernet header
                length = r.Next(length + 1);
                break;
            case 2: // a few flipped bytes
                for (int i = 1 + r.Next(6); i > 0; i--) buffer[r.Next(length)] ^= (byte)(1 + r.Next(255));
                break;
            case 3: // bogus IHL (with or without room for the options)
                if (length > 14) buffer[14] = (byte)((buffer[14] & 0xF0) | r.Next(16));
                break;
            case 4: // bogus total length
                if (length > 17) NetworkOrder.WriteUInt16(buffer, 16, r.Next(3) == 0 ? r.Next(0x10000) : length - 14 + r.Next(-30, 30));
                break;
            case 5: // fragment fields: any flags and offset
                if (length > 21) NetworkOrder.WriteUInt16(buffer, 20, r.Next(0x10000));
                break;
            case 6: // transport header garbage: ports, lengths, TCP data offset, ICMP type, quoted header
                for (int i = 0; i < 1 + r.Next(8); i++)
                {
                    int at = 34 + r.Next(40);
                    if (at < length) buffer[at] = (byte)r.Next(256);
                }
                break;
            case 7: // random tail: garbage quotes in ICMP errors, garbage ARP bodies, longer frames
                {
                    int start = 14 + r.Next(Math.Max(1, length - 14));
                    int end = Math.Min(buffer.Length, start + r.Next(120));
                    for (int i = start; i < end; i++) buffer[i] = (byte)r.Next(256);
                    length = Math.Max(length, end);
                }
                break;
            case 8: // entirely random frame addressed to the router (or broadcast)
                length = r.Next(1515);
                r.NextBytes(buffer.AsSpan(0, length));
                if (length >= 14)
                {
                    (r.Next(4) == 0 ? Frames.Broadcast : source).AsSpan(0, 6).CopyTo(buffer);
                    NetworkOrder.WriteUInt16(buffer, 12, r.Next(2) == 0 ? EthernetFrame.EtherTypeIpv4 : EthernetFrame.EtherTypeArp);
                }
                break;
            default: // IP options of random content and length
                if (length > 34 && length + 40 <= buffer.Length)
                {
                    int words = 1 + r.Next(10);
                    Array.Copy(buffer, 34, buffer, 34 + words * 4, length - 34);
                    r.NextBytes(buffer.AsSpan(34, words * 4));
                    buffer[14] = (byte)(0x40 | (5 + words));
                    NetworkOrder.WriteUInt16(buffer, 16, NetworkOrder.ReadUInt16(buffer, 16) + words * 4);
                    length += words * 4;
                }
                break;
        }
        if (fixIpChecksum && length >= 34)
        {
            int ihl = (buffer[14] & 0x0F) * 4;
            if (ihl >= 20 && 14 + ihl <= length) Ipv4Packet.FillChecksum(buffer, 14);
        }
        return length;
    }
}
