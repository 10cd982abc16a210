using System;
using System.Collections.Generic;
using Router.Dhcp;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Tests.Support;
using Router.Wire;

namespace Router.Tests.Dhcp;

/// <summary>Builds DHCP messages byte by byte (independently of the firmware's writer) and reads the router's replies.</summary>
public static class DhcpPackets
{
    public static (int Code, byte[] Value) Type(int type) => (DhcpOption.MessageType, new[] { (byte)type });
    public static (int Code, byte[] Value) Addr(int code, uint a) => (code, new[] { (byte)(a >> 24), (byte)(a >> 16), (byte)(a >> 8), (byte)a });
    public static (int Code, byte[] Value) Raw(int code, params byte[] value) => (code, value);

    /// <summary>A BOOTP message with the given options and an end option, padded to 300 bytes.</summary>
    public static byte[] Message(int op, byte[] mac, uint xid, uint ciaddr = 0, uint yiaddr = 0, int flags = 0, bool end = true,
        params (int Code, byte[] Value)[] options)
    {
        var b = new List<byte>(new byte[240]);
        b[0] = (byte)op; b[1] = 1; b[2] = 6;
        Put(b, 4, xid);
        b[10] = (byte)(flags >> 8); b[11] = (byte)flags;
        Put(b, 12, ciaddr);
        Put(b, 16, yiaddr);
        for (int i = 0; i < 6; i++) b[28 + i] = mac[i];
        b[236] = 99; b[237] = 130; b[238] = 83; b[239] = 99;
        foreach (var (code, value) in options)
        {
            b.Add((byte)code);
            b.Add((byte)value.Length);
            b.AddRange(value);
        }
        if (end) b.Add(255);
        while (b.Count < 300) b.Add(0); // pad options
        return b.ToArray();
    }

    public static byte[] Request(int type, byte[] mac, uint xid, uint ciaddr = 0, int flags = 0, params (int Code, byte[] Value)[] options)
    {
        var all = new List<(int, byte[])> { Type(type) };
        all.AddRange(options);
        return Message(DhcpMessage.BootRequest, mac, xid, ciaddr, 0, flags, true, all.ToArray());
    }

    private static void Put(List<byte> b, int at, uint v)
    {
        b[at] = (byte)(v >> 24); b[at + 1] = (byte)(v >> 16); b[at + 2] = (byte)(v >> 8); b[at + 3] = (byte)v;
    }

    /// <summary>The DHCP message inside a frame the router sent (Ethernet + 20-byte IP + UDP).</summary>
    public static DhcpMessage Parse(byte[] frame)
    {
        int udpLength = UdpDatagram.Length(frame, 34);
        var m = new DhcpMessage().Wrap(frame, 42, udpLength - 8);
        return m;
    }

    public static byte[] OptionValue(DhcpMessage m, int code)
    {
        int at = m.FindOption(code);
        return at < 0 ? null : m.Buffer.AsSpan(at, m.OptionLength(at)).ToArray();
    }
}

/// <summary>The whole firmware (data plane, DHCP server and client) between two capture interfaces, on a test clock.</summary>
public sealed class DhcpRig
{
    public readonly CaptureInterface Lan = new(RouterRig.RouterLanMac);
    public readonly CaptureInterface Wan = new(RouterRig.RouterWanMac);
    public readonly TestClock Clock;
    public readonly RouterFirmware Firmware;

    public DhcpRig(Capacities capacities = null, RouterSettings settings = null, TestClock clock = null)
    {
        Clock = clock ?? new TestClock();
        Firmware = new RouterFirmware(capacities ?? new Capacities(), settings ?? new RouterSettings(), Lan, Wan, Clock, new TestRandom());
    }

    public DhcpServer Server => Firmware.DhcpServer;
    public DhcpClient Client => Firmware.DhcpClient;
    public RouterSettings Settings => Firmware.Settings;
    public DataPlane Router => Firmware.DataPlane;

    public void FromLan(byte[] frame) => Router.Receive(global::Router.Link.NetworkPort.Lan, Copy(frame), frame.Length);
    public void FromWan(byte[] frame) => Router.Receive(global::Router.Link.NetworkPort.Wan, Copy(frame), frame.Length);

    /// <summary>A client's broadcast from 0.0.0.0 (or unicast to the router from <paramref name="source"/>).</summary>
    public void ClientSends(byte[] mac, byte[] dhcp, uint source = 0, uint destination = Ipv4Address.Broadcast)
    {
        byte[] dstMac = destination == Ipv4Address.Broadcast ? Frames.Broadcast : RouterRig.RouterLanMac;
        FromLan(Frames.Udp(dstMac, mac, source, destination, 68, 67, dhcp));
    }

    /// <summary>Runs one DISCOVER/OFFER/REQUEST/ACK exchange for <paramref name="mac"/>; returns the bound address.</summary>
    public uint Lease(byte[] mac, uint xid)
    {
        ClientSends(mac, DhcpPackets.Request(DhcpMessageType.Discover, mac, xid));
        var offer = DhcpPackets.Parse(Lan.TakeOne());
        uint address = offer.YourAddress;
        ClientSends(mac, DhcpPackets.Request(DhcpMessageType.Request, mac, xid, 0, 0,
            DhcpPackets.Addr(DhcpOption.RequestedAddress, address), DhcpPackets.Addr(DhcpOption.ServerIdentifier, RouterRig.RouterLan)));
        var ack = DhcpPackets.Parse(Lan.TakeOne());
        Xunit.Assert.Equal(DhcpMessageType.Ack, ack.MessageType);
        return ack.YourAddress;
    }

    private static byte[] Copy(byte[] f)
    {
        byte[] b = new byte[1514];
        f.CopyTo(b, 0);
        return b;
    }
}
