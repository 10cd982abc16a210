using System;
using System.Runtime.InteropServices;
using System.Threading;
using Router.Hal.Desktop;

// The ceiling of the TAP I/O path: copies every frame between two TAPs unchanged, with the emulator's loop shape
// (up to 32 frames per port per round, poll(2) when idle) but no router behind it.
if (args.Length < 2 || args.Length > 3)
{
    Console.Error.WriteLine("usage: nullforwarder LAN_TAP WAN_TAP [SECONDS]   (each TAP: NAME or NETNS/NAME)");
    return 2;
}
double seconds = args.Length == 3 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
byte[] unusedMac = { 0x02, 0x52, 0x54, 0x00, 0x00, 0xff };
using var a = TapInterface.OpenSpec(args[0], unusedMac);
using var b = TapInterface.OpenSpec(args[1], unusedMac);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
if (seconds > 0) stop.CancelAfter(TimeSpan.FromSeconds(seconds));
Console.WriteLine($"null forwarder: {args[0]} <-> {args[1]}");

const int Budget = 32;
byte[] frame = new byte[1514];
while (!stop.IsCancellationRequested)
{
    int moved = 0;
    for (int i = 0; i < Budget; i++)
    {
        int got = 0;
        int length = a.Receive(frame, 0, frame.Length);
        if (length > 0) { b.Send(frame, 0, length); got++; }
        length = b.Receive(frame, 0, frame.Length);
        if (length > 0) { a.Send(frame, 0, length); got++; }
        if (got == 0) break;
        moved += got;
    }
    if (moved == 0) TapInterface.WaitReadable(a, b, 1);
}
Console.WriteLine($"frames {args[0]}->{args[1]} {a.FramesReceived}, {args[1]}->{args[0]} {b.FramesReceived}, send errors {a.SendErrors + b.SendErrors}");
return 0;
