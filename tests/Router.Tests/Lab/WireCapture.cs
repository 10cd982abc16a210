using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace Router.Tests.Lab;

/// <summary>
/// dumpcap (Wireshark's capture tool, installed with tshark) on a device inside a lab namespace, writing classic pcap
/// with the kernel's timestamps: when frames really crossed the wire, however late a loaded machine schedules the
/// router or the clients. Stopped with SIGINT, so it writes out what it buffered (SIGKILL would lose it).
/// </summary>
public sealed class WireCapture : IDisposable
{
    private readonly LabProcess _process;

    private WireCapture(LabFixture lab, string ns, string device, string filter)
    {
        Path = System.IO.Path.Combine(lab.Directory, $"capture-{Guid.NewGuid():N}.pcap");
        _process = lab.Start(ns, "dumpcap", "-i", device, "-f", filter, "-P", "-q", "-w", Path);
        var wait = Stopwatch.StartNew();
        while (!(File.Exists(Path) && new FileInfo(Path).Length >= 24)) // the file header: capturing has started
        {
            if (_process.HasExited || wait.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException("dumpcap did not start: " + _process.Stop().Output);
            }
            Thread.Sleep(20);
        }
    }

    public string Path { get; }

    public static WireCapture Start(LabFixture lab, string ns, string device, string filter) => new(lab, ns, device, filter);

    /// <summary>Ends the capture and returns the file's bytes.</summary>
    public byte[] Stop()
    {
        _process.Interrupt(TimeSpan.FromSeconds(5));
        return File.ReadAllBytes(Path);
    }

    public void Dispose() => _process.Dispose();
}

/// <summary>One HTTP request seen on the wire and the server's answer to it, in ms from the capture's first frame.</summary>
public sealed record HttpExchange(int ClientPort, string Target, uint Sequence, double RequestAt, double FirstByteAt, double LastByteAt, int Retransmissions)
{
    /// <summary>From the request's first arrival to the last byte of the answer before the next request (or the end).</summary>
    public double ServedMs => LastByteAt - RequestAt;

    /// <summary>
    /// The exchanges with <paramref name="serverPort"/> in a classic Ethernet pcap: a request is a client segment whose
    /// payload starts with an HTTP method; the answer is every server segment with payload after it on the same
    /// connection. A request sent again (same sequence number, not yet answered: the client's retransmission) keeps
    /// its first arrival and counts in <see cref="Retransmissions"/>. Requests without an answer have NaN times.
    /// </summary>
    public static List<HttpExchange> Read(byte[] pcap, int serverPort)
    {
        var done = new List<HttpExchange>();
        var open = new Dictionary<int, HttpExchange>();
        double first = double.NaN;
        for (int at = 24; at + 16 <= pcap.Length;)
        {
            var span = pcap.AsSpan(at);
            double ms = BinaryPrimitives.ReadUInt32LittleEndian(span) * 1000.0 + BinaryPrimitives.ReadUInt32LittleEndian(span[4..]) / 1000.0;
            int captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
            var frame = span.Slice(16, Math.Min(captured, span.Length - 16));
            at += 16 + captured;
            if (double.IsNaN(first)) first = ms;
            ms -= first;
            if (frame.Length < 34 || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != 0x0800 || frame[23] != 6) continue;
            int ip = 14, ipHeader = (frame[ip] & 0x0F) * 4, ipLength = BinaryPrimitives.ReadUInt16BigEndian(frame[(ip + 2)..]);
            int tcp = ip + ipHeader;
            if (frame.Length < tcp + 20) continue;
            int source = BinaryPrimitives.ReadUInt16BigEndian(frame[tcp..]), destination = BinaryPrimitives.ReadUInt16BigEndian(frame[(tcp + 2)..]);
            int payload = tcp + (frame[tcp + 12] >> 4) * 4, payloadLength = ip + ipLength - payload;
            if (payloadLength <= 0) continue;
            if (destination == serverPort)
            {
                string start = Encoding.ASCII.GetString(frame.Slice(payload, Math.Min(payloadLength, Math.Min(200, frame.Length - payload))));
                int space = start.IndexOf(' '), end = space < 0 ? -1 : start.IndexOf(' ', space + 1);
                if (space < 0 || end < 0 || !(start.StartsWith("GET ") || start.StartsWith("POST ") || start.StartsWith("HEAD ") || start.StartsWith("PUT ") || start.StartsWith("DELETE "))) continue;
                uint sequence = BinaryPrimitives.ReadUInt32BigEndian(frame[(tcp + 4)..]);
                if (open.TryGetValue(source, out var previous) && previous.Sequence == sequence && double.IsNaN(previous.FirstByteAt))
                {
                    open[source] = previous with { Retransmissions = previous.Retransmissions + 1 };
                    continue;
                }
                if (open.Remove(source, out previous)) done.Add(previous);
                open[source] = new HttpExchange(source, start[(space + 1)..end], sequence, ms, double.NaN, double.NaN, 0);
            }
            else if (source == serverPort && open.TryGetValue(destination, out var exchange))
            {
                open[destination] = exchange with { FirstByteAt = double.IsNaN(exchange.FirstByteAt) ? ms : exchange.FirstByteAt, LastByteAt = ms };
            }
        }
        done.AddRange(open.Values);
        done.Sort((a, b) => a.RequestAt.CompareTo(b.RequestAt));
        return done;
    }
}
