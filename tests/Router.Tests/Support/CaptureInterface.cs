using System;
using System.Collections.Generic;
using Router.Hal;

namespace Router.Tests.Support;

/// <summary>A test network interface: frames to deliver are queued by the test; frames the router sends are recorded.</summary>
public sealed class CaptureInterface : INetworkInterface
{
    private readonly Queue<byte[]> _inbound = new();
    public readonly List<byte[]> Sent = new();

    public CaptureInterface(byte[] mac) { MacAddress = mac; }

    public byte[] MacAddress { get; }
    public bool IsLinkUp => true;

    public void Enqueue(byte[] frame) => _inbound.Enqueue(frame);

    public int Receive(byte[] buffer, int offset, int capacity)
    {
        if (_inbound.Count == 0) return 0;
        byte[] f = _inbound.Dequeue();
        if (f.Length > capacity) return 0;
        f.CopyTo(buffer, offset);
        return f.Length;
    }

    public bool Send(byte[] buffer, int offset, int length)
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
