namespace Router.Hal.Desktop;

/// <summary>The ingress of one <see cref="VirtualSwitch"/> port: hands frames sent by the attached device to the switch, tagged with the port number.</summary>
internal sealed class SwitchPortSink : IFrameSink
{
    private readonly VirtualSwitch _switch;
    private readonly int _port;

    public SwitchPortSink(VirtualSwitch owner, int port)
    {
        _switch = owner;
        _port = port;
    }

    public bool Deliver(byte[] frame, int offset, int length) => _switch.Forward(_port, frame, offset, length);
}
