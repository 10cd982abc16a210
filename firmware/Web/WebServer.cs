using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Router.Hal;

namespace Router.Web
{
    /// <summary>
    /// A small HTTP/1.1 server on nanoFramework's socket API: one thread multiplexes the listener and a fixed number of
    /// connection slots with Socket.Poll(0, …), so no socket call ever waits. Each slot has a deadline for its current
    /// phase; a slow or half-open client (slowloris) runs into it and is answered 408 or dropped without delaying the
    /// others. With every slot busy, an idle keep-alive connection is evicted, else the newcomer gets 503.
    /// </summary>
    public sealed class WebServer
    {
        private static readonly byte[] Busy = System.Text.Encoding.UTF8.GetBytes(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n");

        private readonly HttpLimits _limits;
        private readonly IClock _clock;
        private readonly IHttpHandler _handler;
        private readonly HttpConnection[] _slots;
        private Socket _listener;
        private int _stopRequested;

        public WebServer(HttpLimits limits, IClock clock, IHttpHandler handler)
        {
            _limits = limits;
            _clock = clock;
            _handler = handler;
            _slots = new HttpConnection[limits.Connections];
            for (int i = 0; i < _slots.Length; i++) _slots[i] = new HttpConnection(limits);
        }

        /// <summary>Requests answered (any status), connections refused with 503, and clients dropped at a deadline.</summary>
        public long RequestsServed;
        public long Refused;
        public long TimedOut;

        /// <summary>The port actually bound (useful after binding port 0).</summary>
        public int Port
        {
            get { return ((IPEndPoint)_listener.LocalEndPoint).Port; }
        }

        /// <summary>
        /// Binds and listens. On a board, pass the LAN interface's address so the WAN side never reaches it.
        /// <paramref name="rebind"/> allows binding over the previous run's lingering connections (an in-process restart);
        /// otherwise an address in use fails, so two routers never share a port (desktop .NET maps ReuseAddress to
        /// SO_REUSEPORT as well, which would split connections between them).
        /// </summary>
        public void Start(string address, int port, bool rebind)
        {
            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (rebind) _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Bind(new IPEndPoint(IPAddress.Parse(address), port));
            _listener.Listen(_limits.Connections);
        }

        /// <summary>Runs the server loop on the calling thread until <see cref="Stop"/>; sleeps briefly when idle.</summary>
        public void Run()
        {
            while (Interlocked.CompareExchange(ref _stopRequested, 0, 0) == 0)
            {
                if (PollOnce() == 0) Thread.Sleep(2);
            }
            for (int i = 0; i < _slots.Length; i++) _slots[i].Close();
            _listener.Close();
        }

        public void Stop()
        {
            Interlocked.Exchange(ref _stopRequested, 1);
        }

        /// <summary>One pass over the listener and every slot without waiting. Returns how many did something.</summary>
        public int PollOnce()
        {
            int work = 0;
            long now = _clock.NowMilliseconds;
            while (_listener.Poll(0, SelectMode.SelectRead))
            {
                Accept(_listener.Accept(), now);
                work++;
            }
            for (int i = 0; i < _slots.Length; i++)
            {
                HttpConnection c = _slots[i];
                if (c.State == HttpConnection.Free) continue;
                try
                {
                    if (c.State == HttpConnection.Reading) work += Read(c, now);
                    if (c.State == HttpConnection.Writing) work += Write(c, now);
                }
                catch (SocketException)
                {
                    c.Close(); // reset by the peer
                }
            }
            return work;
        }

        private void Accept(Socket socket, long now)
        {
            HttpConnection slot = FreeSlot();
            if (slot == null)
            {
                Refused++;
                try
                {
                    socket.Send(Busy, 0, Busy.Length, SocketFlags.None);
                    socket.Close();
                }
                catch (SocketException)
                {
                    socket.Close();
                }
                return;
            }
            // Head and body go out in separate sends: without NoDelay, Nagle waits for the client's delayed ACK (40 ms).
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, true);
            slot.Socket = socket;
            slot.BeginRequest(now + _limits.RequestTimeoutMs);
        }

        /// <summary>A free slot, else the idle keep-alive connection that has waited longest (closed to make room), else null.</summary>
        private HttpConnection FreeSlot()
        {
            HttpConnection idle = null;
            for (int i = 0; i < _slots.Length; i++)
            {
                HttpConnection c = _slots[i];
                if (c.State == HttpConnection.Free) return c;
                if (c.IsIdle && (idle == null || c.Deadline < idle.Deadline)) idle = c;
            }
            if (idle != null) idle.Close();
            return idle;
        }

        private int Read(HttpConnection c, long now)
        {
            if (!c.Socket.Poll(0, SelectMode.SelectRead))
            {
                if (now < c.Deadline) return 0;
                TimedOut++;
                if (c.Received == 0)
                {
                    c.Close(); // idle keep-alive or a client that never spoke: nothing to answer
                    return 1;
                }
                Answer(c, HttpStatus.RequestTimeout, now);
                return 1;
            }
            int space = c.Buffer.Length - c.Received;
            int n = c.Socket.Receive(c.Buffer, c.Received, space, SocketFlags.None);
            if (n <= 0)
            {
                c.Close(); // the client closed its side
                return 1;
            }
            if (c.Received == 0) c.Deadline = now + _limits.RequestTimeoutMs; // a keep-alive wait ends: the request's clock starts
            c.Received += n;
            int status = c.Parser.Parse(c.Buffer, c.Received, c.Request);
            if (status == HttpRequestParser.NeedMore) return 1;
            if (status != HttpRequestParser.Complete)
            {
                Answer(c, status, now);
                return 1;
            }
            c.Response.Reset(c.Request.KeepAlive, c.Request.Method == HttpMethod.Head);
            try
            {
                _handler.Handle(c.Request, c.Response);
            }
            catch (Exception)
            {
                // A handler bug must not take the server down: answer 500 and drop the connection.
                c.Response.Reset(false, false);
                c.Response.SendText(HttpStatus.InternalError, "internal error");
            }
            RequestsServed++;
            c.BeginResponse(now + _limits.WriteTimeoutMs);
            return 1;
        }

        /// <summary>Answers a protocol error and closes afterwards (the rest of the request cannot be trusted).</summary>
        private void Answer(HttpConnection c, int status, long now)
        {
            c.Response.Reset(false, false);
            c.Response.SendText(status, HttpStatus.Reason(status));
            RequestsServed++;
            c.BeginResponse(now + _limits.WriteTimeoutMs);
        }

        private int Write(HttpConnection c, long now)
        {
            if (!c.Socket.Poll(0, SelectMode.SelectWrite))
            {
                if (now < c.Deadline) return 0;
                TimedOut++;
                c.Close(); // the client stopped reading
                return 1;
            }
            HttpResponse r = c.Response;
            int n;
            if (c.Sent < r.HeadLength)
            {
                n = c.Socket.Send(r.Head, c.Sent, Math.Min(r.HeadLength - c.Sent, _limits.SendChunkBytes), SocketFlags.None);
            }
            else
            {
                int bodySent = c.Sent - r.HeadLength;
                n = c.Socket.Send(r.Body, r.BodyOffset + bodySent, Math.Min(r.BodyLength - bodySent, _limits.SendChunkBytes), SocketFlags.None);
            }
            c.Sent += n;
            if (c.Sent < c.TotalToSend) return 1;
            if (r.KeepAlive) c.BeginRequest(now + _limits.KeepAliveTimeoutMs);
            else c.Close();
            return 1;
        }
    }
}
