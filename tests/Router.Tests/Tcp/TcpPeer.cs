using System;
using System.Collections.Generic;
using Router.Link;
using Router.Tests.Support;
using Router.Wire;

namespace Router.Tests.Tcp;

/// <summary>One TCP segment the router sent, decoded.</summary>
public sealed record Segment(uint Source, uint Destination, int SourcePort, int DestinationPort, uint Seq, uint Ack, int Flags, int Window, int Mss, byte[] Payload)
{
    public bool Has(int flag) => (Flags & flag) != 0;

    public static Segment Parse(byte[] f)
    {
        if (NetworkOrder.ReadUInt16(f, 12) != EthernetFrame.EtherTypeIpv4 || f[23] != IpProtocol.Tcp) return null;
        int ipHeader = (f[14] & 0x0F) * 4;
        int totalLength = NetworkOrder.ReadUInt16(f, 16);
        int t = 14 + ipHeader;
        int header = (f[t + 12] >> 4) * 4;
        int mss = 0;
        if (header > 20 && f[t + 20] == TcpOptions.Mss) mss = NetworkOrder.ReadUInt16(f, t + 22);
        int payloadLength = totalLength - ipHeader - header;
        return new Segment(NetworkOrder.ReadUInt32(f, 26), NetworkOrder.ReadUInt32(f, 30), NetworkOrder.ReadUInt16(f, t), NetworkOrder.ReadUInt16(f, t + 2),
            NetworkOrder.ReadUInt32(f, t + 4), NetworkOrder.ReadUInt32(f, t + 8), f[t + 13] & 0x3F, NetworkOrder.ReadUInt16(f, t + 14), mss,
            f.AsSpan(t + header, payloadLength).ToArray());
    }
}

/// <summary>
/// A hand-driven TCP client on the LAN (the rig's host 192.168.1.2) talking to the router's own TCP: the test chooses
/// every segment it sends and reads every segment the router sends back.
/// </summary>
public sealed class TcpPeer
{
    private readonly RouterRig _rig;
    public readonly int Port;
    public readonly int ServerPort;
    public uint Seq;
    public uint Ack;

    public TcpPeer(RouterRig rig, int port, int serverPort = 8080, uint isn = 1000)
    {
        _rig = rig;
        Port = port;
        ServerPort = serverPort;
        Seq = isn;
    }

    public byte[] Frame(int flags, uint? seq = null, uint? ack = null, byte[] payload = null, byte[] options = null, int window = 65535, uint source = 0)
    {
        byte[] f = Frames.Tcp(RouterRig.RouterLanMac, RouterRig.HostMac, source == 0 ? RouterRig.Host : source, RouterRig.RouterLan, Port, ServerPort, flags,
            seq ?? Seq, ack ?? Ack, payload, options);
        int t = 34;
        NetworkOrder.WriteUInt16(f, t + 14, window);
        TcpSegment.FillChecksum(f, t, source == 0 ? RouterRig.Host : source, RouterRig.RouterLan, f.Length - t);
        return f;
    }

    public void Send(byte[] frame) => _rig.FromLan(frame);

    /// <summary>SYN (MSS option), SYN-ACK, ACK. Returns the SYN-ACK.</summary>
    public Segment Connect(int mss = 1460)
    {
        Send(Frame(TcpSegment.Syn, options: new byte[] { 2, 4, (byte)(mss >> 8), (byte)mss }));
        Segment synAck = Single();
        Seq++;
        Ack = synAck.Seq + 1;
        Send(Frame(TcpSegment.Ack));
        return synAck;
    }

    /// <summary>Sends data at the current sequence number and advances it.</summary>
    public void SendData(string text) => SendData(System.Text.Encoding.ASCII.GetBytes(text));

    public void SendData(byte[] data)
    {
        Send(Frame(TcpSegment.Ack | TcpSegment.Psh, payload: data));
        Seq += (uint)data.Length;
    }

    /// <summary>Runs the router's TCP timers and output once.</summary>
    public void Service() => _rig.Firmware.Tcp.Service(_rig.Clock.NowMilliseconds);

    /// <summary>Every TCP segment the router sent since the last call.</summary>
    public List<Segment> Sent()
    {
        var list = new List<Segment>();
        foreach (byte[] f in _rig.Lan.Sent)
        {
            Segment s = Segment.Parse(f);
            if (s != null) list.Add(s);
        }
        _rig.Lan.Sent.Clear();
        return list;
    }

    public Segment Single()
    {
        var sent = Sent();
        if (sent.Count != 1) throw new Xunit.Sdk.XunitException($"expected one segment, got {sent.Count}");
        return sent[0];
    }

    public static RouterRig Rig(Action<Capacities> tune = null)
    {
        var capacities = new Capacities { TcpConnections = 4, TcpBacklog = 2, TcpReceiveBytes = 2048, TcpSendBytes = 8192 };
        tune?.Invoke(capacities);
        var rig = new RouterRig(capacities, firmware: true);
        rig.Firmware.Tcp.Listen(8080);
        return rig;
    }
}
