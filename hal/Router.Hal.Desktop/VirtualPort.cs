using System;
using System.Threading;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>
/// One end of a virtual medium: an <see cref="INetworkInterface"/> whose received frames wait in a preallocated
/// <see cref="FrameRing"/> and whose sent frames go to the <see cref="IFrameSink"/> it is connected to
/// (the peer port of a <see cref="VirtualWire"/> or an ingress of a <see cref="VirtualSwitch"/>).
/// <see cref="Send"/> and <see cref="Receive"/> allocate nothing.
/// </summary>
/// <remarks>
/// Thread-safety: the owner of the port may call <see cref="Receive"/> and <see cref="Send"/> from one thread while
/// the medium delivers into it (<see cref="Deliver"/>) from one other thread (single producer, single consumer).
/// Everything may also run on the same thread, e.g. host simulators polled from the router loop.
/// Counters are plain fields: exact when read from the thread that updates them, approximate from elsewhere.
/// </remarks>
public sealed class VirtualPort : INetworkInterface, IFrameSink
{
    private readonly byte[] _mac;
    private readonly FrameRing _rx;
    private IFrameSink _target;
    private volatile bool _linkUp = true;
    private volatile ReceiveFilter _filter = ReceiveFilter.Promiscuous;
    private volatile IFrameReadyListener _listener;

    public VirtualPort(byte[] macAddress, int maxFrameBytes, int queueDepth)
    {
        if (macAddress == null || macAddress.Length != 6) throw new ArgumentException("A MAC address is 6 bytes.", nameof(macAddress));
        _mac = (byte[])macAddress.Clone();
        _rx = new FrameRing(maxFrameBytes, queueDepth);
    }

    public byte[] MacAddress => _mac;

    /// <summary>Copies a new station address in (the receive filter uses it at once).</summary>
    public void SetMacAddress(byte[] mac, int offset) => Buffer.BlockCopy(mac, offset, _mac, 0, 6);

    /// <summary>Starts promiscuous (a virtual port is a test tap as often as a router port).</summary>
    public ReceiveFilter Filter => _filter;

    public void SetReceiveFilter(ReceiveFilter filter) => _filter = filter;

    public int MaxFrameLength => _rx.SlotSize;

    public InterfaceCapabilities Capabilities => InterfaceCapabilities.FrameReadySignal | InterfaceCapabilities.LinkDetection;

    /// <summary>Link state. While down, <see cref="Send"/> returns false and arriving frames are dropped; queued frames can still be received.</summary>
    public bool IsLinkUp
    {
        get => _linkUp;
        set
        {
            if (value == _linkUp) return;
            _linkUp = value;
            if (value) LinkUpCount++;
            else LinkDownCount++;
        }
    }

    public int LinkUpCount { get; private set; }
    public int LinkDownCount { get; private set; }

    public bool FrameReady => _rx.Count > 0;

    public void SetFrameReadyListener(IFrameReadyListener listener) => _listener = listener;

    /// <summary>Largest frame (bytes, without FCS) this port carries.</summary>
    public int MaxFrameBytes => _rx.SlotSize;

    public int QueueDepth => _rx.Depth;

    /// <summary>Frames waiting to be received.</summary>
    public int PendingFrames => _rx.Count;

    /// <summary>Where sent frames go. Set once while wiring the topology, before traffic flows.</summary>
    public void ConnectTo(IFrameSink target) => _target = target;

    public long FramesSent { get; private set; }
    public long FramesReceived { get; private set; }
    /// <summary>Sends refused because this port's link was down or it was not connected.</summary>
    public long SendDropsLinkDown { get; private set; }
    /// <summary>Sends refused because the frame was empty or longer than <see cref="MaxFrameBytes"/>.</summary>
    public long SendDropsTooLong { get; private set; }
    /// <summary>Sends the medium refused (peer queue full or peer link down).</summary>
    public long SendDropsRefused { get; private set; }
    /// <summary>Arriving frames dropped because the receive queue was full.</summary>
    public long ReceiveDropsQueueFull { get; private set; }
    /// <summary>Arriving frames dropped because this port's link was down or the frame was too long.</summary>
    public long ReceiveDropsLinkDown { get; private set; }
    /// <summary>Frames discarded by <see cref="Receive"/> because they exceeded the caller's capacity.</summary>
    public long ReceiveDropsTooLong { get; private set; }
    /// <summary>Arriving frames the receive filter rejected.</summary>
    public long ReceiveDropsFiltered { get; private set; }

    public ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length)
    {
        if (buffer == null) throw new ArgumentNullException(nameof(buffer));
        if ((uint)offset > (uint)buffer.Length || capacity < 0 || capacity > buffer.Length - offset) throw new ArgumentOutOfRangeException(nameof(capacity));
        int n = _rx.TryDequeue(buffer, offset, capacity);
        length = 0;
        if (n > 0)
        {
            FramesReceived++;
            length = n;
            return ReceiveResult.Frame;
        }
        if (n != FrameRing.Discarded) return ReceiveResult.NoFrame;
        ReceiveDropsTooLong++;
        return ReceiveResult.DroppedOversize;
    }

    public bool Send(byte[] buffer, int offset, int length)
    {
        if (buffer == null) throw new ArgumentNullException(nameof(buffer));
        if ((uint)offset > (uint)buffer.Length || length < 0 || length > buffer.Length - offset) throw new ArgumentOutOfRangeException(nameof(length));
        IFrameSink target = _target;
        if (!_linkUp || target == null)
        {
            SendDropsLinkDown++;
            return false;
        }
        if (length == 0 || length > _rx.SlotSize)
        {
            SendDropsTooLong++;
            return false;
        }
        if (!target.Deliver(buffer, offset, length))
        {
            SendDropsRefused++;
            return false;
        }
        FramesSent++;
        return true;
    }

    /// <summary>Called by the medium: queues an arriving frame for <see cref="Receive"/>.</summary>
    public bool Deliver(byte[] frame, int offset, int length)
    {
        if (!_linkUp || length <= 0 || length > _rx.SlotSize)
        {
            ReceiveDropsLinkDown++;
            return false;
        }
        if (!Passes(frame, offset))
        {
            ReceiveDropsFiltered++;
            return true; // delivered to the wire; this MAC just ignores it
        }
        if (!_rx.TryEnqueue(frame, offset, length))
        {
            ReceiveDropsQueueFull++;
            return false;
        }
        _listener?.OnFrameReady(this);
        return true;
    }

    private bool Passes(byte[] frame, int offset)
    {
        ReceiveFilter filter = _filter;
        if ((filter & ReceiveFilter.Promiscuous) != 0) return true;
        if ((frame[offset] & 1) == 0) return (filter & ReceiveFilter.Unicast) != 0 && MacTable.Pack(frame, offset) == MacTable.Pack(_mac, 0);
        bool broadcast = (frame[offset] & frame[offset + 1] & frame[offset + 2] & frame[offset + 3] & frame[offset + 4] & frame[offset + 5]) == 0xFF;
        return (filter & (broadcast ? ReceiveFilter.Broadcast : ReceiveFilter.Multicast)) != 0;
    }
}
