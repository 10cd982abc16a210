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
                    c.State = HttpConnection.Free; // reset, evicted or closed: nothing left to serve
                    continue;
                }
                if (c.State == HttpConnection.Free || c.Generation != tcp.Generation)
                {
                    c.Generation = tcp.Generation;
                    c.BeginRequest(now + _limits.RequestTimeoutMs);
                }
                if (c.State == HttpConnection.Reading) work += Read(c, now);
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
            RequestsServed++;
            tcp.Progress++; // a served client outranks slow ones when a slot must be freed
            c.BeginResponse(now + _limits.WriteTimeoutMs);
            return 1;
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
                else
                {
                    int bodySent = c.Sent - r.HeadLength;
                    n = tcp.Write(r.Body, r.BodyOffset + bodySent, r.BodyLength - bodySent);
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
