using System;
using System.Threading;

namespace Router.Hal.Desktop;

/// <summary>
/// A bounded FIFO of frames held in preallocated fixed-size slots. After construction no operation allocates.
/// </summary>
/// <remarks>
/// Thread-safety: safe for one producer thread (<see cref="TryEnqueue"/>) and one consumer thread
/// (<see cref="TryDequeue"/>) running concurrently; both may also be the same thread. Multiple producers
/// or multiple consumers must serialise externally (the <see cref="VirtualSwitch"/> does, with a lock).
/// </remarks>
public sealed class FrameRing
{
    /// <summary>Returned by <see cref="TryDequeue"/> when the head frame did not fit the caller's buffer and was discarded.</summary>
    public const int Discarded = -1;

    private readonly byte[][] _slots;
    private readonly int[] _lengths;
    private int _head; // next slot to read; written only by the consumer
    private int _tail; // next slot to write; written only by the producer

    public FrameRing(int slotSize, int depth)
    {
        if (slotSize <= 0) throw new ArgumentOutOfRangeException(nameof(slotSize));
        if (depth <= 0) throw new ArgumentOutOfRangeException(nameof(depth));
        SlotSize = slotSize;
        Depth = depth;
        _slots = new byte[depth][];
        for (int i = 0; i < depth; i++) _slots[i] = new byte[slotSize];
        _lengths = new int[depth];
    }

    /// <summary>Largest frame a slot holds.</summary>
    public int SlotSize { get; }

    /// <summary>Number of slots.</summary>
    public int Depth { get; }

    /// <summary>Frames waiting (a snapshot when read from a third thread).</summary>
    public int Count => Volatile.Read(ref _tail) - Volatile.Read(ref _head);

    public bool IsFull => Count >= Depth;

    /// <summary>Copies a frame into the next free slot. Returns false if the ring is full or the frame is empty or longer than a slot.</summary>
    public bool TryEnqueue(byte[] frame, int offset, int length)
    {
        if (length <= 0 || length > SlotSize) return false;
        int tail = _tail;
        if (tail - Volatile.Read(ref _head) >= Depth) return false;
        int slot = (int)((uint)tail % (uint)Depth);
        Buffer.BlockCopy(frame, offset, _slots[slot], 0, length);
        _lengths[slot] = length;
        Volatile.Write(ref _tail, tail + 1); // publish after the copy
        return true;
    }

    /// <summary>
    /// Copies the oldest frame to <paramref name="buffer"/>. Returns its length, 0 when empty,
    /// or <see cref="Discarded"/> when it was longer than <paramref name="capacity"/> (the frame is removed).
    /// </summary>
    public int TryDequeue(byte[] buffer, int offset, int capacity)
    {
        int head = _head;
        if (Volatile.Read(ref _tail) - head <= 0) return 0;
        int slot = (int)((uint)head % (uint)Depth);
        int length = _lengths[slot];
        int result = Discarded;
        if (length <= capacity)
        {
            Buffer.BlockCopy(_slots[slot], 0, buffer, offset, length);
            result = length;
        }
        Volatile.Write(ref _head, head + 1); // release the slot after the copy
        return result;
    }
}
