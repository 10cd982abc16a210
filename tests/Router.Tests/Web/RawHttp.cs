using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Router.Tests.Web;

/// <summary>A raw TCP client on loopback that writes exact bytes and reads one response (status, headers, body).</summary>
public sealed class RawHttp : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _pending = new byte[256 * 1024];
    private int _pendingLength;

    /// <param name="from">A loopback source address to connect from (the emulator's bridge maps 127.0.0.N to a LAN host of its own).</param>
    public RawHttp(int port, IPAddress from = null)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 10000 };
        if (from != null) _socket.Bind(new IPEndPoint(from, 0));
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
    }

    public void Send(string text) => Send(Encoding.UTF8.GetBytes(text));
    public void Send(byte[] bytes) => _socket.Send(bytes);

    /// <summary>Reads one complete response (by Content-Length) or until the server closes; null if closed with nothing.</summary>
    public Response Read(int timeoutMs = 10000)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            Response parsed = TryParse();
            if (parsed != null) return parsed;
            if (watch.ElapsedMilliseconds > timeoutMs) throw new TimeoutException("no complete response within " + timeoutMs + " ms");
            if (!_socket.Poll(50_000, SelectMode.SelectRead)) continue;
            int n;
            try { n = _socket.Receive(_pending, _pendingLength, _pending.Length - _pendingLength, SocketFlags.None); }
            catch (SocketException) { n = 0; }
            if (n == 0) return TryParse(closed: true);
            _pendingLength += n;
        }
    }

    /// <summary>Everything received within the time, as text.</summary>
    public string ReadRaw(int ms)
    {
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < ms)
        {
            if (!_socket.Poll(50_000, SelectMode.SelectRead)) continue;
            int n = _socket.Receive(_pending, _pendingLength, _pending.Length - _pendingLength, SocketFlags.None);
            if (n == 0) break;
            _pendingLength += n;
        }
        return Encoding.UTF8.GetString(_pending, 0, _pendingLength);
    }

    /// <summary>True if the server closed the connection (a read returns 0 or reset) within the time.</summary>
    public bool ClosedWithin(int timeoutMs)
    {
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < timeoutMs)
        {
            if (!_socket.Poll(50_000, SelectMode.SelectRead)) continue;
            try
            {
                int n = _socket.Receive(_pending, _pendingLength, _pending.Length - _pendingLength, SocketFlags.None);
                if (n == 0) return true;
                _pendingLength += n;
            }
            catch (SocketException) { return true; }
        }
        return false;
    }

    private Response TryParse(bool closed = false)
    {
        string text = Encoding.UTF8.GetString(_pending, 0, _pendingLength);
        int headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0) return null;
        var response = new Response { Head = text.Substring(0, headEnd) };
        string[] lines = response.Head.Split("\r\n");
        response.Status = int.Parse(lines[0].Split(' ')[1]);
        int length = 0;
        foreach (string line in lines)
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line.Substring(15).Trim());
        }
        int bodyStart = Encoding.UTF8.GetByteCount(text.Substring(0, headEnd + 4));
        if (_pendingLength - bodyStart < length && !closed) return null;
        response.Body = Encoding.UTF8.GetString(_pending, bodyStart, Math.Min(length, _pendingLength - bodyStart));
        int consumed = bodyStart + length;
        Array.Copy(_pending, consumed, _pending, 0, _pendingLength - consumed);
        _pendingLength -= consumed;
        return response;
    }

    public void Dispose() => _socket.Dispose();

    public static Response Exchange(int port, string request)
    {
        using var client = new RawHttp(port);
        client.Send(request);
        return client.Read();
    }

    public sealed class Response
    {
        public int Status;
        public string Head;
        public string Body;

        public string Header(string name)
        {
            foreach (string line in Head.Split("\r\n"))
            {
                if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)) return line.Substring(name.Length + 1).Trim();
            }
            return null;
        }
    }
}
