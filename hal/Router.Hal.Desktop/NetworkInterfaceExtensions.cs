using Router.Hal;

namespace Router.Hal.Desktop;

/// <summary>Desktop conveniences over <see cref="INetworkInterface"/> for tests, simulators and tools.</summary>
public static class NetworkInterfaceExtensions
{
    /// <summary>
    /// Receives one frame and returns its length, or 0 for any other <see cref="ReceiveResult"/>. For callers that only
    /// want frames (host simulators, test peers); the router itself looks at the named result.
    /// </summary>
    public static int Receive(this INetworkInterface port, byte[] buffer, int offset, int capacity) =>
        port.Receive(buffer, offset, capacity, out int length) == ReceiveResult.Frame ? length : 0;
}
