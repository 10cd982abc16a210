using System;
using System.Buffers.Binary;
using System.IO;
using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>
/// A pass-through <see cref="INetworkInterface"/> that records every frame received from, and every frame successfully
/// sent to, the wrapped interface in a classic libpcap file (magic 0xa1b2c3d4, version 2.4, LINKTYPE_ETHERNET,
/// microsecond timestamps) that Wireshark and tshark read. Records are staged in a reused buffer, so recording a frame
/// allocates nothing; the buffer is written out when full, on <see cref="Flush"/> and on <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Timestamps come from the <see cref="IClock"/> if one is given (milliseconds since boot, plus
/// <c>epochOffsetMicroseconds</c>, which makes captures deterministic), otherwise from the UTC wall clock.
/// Classic pcap has no direction field: received and sent frames are interleaved in call order.
/// Thread-safe (recording is locked). After <see cref="Dispose"/> frames still pass through but are no longer recorded.
/// </remarks>
public sealed class PcapWriter : INetworkInterface, IDisposable
{
    public const uint Magic = 0xa1b2c3d4;
    public const int LinkTypeEthernet = 1;
    public const int FileHeaderLength = 24;
    public const int RecordHeaderLength = 16;

    private const int StagingBytes = 128 * 1024;
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    private readonly INetworkInterface _inner;
    private readonly Stream _output;
    private readonly bool _ownsOutput;
    private readonly IClock _clock;
    private readonly long _epochOffsetMicroseconds;
    private readonly int _snapLength;
    private readonly byte[] _staging = new byte[StagingBytes];
    private readonly object _gate = new object();
    private int _staged;
    private bool _disposed;

    /// <summary>Records into a new file at <paramref name="path"/> (overwritten if present).</summary>
    public PcapWriter(INetworkInterface inner, string path, IClock clock = null, long epochOffsetMicroseconds = 0, int snapLength = 65535)
        : this(inner, new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0), clock, epochOffsetMicroseconds, snapLength, leaveOpen: false)
    {
    }

    /// <summary>Records into <paramref name="output"/>; closes it on <see cref="Dispose"/> unless <paramref name="leaveOpen"/>.</summary>
    public PcapWriter(INetworkInterface inner, Stream output, IClock clock = null, long epochOffsetMicroseconds = 0, int snapLength = 65535, bool leaveOpen = false)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _output = output ?? throw new ArgumentNullException(nameof(output));
        if (snapLength <= 0 || snapLength > StagingBytes - RecordHeaderLength) throw new ArgumentOutOfRangeException(nameof(snapLength));
        _ownsOutput = !leaveOpen;
        _clock = clock;
        _epochOffsetMicroseconds = epochOffsetMicroseconds;
        _snapLength = snapLength;
        WriteFileHeader();
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
    public bool FrameReady => _inner.FrameReady;
    public void SetFrameReadyListener(IFrameReadyListener listener) => _inner.SetFrameReadyListener(listener);

    /// <summary>The wrapped interface.</summary>
    public INetworkInterface Inner => _inner;

    /// <summary>Frames recorded so far.</summary>
    public long FramesWritten { get; private set; }

    public ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length)
    {
        ReceiveResult result = _inner.Receive(buffer, offset, capacity, out length);
        if (result == ReceiveResult.Frame) Record(buffer, offset, length);
        return result;
    }

    public bool Send(byte[] buffer, int offset, int length)
    {
        bool sent = _inner.Send(buffer, offset, length);
        if (sent) Record(buffer, offset, length);
        return sent;
    }

    /// <summary>Writes staged records to the output stream and flushes it.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_disposed) return;
            DrainStaging();
            _output.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            DrainStaging();
            _output.Flush();
            if (_ownsOutput) _output.Dispose();
            _disposed = true;
        }
    }

    private void Record(byte[] frame, int offset, int length)
    {
        lock (_gate)
        {
            if (_disposed) return;
            long micros = _clock != null
                ? _clock.NowMilliseconds * 1000 + _epochOffsetMicroseconds
                : (DateTime.UtcNow.Ticks - UnixEpochTicks) / 10;
            int captured = Math.Min(length, _snapLength);
            if (_staged + RecordHeaderLength + captured > _staging.Length) DrainStaging();
            Span<byte> h = _staging.AsSpan(_staged, RecordHeaderLength);
            BinaryPrimitives.WriteUInt32LittleEndian(h, (uint)(micros / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(4), (uint)(micros % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(8), (uint)captured);
            BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(12), (uint)length);
            Buffer.BlockCopy(frame, offset, _staging, _staged + RecordHeaderLength, captured);
            _staged += RecordHeaderLength + captured;
            FramesWritten++;
        }
    }

    private void WriteFileHeader()
    {
        Span<byte> h = _staging.AsSpan(0, FileHeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(h, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(h.Slice(4), 2);  // version major
        BinaryPrimitives.WriteUInt16LittleEndian(h.Slice(6), 4);  // version minor
        BinaryPrimitives.WriteInt32LittleEndian(h.Slice(8), 0);   // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(12), 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(16), (uint)_snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(20), LinkTypeEthernet);
        _staged = FileHeaderLength;
    }

    private void DrainStaging()
    {
        if (_staged == 0) return;
        _output.Write(_staging, 0, _staged);
        _staged = 0;
    }
}
