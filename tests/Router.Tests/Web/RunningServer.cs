using System;
using System.Threading;
using Router.Emulator;
using Router.Emulator.Simulation;
using Router.Hal.Desktop;
using Router.Web;

namespace Router.Tests.Web;

/// <summary>
/// A web server with any handler on the router's own TCP, run by a firmware loop on its own thread as on a board, and
/// reached from loopback sockets through the emulator's HTTP bridge (a simulated LAN host per connection).
/// </summary>
public sealed class RunningServer : IDisposable
{
    private readonly Thread _thread;
    private readonly HttpBridge _bridge;
    private volatile bool _stop;

    public RunningServer(IHttpHandler handler, HttpLimits limits, int connections = 4, int tcpSendBytes = 4096)
    {
        var clock = new SystemClock();
        var lan = new VirtualSwitch(1514, queueDepth: 256);
        var wan = VirtualWire.Create(1514, 256, EmulatorHost.Mac(0x20), EmulatorHost.Mac(0x01));
        Firmware = new RouterFirmware(new Capacities { TcpConnections = connections, TcpBacklog = connections, TcpSendBytes = tcpSendBytes }, new RouterSettings(),
            lan.AddPort(EmulatorHost.Mac(0x10)), wan.A, clock, new SeededRandom(1));
        Server = new WebServer(limits, clock, Firmware.Tcp, WebServer.HttpPort, handler);
        Firmware.LoopService = Server;
        _bridge = new HttpBridge(lan.AddPort(EmulatorHost.Mac(0x2F)), Firmware.Settings, "127.0.0.1", 0, rebind: false);
        _thread = new Thread(Run) { IsBackground = true, Name = "packet-loop" };
        _thread.Start();
    }

    public RouterFirmware Firmware { get; }
    public WebServer Server { get; }
    public int Port => _bridge.Port;

    private void Run()
    {
        while (!_stop)
        {
            int moved = 0;
            for (int round = 0; round < 64; round++)
            {
                int step = (Firmware.RunOnce() == 0 ? 1 : 0) + _bridge.Step(Firmware.Clock.NowMilliseconds);
                moved += step;
                if (step == 0) break;
            }
            if (moved == 0) Thread.Sleep(1);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(5000);
        _bridge.Dispose();
    }
}
