using Router.Hal.Desktop;
using System;
using System.Collections.Generic;
using Router.Helpers.Ftp;
using Router.Link;
using Router.Tests.Support;
using Router.Wire;
using static Router.Tests.Support.RouterRig;

namespace Router.Tests.Ftp;

/// <summary>
/// A router built by <see cref="RouterFirmware"/> (so the FTP helper is registered as on a board) between in-memory
/// LAN hosts and WAN hosts that speak real TCP segments through it. Delivery is synchronous: <see cref="Pump"/> hands
/// every frame the router sent to the endpoint it is addressed to until the network is quiet.
/// </summary>
public sealed class FtpNet
{
    public readonly CaptureInterface Lan = new(RouterLanMac);
    public readonly CaptureInterface Wan = new(RouterWanMac);
    public readonly TestClock Clock = new();
    public readonly RouterFirmware Firmware;
    public readonly List<TcpEndpoint> Endpoints = new();
    /// <summary>Every frame the router sent, in order, with the side it left on.</summary>
    public readonly List<(bool ToLan, byte[] Frame)> Trace = new();
    /// <summary>Frames addressed to nobody listening.</summary>
    public readonly List<byte[]> Undelivered = new();
    /// <summary>When set, a frame the router sends is dropped if this returns true (a lossy link).</summary>
    public Func<bool, byte[], bool> DropFromRouter;

    private readonly Dictionary<uint, byte[]> _lanMacs = new();
    private readonly List<(uint Address, int Port, bool OnLan, Action<TcpEndpoint> Accepted)> _listeners = new();

    public FtpNet(RouterSettings settings = null, Capacities capacities = null, Action<RouterFirmware> configure = null)
    {
        Firmware = new RouterFirmware(capacities ?? new Capacities(), settings ?? new RouterSettings(), Lan, Wan, Clock, new TestRandom());
        configure?.Invoke(Firmware);
        Router.Receive(NetworkPort.Wan, Frames.Arp(RouterWanMac, GatewayMac, ArpPacket.OperationRequest, GatewayMac, Router.Settings.WanGateway, new byte[6], Router.Settings.WanAddress), 42);
        Wan.Sent.Clear();
    }

    public DataPlane Router => Firmware.DataPlane;
    public FtpHelper Ftp => Firmware.Ftp;
    public FtpCounters FtpCounters => Firmware.Ftp.Counters;
    public uint NowSeconds => (uint)(Clock.NowMilliseconds / 1000);

    /// <summary>Puts a host on the LAN and lets the router learn its MAC, as its own ARP request would.</summary>
    public void AddLanHost(uint address)
    {
        byte[] mac = Frames.Mac(0x40 + _lanMacs.Count);
        _lanMacs[address] = mac;
        Router.Receive(NetworkPort.Lan, Pad(Frames.Arp(RouterLanMac, mac, ArpPacket.OperationRequest, mac, address, new byte[6], Router.Settings.LanAddress)), 42);
        Lan.Sent.Clear();
    }

    public void Listen(uint address, int port, bool onLan, Action<TcpEndpoint> accepted = null) => _listeners.Add((address, port, onLan, accepted));

    /// <summary>Opens a TCP connection (SYN, SYN-ACK, ACK through the router) and returns the client end.</summary>
    public TcpEndpoint Connect(uint local, int localPort, uint remote, int remotePort, bool onLan, uint iss = 1000)
    {
        var e = new TcpEndpoint(this, local, localPort, remote, remotePort, onLan, iss);
        Endpoints.Add(e);
        e.Open();
        Pump();
        return e;
    }

    /// <summary>Sends a frame from a host into the router.</summary>
    public void Transmit(bool fromLan, byte[] frame)
    {
        Router.Receive(fromLan ? NetworkPort.Lan : NetworkPort.Wan, Pad(frame), frame.Length);
    }

    public byte[] MacOf(uint lanAddress) => _lanMacs[lanAddress];

    /// <summary>Delivers what the router sent until nothing moves.</summary>
    public void Pump()
    {
        for (int rounds = 0; rounds < 10000; rounds++)
        {
            bool toLan = Lan.Sent.Count > 0;
            var queue = toLan ? Lan.Sent : Wan.Sent;
            if (queue.Count == 0) return;
            byte[] f = queue[0];
            queue.RemoveAt(0);
            Trace.Add((toLan, f));
            if (DropFromRouter != null && DropFromRouter(toLan, f)) continue;
            Deliver(toLan, f);
        }
        throw new InvalidOperationException("network did not settle");
    }

    private void Deliver(bool onLan, byte[] f)
    {
        if (NetworkOrder.ReadUInt16(f, 12) == EthernetFrame.EtherTypeArp)
        {
            AnswerArp(onLan, f, 14);
            return;
        }
        if (NetworkOrder.ReadUInt16(f, 12) != EthernetFrame.EtherTypeIpv4) return;
        if (Ipv4Packet.Protocol(f, 14) != IpProtocol.Tcp) { Undelivered.Add(f); return; }
        int tcp = Ipv4Packet.PayloadOffset(f, 14);
        uint source = Ipv4Packet.Source(f, 14), destination = Ipv4Packet.Destination(f, 14);
        int sourcePort = TcpSegment.SourcePort(f, tcp), destinationPort = TcpSegment.DestinationPort(f, tcp);
        bool opening = (TcpSegment.Flags(f, tcp) & (TcpSegment.Syn | TcpSegment.Ack)) == TcpSegment.Syn;
        // The newest endpoint of a tuple wins, and a bare SYN opens a new one: a session may reuse a closed one's ports.
        for (int i = Endpoints.Count - 1; i >= 0 && !opening; i--)
        {
            var e = Endpoints[i];
            if (e.OnLan == onLan && e.Local == destination && e.LocalPort == destinationPort && e.Remote == source && e.RemotePort == sourcePort)
            {
                e.Receive(f);
                return;
            }
        }
        if (opening)
        {
            for (int i = _listeners.Count - 1; i >= 0; i--)
            {
                var l = _listeners[i];
                if (l.OnLan != onLan || l.Address != destination || l.Port != destinationPort) continue;
                var e = new TcpEndpoint(this, destination, destinationPort, source, sourcePort, onLan, 700000);
                Endpoints.Add(e);
                e.Receive(f);
                l.Accepted?.Invoke(e);
                return;
            }
        }
        Undelivered.Add(f);
    }

    /// <summary>Hosts answer the router's ARP requests (its cache entries age out when tests advance the clock).</summary>
    private void AnswerArp(bool onLan, byte[] f, int arp)
    {
        if (ArpPacket.Operation(f, arp) != ArpPacket.OperationRequest) return;
        uint target = ArpPacket.TargetProtocolAddress(f, arp);
        byte[] mac = onLan ? (_lanMacs.TryGetValue(target, out var m) ? m : null) : (target == Router.Settings.WanGateway ? GatewayMac : null);
        if (mac == null) return;
        byte[] routerMac = onLan ? RouterLanMac : RouterWanMac;
        Transmit(onLan, Frames.Arp(routerMac, mac, ArpPacket.OperationReply, mac, target, routerMac, ArpPacket.SenderProtocolAddress(f, arp)));
    }

    private static byte[] Pad(byte[] f)
    {
        byte[] b = new byte[1514];
        f.CopyTo(b, 0);
        return b;
    }
}

/// <summary>
/// One end of a TCP connection, strict about what it receives: every checksum must hold, acknowledgements may not
/// exceed what was sent, data must arrive in order, and a retransmitted byte must equal the byte received before.
/// Each violation is recorded in <see cref="Problems"/>.
/// </summary>
public sealed class TcpEndpoint
{
    private readonly FtpNet _net;
    public readonly uint Local, Remote;
    public readonly int LocalPort, RemotePort;
    public readonly bool OnLan;
    public uint Iss, SndNext, SndUna, RcvNext, Irs;
    public bool Established, FinReceived;
    public readonly List<byte> Received = new();
    public readonly List<string> Problems = new();
    /// <summary>Segments this end sent with data: sequence number and bytes, for retransmission.</summary>
    public readonly List<(uint Seq, byte[] Data)> SentData = new();
    public Action<TcpEndpoint> OnData;
    public bool AutoAck = true;

    public TcpEndpoint(FtpNet net, uint local, int localPort, uint remote, int remotePort, bool onLan, uint iss)
    {
        _net = net;
        Local = local; LocalPort = localPort; Remote = remote; RemotePort = remotePort; OnLan = onLan;
        Iss = iss; SndNext = iss; SndUna = iss;
    }

    public string Text => System.Text.Encoding.ASCII.GetString(Received.ToArray());

    public void Open()
    {
        Emit(TcpSegment.Syn, Iss, 0, Array.Empty<byte>());
        SndNext = Iss + 1;
    }

    public void Send(string text) => Send(System.Text.Encoding.ASCII.GetBytes(text));

    public void Send(byte[] data)
    {
        SentData.Add((SndNext, data));
        Emit(TcpSegment.Ack | TcpSegment.Psh, SndNext, RcvNext, data);
        SndNext += (uint)data.Length;
        _net.Pump();
    }

    /// <summary>Sends the data segment <paramref name="index"/> again, unchanged (its ACK was lost, or it was).</summary>
    public void Retransmit(int index)
    {
        var (seq, data) = SentData[index];
        Emit(TcpSegment.Ack | TcpSegment.Psh, seq, RcvNext, data);
        _net.Pump();
    }

    public void SendAck(byte[] options = null)
    {
        Emit(TcpSegment.Ack, SndNext, RcvNext, Array.Empty<byte>(), options);
        _net.Pump();
    }

    public void Close()
    {
        Emit(TcpSegment.Fin | TcpSegment.Ack, SndNext, RcvNext, Array.Empty<byte>());
        SndNext++;
        _net.Pump();
    }

    public void Receive(byte[] f)
    {
        string checksum = Frames.ChecksumProblem(f, 14 + Ipv4Packet.TotalLength(f, 14));
        if (checksum != null) Problems.Add(checksum);
        int tcp = Ipv4Packet.PayloadOffset(f, 14);
        int flags = TcpSegment.Flags(f, tcp);
        uint seq = TcpSegment.SequenceNumber(f, tcp), ack = TcpSegment.AcknowledgmentNumber(f, tcp);
        int payload = TcpSegment.PayloadOffset(f, tcp);
        int length = 14 + Ipv4Packet.TotalLength(f, 14) - payload;

        if ((flags & TcpSegment.Syn) != 0)
        {
            Irs = seq;
            RcvNext = seq + 1;
            if ((flags & TcpSegment.Ack) == 0)
            {
                Emit(TcpSegment.Syn | TcpSegment.Ack, Iss, RcvNext, Array.Empty<byte>());
                SndNext = Iss + 1;
                return;
            }
            Established = true;
            CheckAck(ack);
            Emit(TcpSegment.Ack, SndNext, RcvNext, Array.Empty<byte>());
            return;
        }
        if ((flags & TcpSegment.Ack) != 0)
        {
            CheckAck(ack);
            Established = true;
        }
        bool newData = false;
        if (length > 0)
        {
            if (seq == RcvNext)
            {
                for (int i = 0; i < length; i++) Received.Add(f[payload + i]);
                RcvNext += (uint)length;
                newData = true;
            }
            else if ((int)(seq - RcvNext) < 0)
            {
                // A retransmission: whatever overlaps what we have must be the same bytes.
                int offset = (int)(seq - (Irs + 1));
                for (int i = 0; i < length && offset + i < Received.Count; i++)
                {
                    if (Received[offset + i] != f[payload + i]) { Problems.Add($"retransmitted byte {offset + i} differs"); break; }
                }
            }
            else
            {
                Problems.Add($"gap: segment at {seq} while expecting {RcvNext}");
            }
        }
        if ((flags & TcpSegment.Fin) != 0 && seq + (uint)length == RcvNext)
        {
            RcvNext++;
            FinReceived = true;
        }
        if ((length > 0 || (flags & TcpSegment.Fin) != 0) && AutoAck) Emit(TcpSegment.Ack, SndNext, RcvNext, Array.Empty<byte>());
        if (newData) OnData?.Invoke(this);
    }

    private void CheckAck(uint ack)
    {
        if ((int)(ack - SndNext) > 0) Problems.Add($"ack {ack} beyond what was sent ({SndNext})");
        if ((int)(ack - SndUna) > 0) SndUna = ack;
    }

    private void Emit(int flags, uint seq, uint ack, byte[] payload, byte[] options = null)
    {
        byte[] f = OnLan
            ? Frames.Tcp(RouterLanMac, _net.MacOf(Local), Local, Remote, LocalPort, RemotePort, flags, seq, ack, payload, options)
            : Frames.Tcp(RouterWanMac, GatewayMac, Local, Remote, LocalPort, RemotePort, flags, seq, ack, payload, options);
        _net.Transmit(OnLan, f);
    }
}
