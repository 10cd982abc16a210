using System;
using Router.Hal;
using Router.Tcp;

namespace Router.Web
{
    /// <summary>
    /// A small HTTP/1.1 server on the router's own TCP, run by the packet loop (<see cref="ILoopService"/>): each tick
    /// it visits every connection slot once, reads what arrived, answers complete requests and hands response bytes to
    /// TCP as its send buffer frees up. No thread, no socket, and no call ever waits. Each slot has a deadline for its
    /// current phase; a slow or silent client (slowloris) runs into it and is answered 408 or dropped. With every slot
    /// taken, a new connection evicts the one that has made least progress (see <see cref="TcpEndpoint"/>), which
    /// is always a slow client before a user who has been served.
    /// </summary>
    public sealed class WebServer : ILoopService
    {
        public const int HttpPort = 80;

        private readonly HttpLimits _limits;
        private readonly IClock _clock;
        private readonly IHttpHandler _handler;
        private readonly TcpEndpoint _tcp;
        private readonly int _port;
        private readonly HttpConnection[] _slots;

        public WebServer(HttpLimits limits, IClock clock, TcpEndpoint tcp, int port, IHttpHandler handler)
        {
            _limits = limits;
            _clock = clock;
            _handler = handler;
            _tcp = tcp;
            _port = port;
            _slots = new HttpConnection[tcp.Capacity];
            for (int i = 0; i < _slots.Length; i++) _slots[i] = new HttpConnection(limits, tcp.Connection(i));
            tcp.Listen(port);
        }

        /// <summary>Requests answered (any status), and clients dropped at a deadline.</summary>
        public long RequestsServed;
        public long TimedOut;

        public int Port { get { return _port; } }

        /// <summary>A response is held for sliced work, still being written, or not yet acknowledged by its client.</summary>
        public bool ResponsesInFlight
        {
            get
            {
                for (int i = 0; i < _slots.Length; i++)
                {
                    HttpConnection c = _slots[i];
                    if (c.State == HttpConnection.Free || c.Tcp.LocalPort != _port) continue;
                    if (c.State == HttpConnection.Waiting || c.State == HttpConnection.Writing) return true;
                    if (c.Tcp.IsOpen && c.Tcp.Unacknowledged > 0) return true;
                }
                return false;
            }
        }

        public void Service()
        {
            PollOnce(_clock.NowMilliseconds);
        }

        /// <summary>One pass over every slot without waiting. Returns how many did something.</summary>
        public int PollOnce(long now)
        {
            int work = 0;
            for (int i = 0; i < _slots.Length; i++)
            {
                HttpConnection c = _slots[i];
                TcpConnection tcp = c.Tcp;
                if (tcp.LocalPort != _port || !tcp.IsOpen)
                {
                    Forget(c);
                    c.State = HttpConnection.Free; // reset, evicted or closed: nothing left to serve
                    continue;
                }
                if (c.State == HttpConnection.Free || c.Generation != tcp.Generation)
                {
                    Forget(c);
                    c.Generation = tcp.Generation;
                    c.BeginRequest(now + _limits.RequestTimeoutMs);
                }
                if (c.State == HttpConnection.Reading) work += Read(c, now);
                if (c.State == HttpConnection.Waiting) work += Wait(c, now);
                if (c.State == HttpConnection.Writing) work += Write(c, now);
            }
            return work;
        }

        private int Read(HttpConnection c, long now)
        {
            TcpConnection tcp = c.Tcp;
            if (tcp.Available == 0)
            {
                if (tcp.PeerClosed)
                {
                    c.Close(); // the client closed its side
                    return 1;
                }
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
            int n = tcp.Read(c.Buffer, c.Received, space);
            if (c.Received == 0) c.Deadline = now + _limits.RequestTimeoutMs; // a keep-alive wait ends: the request's clock starts
            c.Received += n;
            int status = c.Parser.Parse(c.Buffer, c.Received, c.Request);
            if (status == HttpRequestParser.NeedMore) return 1;
            if (status != HttpRequestParser.Complete)
            {
                Answer(c, status, now);
                return 1;
            }
            c.Request.ClientAddress = tcp.RemoteAddress;
            c.Response.Reset(c.Request.KeepAlive, c.Request.Method == HttpMethod.Head);
            try
            {
                _handler.Handle(c.Request, c.Response);
            }
            catch (Exception)
            {
                Answer(c, HttpStatus.InternalError, now); // a handler bug must not take the router down: 500, then close
                return 1;
            }
            if (c.Response.Pending != null)
            {
                c.State = HttpConnection.Waiting; // the handler's work goes on in slices; the connection stays open
                c.Deadline = now + _limits.WaitTimeoutMs;
                return 1;
            }
            Served(c, now);
            return 1;
        }

        private void Served(HttpConnection c, long now)
        {
            RequestsServed++;
            c.Tcp.Progress++; // a served client outranks slow ones when a slot must be freed
            c.BeginResponse(now + _limits.WriteTimeoutMs);
        }

        /// <summary>A request whose answer waits for sliced work: polls its waiter, sends the answer once it is ready.</summary>
        private int Wait(HttpConnection c, long now)
        {
            c.Response.Pending.Poll(c.Request, c.Response);
            if (c.Response.Pending == null)
            {
                Served(c, now);
                return 1;
            }
            if (now < c.Deadline) return 0;
            TimedOut++;
            Forget(c);
            Answer(c, HttpStatus.ServiceUnavailable, now);
            return 1;
        }

        /// <summary>Tells a waiter that its connection is gone (or moves on), so it does not hold work for nobody.</summary>
        private static void Forget(HttpConnection c)
        {
            if (c.State != HttpConnection.Waiting || c.Response.Pending == null) return;
            c.Response.Pending.Abandon(c.Response);
            c.Response.Pending = null;
        }

        /// <summary>The earliest phase deadline of the open connections; <paramref name="now"/> while a request waits for sliced work.</summary>
        public long NextDeadline(long now)
        {
            long next = long.MaxValue;
            for (int i = 0; i < _slots.Length; i++)
            {
                HttpConnection c = _slots[i];
                if (c.State == HttpConnection.Free || c.State == HttpConnection.Closed) continue;
                if (c.State == HttpConnection.Waiting) return now;
                if (c.Deadline < next) next = c.Deadline;
            }
            return next;
        }

        /// <summary>Answers a protocol error and closes afterwards (the rest of the request cannot be trusted).</summary>
        private void Answer(HttpConnection c, int status, long now)
        {
            c.Response.Reset(false, false);
            c.Response.SendText(status, HttpStatus.Reasons, HttpStatus.ReasonIndex(status));
            RequestsServed++;
            c.BeginResponse(now + _limits.WriteTimeoutMs);
        }

        /// <summary>Hands as much of the response to TCP as its send buffer takes.</summary>
        private int Write(HttpConnection c, long now)
        {
            TcpConnection tcp = c.Tcp;
            HttpResponse r = c.Response;
            int moved = 0;
            while (c.Sent < c.TotalToSend && tcp.WriteSpace > 0)
            {
                int n;
                if (c.Sent < r.HeadLength)
                {
                    n = tcp.Write(r.Head, c.Sent, r.HeadLength - c.Sent);
                }
                else if (r.Assets == null)
                {
                    int bodySent = c.Sent - r.HeadLength;
                    n = tcp.Write(r.Body, r.BodyOffset + bodySent, r.BodyLength - bodySent);
                }
                else
                {
                    // A static file: its next slice, as much as TCP takes now, from flash through the connection's
                    // buffer (free while a file is sent) into TCP's send buffer.
                    int bodySent = c.Sent - r.HeadLength;
                    int slice = r.BodyLength - bodySent;
                    if (slice > tcp.WriteSpace) slice = tcp.WriteSpace;
                    if (slice > c.Buffer.Length) slice = c.Buffer.Length;
                    n = tcp.Write(c.Buffer, 0, r.Assets.Read(r.Asset, bodySent, c.Buffer, 0, slice));
                    if (n == 0)
                    {
                        c.Abort(); // the file cannot be read: end the response rather than send a short body
                        return 1;
                    }
                }
                c.Sent += n;
                moved += n;
            }
            if (c.Sent < c.TotalToSend)
            {
                if (moved > 0 || now < c.Deadline) return moved > 0 ? 1 : 0;
                TimedOut++;
                c.Abort(); // the client stopped reading
                return 1;
            }
            if (r.KeepAlive) c.BeginRequest(now + _limits.KeepAliveTimeoutMs);
            else c.Close();
            return 1;
        }
    }
}
