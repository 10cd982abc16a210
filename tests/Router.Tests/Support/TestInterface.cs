using Router.Hal;

namespace Router.Tests.Support;

/// <summary>
/// The parts of <see cref="INetworkInterface"/> a test double does not care about: link always up, no filter, no
/// frame-ready signal, a MAC that can be reprogrammed. Doubles implement only receive and send.
/// </summary>
public abstract class TestInterface : INetworkInterface
{
    protected TestInterface(byte[] mac) { MacAddress = mac; }

    public byte[] MacAddress { get; }
    public void SetMacAddress(byte[] mac, int offset) => System.Buffer.BlockCopy(mac, offset, MacAddress, 0, 6);
    public ReceiveFilter Filter => ReceiveFilter.Promiscuous;
    public void SetReceiveFilter(ReceiveFilter filter) { }
    public int MaxFrameLength => 1514;
    public InterfaceCapabilities Capabilities => InterfaceCapabilities.None;
    public bool IsLinkUp => true;
    public int LinkUpCount => 0;
    public int LinkDownCount => 0;
    public bool FrameReady => true;
    public void SetFrameReadyListener(IFrameReadyListener listener) { }

    public abstract ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length);
    public abstract bool Send(byte[] buffer, int offset, int length);
}
