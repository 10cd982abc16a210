using System;
using System.Collections.Generic;
using Router.Wire;

namespace Router.Emulator.Simulation;

/// <summary>
/// A small desktop-side TCP client (active open) for one connection of a simulated LAN host: go-back-N retransmission
/// with a doubling timeout, in-order receive only, immediate ACKs, FIN both ways. It speaks in whole Ethernet frames:
/// <see cref="Output"/> yields what to put on the wire, <see cref="Input"/> takes what came back. Enough to drive the
/// router's own TCP from tests and from the emulator's HTTP bridge; not a general-purpose stack.
/// </summary>
public sealed class ScriptedClient
{
    private const int InitialTimeoutMs = 200;
    private const int MaxTimeoutMs = 3000;
    private const int MaxTries = 12;
    private const int Window = 65535;

    private readonly uint _local, _remote;
    private readonly byte[] _localMac, _remoteMac;
    private readonly int _mss;
    private readonly List<byte> _unacked = new(); // bytes from SndUna on: sent-and-unacknowledged, then unsent
    private readonly uint _iss;
    private uint _sndUna, _sndNxt, _rcvNxt;
    private int _peerWindow = 536;
    private int _peerMss = 536;
    private bool _synAcked, _ackPending, _closeRequested, _finSent;
    private long _retransmitAt = -1;
    private int _timeout = InitialTimeoutMs, _tries;
    private int _ipId;
    private long _now;

    public ScriptedClient(uint local, byte[] localMac, uint remote, byte[] remoteMac, int localPort, int remotePort, int mss = 1460, uint isn = 0x1000)
    {
        _local = local;
        _localMac = localMac;
        _remote = remote;
        _remoteMac = remoteMac;
        LocalPort = localPort;
        RemotePort = remotePort;
        _mss = mss;
        _iss = isn;
        _sndUna = isn;
        _sndNxt = isn;
    }

    public int LocalPort { get; }
    public int RemotePort { get; }
    /// <summary>In-order bytes received; the owner drains it.</summary>
    public List<byte> Received { get; } = new();
    public bool Connected => _synAcked;
    /// <summary>The peer sent FIN (everything it will send is in <see cref="Received"/>).</summary>
    public bool PeerClosed { get; private set; }
    /// <summary>Reset by the peer, or gave up retransmitting.</summary>
    public bool Failed { get; private set; }
    /// <summary>Both FINs exchanged and ours acknowledged, or failed: nothing more will happen.</summary>
    public bool Finished => Failed || (PeerClosed && _finSent && _sndUna == _sndNxt);
    /// <summary>Bytes written and not yet acknowledged.</summary>
    public int Pending => _unacked.Count;

    /// <summary>Queues bytes to send (at most 64 KiB waiting); returns how many were taken.</summary>
    public int Write(byte[] data, int offset, int count)
    {
        if (_closeRequested || Failed) return 0;
        int n = Math.Min(count, 65536 - _unacked.Count);
        for (int i = 0; i < n; i++) _unacked.Add(data[offset + i]);
        return n;
    }

    /// <summary>Sends FIN once everything written is out.</summary>
    public void Close() => _closeRequested = true;

    /// <summary>Frames to send now: SYN, retransmissions on timeout, new data within the peer's window, FIN, a pending ACK.</summary>
    public IEnumerable<byte[]> Output(long now)
    {
        _now = now;
        var frames = new List<byte[]>();
        if (Failed) return frames;
        if (_sndNxt == _iss)
        {
            frames.Add(Build(TcpSegment.Syn, _iss, 0, null, 0, 0, withMss: true));
            _sndNxt = _iss + 1;
            _retransmitAt = now + _timeout;
            return frames;
        }
        if (_retransmitAt >= 0 && now >= _retransmitAt)
        {
            if (++_tries > MaxTries)
            {
                Failed = true;
                return frames;
            }
            _timeout = Math.Min(_timeout * 2, MaxTimeoutMs);
            _retransmitAt = now + _timeout;
            if (!_synAcked)
            {
                frames.Add(Build(TcpSegment.Syn, _iss, 0, null, 0, 0, withMss: true));
                return frames;
            }
            // Go back N: everything unacknowledged goes again; a closed window is probed with one byte.
            _sndNxt = _sndUna;
            _finSent = false;
            if (_peerWindow == 0) _peerWindow = 1;
        }
        if (!_synAcked) return frames;
        int dataSent = (int)(_sndNxt - _sndUna);
        while (dataSent < _unacked.Count && dataSent < _peerWindow && frames.Count < 16)
        {
            int length = Math.Min(Math.Min(_peerMss, _unacked.Count - dataSent), _peerWindow - dataSent);
            if (length <= 0) break;
            byte[] payload = _unacked.GetRange(dataSent, length).ToArray();
            frames.Add(Build(TcpSegment.Ack | TcpSegment.Psh, _sndNxt, _rcvNxt, payload, 0, payload.Length, withMss: false));
            _sndNxt += (uint)length;
            dataSent += length;
            if (_retransmitAt < 0) _retransmitAt = now + _timeout;
        }
        if (dataSent < _unacked.Count && _retransmitAt < 0) _retransmitAt = now + _timeout; // persist timer
        if (_closeRequested && !_finSent && dataSent == _unacked.Count)
        {
            frames.Add(Build(TcpSegment.Ack | TcpSegment.Fin, _sndNxt, _rcvNxt, null, 0, 0, withMss: false));
            _sndNxt++;
            _finSent = true;
            if (_retransmitAt < 0) _retransmitAt = now + _timeout;
        }
        if (_ackPending && frames.Count == 0) frames.Add(Build(TcpSegment.Ack, _sndNxt, _rcvNxt, null, 0, 0, withMss: false));
        _ackPending = false;
        return frames;
    }

    /// <summary>Takes a frame from the wire; returns false when it is not for this connection.</summary>
    public bool Input(byte[] f)
    {
        if (f.Length < 54 || NetworkOrder.ReadUInt16(f, 12) != EthernetFrame.EtherTypeIpv4 || f[23] != IpProtocol.Tcp) return false;
        // A damaged frame (--fault-corrupt) is dropped as a host's stack drops it, never trusted for a length.
        if (Ipv4Packet.Check(f, 14, f.Length - 14) != HeaderCheck.Valid) return false;
        int headerBytes = Ipv4Packet.PayloadOffset(f, 14) - 14;
        if (Ipv4Packet.PayloadLength(f, 14) < 20 || 14 + headerBytes + 20 > f.Length) return false;
        uint source = Ipv4Packet.Source(f, 14), destination = Ipv4Packet.Destination(f, 14);
        int t = Ipv4Packet.PayloadOffset(f, 14);
        if (source != _remote || destination != _local || NetworkOrder.ReadUInt16(f, t) != RemotePort || NetworkOrder.ReadUInt16(f, t + 2) != LocalPort) return false;
        int segmentLength = Ipv4Packet.PayloadLength(f, 14);
        if (Checksum.Finish(Checksum.Add(Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, segmentLength), f, t, segmentLength)) != 0) return true;
        uint seq = NetworkOrder.ReadUInt32(f, t + 4), ack = NetworkOrder.ReadUInt32(f, t + 8);
        int flags = f[t + 13], header = (f[t + 12] >> 4) * 4, window = NetworkOrder.ReadUInt16(f, t + 14);
        int payload = segmentLength - header;
        if ((flags & TcpSegment.Rst) != 0)
        {
            Failed = true;
            return true;
        }
        if (!_synAcked)
        {
            if ((flags & (TcpSegment.Syn | TcpSegment.Ack)) != (TcpSegment.Syn | TcpSegment.Ack) || ack != _iss + 1) return true;
            _synAcked = true;
            _rcvNxt = seq + 1;
            _sndUna = ack;
            _peerWindow = window;
            _peerMss = Math.Min(_mss, ReadMss(f, t));
            _retransmitAt = -1;
            _tries = 0;
            _timeout = InitialTimeoutMs;
            _ackPending = true;
            return true;
        }
        if ((flags & TcpSegment.Syn) != 0)
        {
            _ackPending = true; // our ACK of its SYN-ACK was lost
            return true;
        }
        if ((flags & TcpSegment.Ack) != 0 && (int)(ack - _sndUna) > 0 && (int)(ack - _sndNxt) <= 0)
        {
            int acked = (int)(ack - _sndUna);
            int dataAcked = Math.Min(acked, _unacked.Count);
            _unacked.RemoveRange(0, dataAcked);
            _sndUna = ack;
            _tries = 0;
            _timeout = InitialTimeoutMs;
            _retransmitAt = _sndUna == _sndNxt ? -1 : _now + _timeout;
        }
        if ((flags & TcpSegment.Ack) != 0) _peerWindow = window;
        if (payload > 0 || (flags & TcpSegment.Fin) != 0)
        {
            _ackPending = true;
            if (seq != _rcvNxt) return true; // out of order or old: dropped, the ACK says what we have
            for (int i = 0; i < payload; i++) Received.Add(f[t + header + i]);
            _rcvNxt += (uint)payload;
            if ((flags & TcpSegment.Fin) != 0 && !PeerClosed)
            {
                PeerClosed = true;
                _rcvNxt++;
            }
        }
        return true;
    }

    private static int ReadMss(byte[] f, int t)
    {
        int option = TcpOptions.Find(f, t, TcpOptions.Mss);
        return option == TcpOptions.None || TcpOptions.Length(f, option) != 4 ? 536 : NetworkOrder.ReadUInt16(f, TcpOptions.ValueOffset(option));
    }

    private byte[] Build(int flags, uint seq, uint ack, byte[] payload, int offset, int length, bool withMss)
    {
        int header = withMss ? 24 : 20;
        byte[] f = new byte[14 + 20 + header + length];
        EthernetFrame.SetAddresses(f, 0, _remoteMac, 0, _localMac);
        EthernetFrame.SetEtherType(f, 0, EthernetFrame.EtherTypeIpv4);
        Ipv4Packet.WriteHeader(f, 14, 20 + header + length, ++_ipId & 0xFFFF, 64, IpProtocol.Tcp, _local, _remote);
        int t = 34;
        NetworkOrder.WriteUInt16(f, t, LocalPort);
        NetworkOrder.WriteUInt16(f, t + 2, RemotePort);
        NetworkOrder.WriteUInt32(f, t + 4, seq);
        NetworkOrder.WriteUInt32(f, t + 8, (flags & TcpSegment.Ack) != 0 ? ack : 0);
        f[t + 12] = (byte)((header / 4) << 4);
        f[t + 13] = (byte)flags;
        NetworkOrder.WriteUInt16(f, t + 14, Window);
        if (withMss)
        {
            f[t + 20] = TcpOptions.Mss;
            f[t + 21] = 4;
            NetworkOrder.WriteUInt16(f, t + 22, _mss);
        }
        if (length > 0) Array.Copy(payload, offset, f, t + header, length);
        TcpSegment.FillChecksum(f, t, _local, _remote, header + length);
        return f;
    }
}
