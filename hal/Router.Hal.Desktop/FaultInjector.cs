using System;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>
/// A pass-through <see cref="INetworkInterface"/> that, driven by a seeded <see cref="Random"/>, drops, duplicates,
/// reorders and corrupts frames on receive and/or send, and counts each fault it injected.
/// All buffers are preallocated; no frame causes an allocation.
/// </summary>
/// <remarks>
/// Per frame, in this order: drop (nothing else happens), corrupt, then reorder or duplicate (at most one of the two).
/// Reorder holds the frame and releases it right after the next frame in the same direction; a held frame with no
/// successor is released after <see cref="FaultInjectorOptions.MaxHoldPolls"/> empty Receive polls.
/// A sent frame that is dropped or held makes <see cref="Send"/> return true (it was accepted, then lost or delayed on the medium).
/// Send-side corruption works on a copy; the caller's buffer is never modified by Send.
/// Thread-safety: none; call Send and Receive from the same thread (the router loop).
/// </remarks>
public sealed class FaultInjector : INetworkInterface
{
    private readonly INetworkInterface _inner;
    private readonly Random _random;
    private readonly double _drop, _duplicate, _reorder, _corrupt;
    private readonly bool _onReceive, _onSend;
    private readonly int _maxFrame, _maxHoldPolls;

    private readonly byte[] _rxHeld, _rxDup, _txHeld, _txScratch;
    private int _rxHeldLength, _rxHeldPolls, _rxDupLength;
    private bool _rxHeldOvertaken;
    private ReceiveResult _rxEmptyResult; // what a call that yields no frame reports (passed through from the inner device)
    private int _txHeldLength, _txHeldPolls;

    public FaultInjector(INetworkInterface inner, FaultInjectorOptions options)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        if (options == null) throw new ArgumentNullException(nameof(options));
        _drop = CheckProbability(options.DropProbability, nameof(options.DropProbability));
        _duplicate = CheckProbability(options.DuplicateProbability, nameof(options.DuplicateProbability));
        _reorder = CheckProbability(options.ReorderProbability, nameof(options.ReorderProbability));
        _corrupt = CheckProbability(options.CorruptProbability, nameof(options.CorruptProbability));
        if (options.MaxFrameBytes <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxFrameBytes must be positive.");
        if (options.MaxHoldPolls < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxHoldPolls must not be negative.");
        _onReceive = (options.Direction & FaultDirection.Receive) != 0;
        _onSend = (options.Direction & FaultDirection.Send) != 0;
        _maxFrame = options.MaxFrameBytes;
        _maxHoldPolls = options.MaxHoldPolls;
        _random = new Random(options.Seed);
        _rxHeld = new byte[_maxFrame];
        _rxDup = new byte[_maxFrame];
        _txHeld = new byte[_maxFrame];
        _txScratch = new byte[_maxFrame];
    }

    public byte[] MacAddress => _inner.MacAddress;
    public void SetMacAddress(byte[] mac, int offset) => _inner.SetMacAddress(mac, offset);
    public ReceiveFilter Filter => _inner.Filter;
    public void SetReceiveFilter(ReceiveFilter filter) => _inner.SetReceiveFilter(filter);
    public int MaxFrameLength => _inner.MaxFrameLength;
    public InterfaceCapabilities Capabilities => _inner.Capabilities;
    public bool IsLinkUp => _inner.IsLinkUp;
    public int LinkUpCount => _inner.LinkUpCount;
    public int LinkDownCount => _inner.LinkDownCount;

    /// <summary>Held or duplicated frames are waiting here too.</summary>
    public bool FrameReady => _rxHeldLength > 0 || _rxDupLength > 0 || _inner.FrameReady;

    public void SetFrameReadyListener(IFrameReadyListener listener) => _inner.SetFrameReadyListener(listener);

    /// <summary>The wrapped interface.</summary>
    public INetworkInterface Inner => _inner;

    public long DroppedFrames { get; private set; }
    public long DuplicatedFrames { get; private set; }
    public long ReorderedFrames { get; private set; }
    public long CorruptedFrames { get; private set; }

    /// <summary>Total faults injected.</summary>
    public long TotalFaults => DroppedFrames + DuplicatedFrames + ReorderedFrames + CorruptedFrames;

    /// <summary>True while a reordered frame is being held in either direction.</summary>
    public bool IsHoldingFrame => _rxHeldLength > 0 || _txHeldLength > 0;

    public ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length)
    {
        _rxEmptyResult = ReceiveResult.NoFrame;
        length = ReceiveLength(buffer, offset, capacity);
        return length > 0 ? ReceiveResult.Frame : _rxEmptyResult;
    }

    private int ReceiveLength(byte[] buffer, int offset, int capacity)
    {
        TickSendHold();

        if (_rxDupLength > 0) return TakePending(_rxDup, ref _rxDupLength, buffer, offset, capacity);
        if (_rxHeldLength > 0 && _rxHeldOvertaken)
        {
            _rxHeldOvertaken = false;
            return TakePending(_rxHeld, ref _rxHeldLength, buffer, offset, capacity);
        }

        int n = ReceiveSurvivor(buffer, offset, capacity);
        if (n == 0)
        {
            if (_rxHeldLength > 0 && ++_rxHeldPolls > _maxHoldPolls) return TakePending(_rxHeld, ref _rxHeldLength, buffer, offset, capacity);
            return 0;
        }
        if (_rxHeldLength > 0)
        {
            _rxHeldOvertaken = true; // this frame overtakes the held one, which comes out on the next call
            return n;
        }
        if (!_onReceive || n > _maxFrame) return n;

        if (Roll(_reorder))
        {
            ReorderedFrames++;
            Buffer.BlockCopy(buffer, offset, _rxHeld, 0, n);
            _rxHeldLength = n;
            _rxHeldPolls = 0;
            int next = ReceiveSurvivor(buffer, offset, capacity);
            if (next > 0) _rxHeldOvertaken = true;
            return next;
        }
        if (Roll(_duplicate))
        {
            DuplicatedFrames++;
            Buffer.BlockCopy(buffer, offset, _rxDup, 0, n);
            _rxDupLength = n;
        }
        return n;
    }

    public bool Send(byte[] buffer, int offset, int length)
    {
        if (!_onSend || length <= 0 || length > _maxFrame)
        {
            bool passed = _inner.Send(buffer, offset, length);
            ReleaseHeldSend();
            return passed;
        }
        if (Roll(_drop))
        {
            DroppedFrames++;
            return true;
        }
        byte[] src = buffer;
        int srcOffset = offset;
        if (Roll(_corrupt))
        {
            CorruptedFrames++;
            Buffer.BlockCopy(buffer, offset, _txScratch, 0, length);
            Corrupt(_txScratch, 0, length);
            src = _txScratch;
            srcOffset = 0;
        }
        if (_txHeldLength == 0 && Roll(_reorder))
        {
            ReorderedFrames++;
            Buffer.BlockCopy(src, srcOffset, _txHeld, 0, length);
            _txHeldLength = length;
            _txHeldPolls = 0;
            return true;
        }
        bool sent = _inner.Send(src, srcOffset, length);
        if (sent && Roll(_duplicate))
        {
            DuplicatedFrames++;
            _inner.Send(src, srcOffset, length);
        }
        ReleaseHeldSend();
        return sent;
    }

    /// <summary>Releases any held frames now: a held sent frame is sent; a held received frame becomes the next Receive result.</summary>
    public void ReleaseHeld()
    {
        ReleaseHeldSend();
        if (_rxHeldLength > 0) _rxHeldOvertaken = true;
    }

    private int ReceiveSurvivor(byte[] buffer, int offset, int capacity)
    {
        while (true)
        {
            ReceiveResult result = _inner.Receive(buffer, offset, capacity, out int n);
            if (result != ReceiveResult.Frame)
            {
                _rxEmptyResult = result;
                return 0;
            }
            if (!_onReceive || n > _maxFrame) return n;
            if (Roll(_drop))
            {
                DroppedFrames++;
                continue;
            }
            if (Roll(_corrupt))
            {
                CorruptedFrames++;
                Corrupt(buffer, offset, n);
            }
            return n;
        }
    }

    private void TickSendHold()
    {
        if (_txHeldLength > 0 && ++_txHeldPolls > _maxHoldPolls) ReleaseHeldSend();
    }

    private void ReleaseHeldSend()
    {
        if (_txHeldLength == 0) return;
        int n = _txHeldLength;
        _txHeldLength = 0;
        _inner.Send(_txHeld, 0, n);
    }

    private void Corrupt(byte[] frame, int offset, int length)
    {
        int index = _random.Next(length);
        frame[offset + index] ^= (byte)_random.Next(1, 256);
    }

    private bool Roll(double probability) => probability > 0 && _random.NextDouble() < probability;

    private int TakePending(byte[] source, ref int length, byte[] buffer, int offset, int capacity)
    {
        int n = length;
        length = 0;
        if (n > capacity)
        {
            _rxEmptyResult = ReceiveResult.DroppedOversize; // per the INetworkInterface contract: too long for the caller, discarded
            return 0;
        }
        Buffer.BlockCopy(source, 0, buffer, offset, n);
        return n;
    }

    private static double CheckProbability(double p, string name)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(name, "A probability is between 0 and 1.");
        return p;
    }
}
