using Router.Tcp;

namespace Router.Web
{
    /// <summary>
    /// The HTTP side of one TCP connection slot: its fixed buffer (request in, then response body out), parse state, and
    /// the deadline by which whatever it is doing must finish. Paired for life with the TCP slot of the same index;
    /// <see cref="Generation"/> tells which of that slot's connections it is serving.
    /// </summary>
    public sealed class HttpConnection
    {
        public const int Free = 0;
        public const int Reading = 1;
        public const int Writing = 2;
        /// <summary>Response queued and FIN asked for: waits for the TCP slot to finish and take a new connection.</summary>
        public const int Closed = 3;
        /// <summary>Request handled, answer not ready: waits for <see cref="HttpResponse.Pending"/> (a hash, a flash write).</summary>
        public const int Waiting = 4;

        public readonly byte[] Buffer;
        public readonly HttpRequest Request = new HttpRequest();
        public readonly HttpResponse Response;
        public readonly HttpRequestParser Parser;
        public readonly TcpConnection Tcp;
        public int Generation;
        public int State;
        public int Received;
        /// <summary>Clock time by which the current phase (request, keep-alive wait, response) must end.</summary>
        public long Deadline;
        /// <summary>Bytes of head then body already handed to TCP.</summary>
        public int Sent;

        public HttpConnection(HttpLimits limits, TcpConnection tcp)
        {
            Buffer = new byte[limits.BufferBytes];
            Response = new HttpResponse(limits.HeadBytes, Buffer);
            Parser = new HttpRequestParser(limits);
            Tcp = tcp;
        }

        /// <summary>Ready for the next request on this connection.</summary>
        public void BeginRequest(long deadline)
        {
            State = Reading;
            Received = 0;
            Sent = 0;
            Deadline = deadline;
            Request.Reset(Buffer);
            Parser.Reset();
        }

        public void BeginResponse(long deadline)
        {
            State = Writing;
            Sent = 0;
            Deadline = deadline;
        }

        public int TotalToSend { get { return Response.HeadLength + Response.BodyLength; } }

        /// <summary>Graceful close: FIN after what was written.</summary>
        public void Close()
        {
            Tcp.Close();
            State = Closed;
        }

        /// <summary>Reset: for clients that stopped reading.</summary>
        public void Abort()
        {
            Tcp.Abort();
            State = Closed;
        }
    }
}
