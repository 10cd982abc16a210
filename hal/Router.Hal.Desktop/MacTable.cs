using System;

namespace Router.Hal.Desktop;

/// <summary>
/// A fixed-capacity MAC address to port table for a learning switch. MACs are packed into 48-bit keys.
/// When full, the oldest-learned entry is replaced. Allocation-free after construction; not thread-safe.
/// </summary>
public sealed class MacTable
{
    private readonly ulong[] _keys;
    private readonly int[] _ports;
    private int _count;
    private int _nextEvict;

    public MacTable(int capacity)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity));
        _keys = new ulong[capacity];
        _ports = new int[capacity];
    }

    public int Count => _count;

    public int Capacity => _keys.Length;

    /// <summary>Packs the 6 bytes at <paramref name="offset"/> into a key (first byte most significant).</summary>
    public static ulong Pack(byte[] b, int offset) =>
        ((ulong)b[offset] << 40) | ((ulong)b[offset + 1] << 32) | ((ulong)b[offset + 2] << 24) |
        ((ulong)b[offset + 3] << 16) | ((ulong)b[offset + 4] << 8) | b[offset + 5];

    /// <summary>Records that <paramref name="mac"/> was seen on <paramref name="port"/> (moving it if it was elsewhere).</summary>
    public void Learn(ulong mac, int port)
    {
        int i = IndexOf(mac);
        if (i >= 0)
        {
            _ports[i] = port;
            return;
        }
        if (_count < _keys.Length)
        {
            i = _count++;
        }
        else
        {
            // Full: replace entries in insertion order (approximately oldest first).
            i = _nextEvict;
            _nextEvict = (_nextEvict + 1) % _keys.Length;
        }
        _keys[i] = mac;
        _ports[i] = port;
    }

    /// <summary>The port <paramref name="mac"/> was learned on, or -1.</summary>
    public int Lookup(ulong mac)
    {
        int i = IndexOf(mac);
        return i >= 0 ? _ports[i] : -1;
    }

    public void Clear()
    {
        _count = 0;
        _nextEvict = 0;
    }

    private int IndexOf(ulong mac)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_keys[i] == mac) return i;
        }
        return -1;
    }
}
