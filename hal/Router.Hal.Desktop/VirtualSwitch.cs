using System;
using System.Collections.Generic;

namespace Router.Hal.Desktop;

/// <summary>
/// A learning Ethernet switch for one simulated LAN segment. Each attached device (the router's LAN port, simulated hosts)
/// gets a <see cref="VirtualPort"/> from <see cref="AddPort"/>. A frame sent on a port is forwarded synchronously into the
/// receive queue of the port its destination MAC was learned on, or flooded to every other port when the destination is
/// broadcast, multicast or unknown. Forwarding allocates nothing.
/// </summary>
/// <remarks>
/// Thread-safety: forwarding is serialised by a lock, so ports may be driven from different threads
/// (each port still has a single owner calling Send/Receive). <see cref="AddPort"/> is for setup, before traffic flows.
/// <para>Send on a port returns false when a known unicast destination's queue is full or its link is down,
/// or when a flooded frame reached no port although some were eligible.</para>
/// </remarks>
public sealed class VirtualSwitch
{
    private readonly List<VirtualPort> _ports = new List<VirtualPort>();
    private readonly MacTable _macs;
    private readonly object _gate = new object();
    private VirtualPort[] _portArray = Array.Empty<VirtualPort>();

    public VirtualSwitch(int maxFrameBytes = VirtualWire.DefaultMaxFrameBytes, int queueDepth = 64, int macTableCapacity = 256)
    {
        if (maxFrameBytes < 14) throw new ArgumentOutOfRangeException(nameof(maxFrameBytes));
        if (queueDepth <= 0) throw new ArgumentOutOfRangeException(nameof(queueDepth));
        MaxFrameBytes = maxFrameBytes;
        QueueDepth = queueDepth;
        _macs = new MacTable(macTableCapacity);
    }

    public int MaxFrameBytes { get; }

    public int QueueDepth { get; }

    public int PortCount => _portArray.Length;

    /// <summary>Frames forwarded to exactly one learned port.</summary>
    public long ForwardedFrames { get; private set; }
    /// <summary>Frames flooded (broadcast, multicast or unknown destination).</summary>
    public long FloodedFrames { get; private set; }
    /// <summary>Frames not forwarded: destination learned on the ingress port, or runts shorter than an Ethernet header.</summary>
    public long FilteredFrames { get; private set; }
    /// <summary>Per-egress-port copies a destination port refused (queue full, link down).</summary>
    public long EgressDrops { get; private set; }

    /// <summary>Attaches a device with MAC <paramref name="mac"/> and returns the port it uses. Setup-time only (allocates).</summary>
    public VirtualPort AddPort(byte[] mac)
    {
        lock (_gate)
        {
            var port = new VirtualPort(mac, MaxFrameBytes, QueueDepth);
            port.ConnectTo(new SwitchPortSink(this, _ports.Count));
            _ports.Add(port);
            _portArray = _ports.ToArray();
            return port;
        }
    }

    public VirtualPort GetPort(int index) => _portArray[index];

    /// <summary>The port index <paramref name="mac"/> (6 bytes at <paramref name="offset"/>) was learned on, or -1.</summary>
    public int LookupPort(byte[] mac, int offset = 0)
    {
        lock (_gate) return _macs.Lookup(MacTable.Pack(mac, offset));
    }

    /// <summary>Forgets all learned addresses.</summary>
    public void ClearMacTable()
    {
        lock (_gate) _macs.Clear();
    }

    internal bool Forward(int ingress, byte[] frame, int offset, int length)
    {
        lock (_gate)
        {
            if (length < 14)
            {
                FilteredFrames++;
                return false;
            }
            VirtualPort[] ports = _portArray;
            bool srcIsGroup = (frame[offset + 6] & 1) != 0;
            if (!srcIsGroup) _macs.Learn(MacTable.Pack(frame, offset + 6), ingress);

            bool dstIsGroup = (frame[offset] & 1) != 0;
            int egress = dstIsGroup ? -1 : _macs.Lookup(MacTable.Pack(frame, offset));
            if (egress == ingress)
            {
                FilteredFrames++;
                return true; // the destination is on the sender's own segment; a real switch discards silently
            }
            if (egress >= 0)
            {
                ForwardedFrames++;
                if (ports[egress].Deliver(frame, offset, length)) return true;
                EgressDrops++;
                return false;
            }

            FloodedFrames++;
            int eligible = 0, delivered = 0;
            for (int i = 0; i < ports.Length; i++)
            {
                if (i == ingress) continue;
                eligible++;
                if (ports[i].Deliver(frame, offset, length)) delivered++;
                else EgressDrops++;
            }
            return eligible == 0 || delivered > 0;
        }
    }
}
