using System;
using System.Collections.Generic;
using Router.Hal;

namespace Router.Tests.Support;

/// <summary>A test network interface: frames to deliver are queued by the test; frames the router sends are recorded.</summary>
public sealed class CaptureInterface : TestInterface
{
    private readonly Queue<byte[]> _inbound = new();
    public readonly List<byte[]> Sent = new();

    public CaptureInterface(byte[] mac) : base(mac) { }

    public void Enqueue(byte[] frame) => _inbound.Enqueue(frame);

    public override ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length)
    {
        length = 0;
        if (_inbound.Count == 0) return ReceiveResult.NoFrame;
        byte[] f = _inbound.Dequeue();
        if (f.Length > capacity) return ReceiveResult.DroppedOversize;
        f.CopyTo(buffer, offset);
        length = f.Length;
        return ReceiveResult.Frame;
    }

    public override bool Send(byte[] buffer, int offset, int length)
    {
        Sent.Add(buffer.AsSpan(offset, length).ToArray());
        return true;
    }

    public byte[] TakeOne()
    {
        if (Sent.Count != 1) throw new Xunit.Sdk.XunitException($"expected exactly one frame sent, got {Sent.Count}");
        byte[] f = Sent[0];
        Sent.Clear();
        return f;
    }
}
