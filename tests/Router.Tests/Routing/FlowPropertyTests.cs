using System;
using System.Collections.Generic;
using FsCheck;
using FsCheck.Fluent;
using Router.Tests.Support;
using Router.Wire;
using Xunit;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Routing;

/// <summary>
/// Random outbound flows (TCP, UDP, ICMP echo) from random inside hosts and ports to random remote endpoints, with
/// traffic both ways: every frame the router emits has valid checksums, and every reply reaches the inside endpoint
/// that opened the flow, from the remote endpoint it talked to.
/// </summary>
public class FlowPropertyTests
{
    public sealed record Flow(int Protocol, int HostOctet, int InsidePort, uint RemoteAddress, int RemotePort, byte[] Payload, int Exchanges);

    private static readonly uint[] RemoteNetworks = { Frames.Ip("198.51.100.0"), Frames.Ip("8.8.0.0"), Frames.Ip("151.101.0.0"), Frames.Ip("45.0.0.0") };

    private static Gen<Flow> FlowGen =>
        from protocol in Gen.Elements(IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Icmp)
        from host in Gen.Choose(2, 9)
        from insidePort in Gen.Choose(1, 65535)
        from network in Gen.Elements(RemoteNetworks)
        from low in Gen.Choose(1, 254)
        from remotePort in Gen.Choose(1, 65535)
        from payloadLength in Gen.Choose(0, 64)
        from payload in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), payloadLength)
        from exchanges in Gen.Choose(1, 3)
        select new Flow(protocol, host, insidePort, network | (uint)(low << 8) | (uint)(low ^ 0x5A), protocol == IpProtocol.Icmp ? 0 : remotePort, payload, exchanges);

    [Fact]
    public void EveryEmittedFrameIsValidAndEveryReplyMapsBackToItsFlow()
    {
        var flows = Gen.ArrayOf(FlowGen).Select(a => a.Length > 40 ? a[..40] : a).ToArbitrary();
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(150).WithEndSize(40), Prop.ForAll(flows, (Flow[] f) => RunFlows(f)));
    }

    private static byte[] HostMacOf(int octet) => Frames.Mac(0x40 + octet);

    private static bool RunFlows(Flow[] flows)
    {
        var rig = new RouterRig();
        for (int h = 2; h <= 9; h++)
        {
            rig.FromLan(Frames.Arp(RouterLanMac, HostMacOf(h), ArpPacket.OperationRequest, HostMacOf(h), Ipv4Address.Make(192, 168, 1, h), new byte[6], RouterLan));
        }
        rig.Lan.Sent.Clear();

        foreach (Flow flow in flows)
        {
            uint host = Ipv4Address.Make(192, 168, 1, flow.HostOctet);
            byte[] mac = HostMacOf(flow.HostOctet);

            // Opening packet from the inside.
            byte[] open = flow.Protocol switch
            {
                IpProtocol.Tcp => Frames.Tcp(RouterLanMac, mac, host, flow.RemoteAddress, flow.InsidePort, flow.RemotePort, TcpSegment.Syn, 100),
                IpProtocol.Udp => Frames.Udp(RouterLanMac, mac, host, flow.RemoteAddress, flow.InsidePort, flow.RemotePort, flow.Payload),
                _ => Frames.Icmp(RouterLanMac, mac, host, flow.RemoteAddress, IcmpMessage.TypeEchoRequest, 0, flow.InsidePort, 1, flow.Payload),
            };
            byte[] outbound = SendOut(rig, open, flow);
            int mapped = flow.Protocol == IpProtocol.Icmp ? IcmpMessage.Identifier(outbound, 34) : UdpDatagram.SourcePort(outbound, 34);

            // The remote answers; then data both ways.
            byte[] answer = flow.Protocol switch
            {
                IpProtocol.Tcp => Frames.Tcp(RouterWanMac, GatewayMac, flow.RemoteAddress, RouterWan, flow.RemotePort, mapped, TcpSegment.Syn | TcpSegment.Ack, 900, 101),
                IpProtocol.Udp => Frames.Udp(RouterWanMac, GatewayMac, flow.RemoteAddress, RouterWan, flow.RemotePort, mapped, flow.Payload),
                _ => Frames.Icmp(RouterWanMac, GatewayMac, flow.RemoteAddress, RouterWan, IcmpMessage.TypeEchoReply, 0, mapped, 1, flow.Payload),
            };
            SendBack(rig, answer, flow, host, mac);

            for (int i = 0; i < flow.Exchanges; i++)
            {
                if (flow.Protocol == IpProtocol.Tcp)
                {
                    SendOut(rig, Frames.Tcp(RouterLanMac, mac, host, flow.RemoteAddress, flow.InsidePort, flow.RemotePort, TcpSegment.Ack | TcpSegment.Psh, 101, 901, flow.Payload), flow);
                    SendBack(rig, Frames.Tcp(RouterWanMac, GatewayMac, flow.RemoteAddress, RouterWan, flow.RemotePort, mapped, TcpSegment.Ack | TcpSegment.Psh, 901, 101, flow.Payload), flow, host, mac);
                }
                else
                {
                    SendOut(rig, open, flow);
                    SendBack(rig, answer, flow, host, mac);
                }
            }
        }
        rig.AssertAccounted();
        Assert.Equal(0, rig.Counters.DroppedTotal);
        return true;
    }

    private static byte[] SendOut(RouterRig rig, byte[] frame, Flow flow)
    {
        rig.FromLan(frame);
        byte[] f = rig.Wan.TakeOne();
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
        Assert.Equal(RouterWan, Ipv4Packet.Source(f, 14));
        Assert.Equal(flow.RemoteAddress, Ipv4Packet.Destination(f, 14));
        Assert.Equal(GatewayMac, f[0..6]);
        if (flow.Protocol != IpProtocol.Icmp) Assert.Equal(flow.RemotePort, UdpDatagram.DestinationPort(f, 34));
        Assert.Equal(frame[(14 + Ipv4Packet.HeaderLength(f, 14) + (flow.Protocol == IpProtocol.Tcp ? 20 : 8))..], f[(14 + Ipv4Packet.HeaderLength(f, 14) + (flow.Protocol == IpProtocol.Tcp ? 20 : 8))..]);
        return f;
    }

    private static void SendBack(RouterRig rig, byte[] frame, Flow flow, uint host, byte[] mac)
    {
        rig.FromWan(frame);
        byte[] f = rig.Lan.TakeOne();
        Assert.Null(Frames.ChecksumProblem(f, f.Length));
        Assert.Equal(mac, f[0..6]);
        Assert.Equal(host, Ipv4Packet.Destination(f, 14));
        Assert.Equal(flow.RemoteAddress, Ipv4Packet.Source(f, 14));
        if (flow.Protocol == IpProtocol.Icmp)
        {
            Assert.Equal(flow.InsidePort, IcmpMessage.Identifier(f, 34));
        }
        else
        {
            Assert.Equal(flow.InsidePort, UdpDatagram.DestinationPort(f, 34));
            Assert.Equal(flow.RemotePort, UdpDatagram.SourcePort(f, 34));
        }
    }
}
