using System.Net.Sockets;

namespace Router.Web
{
    /// <summary>
    /// One connection slot: its socket, its fixed buffer (request in, then response body out), parse state, and the
    /// deadline by which whatever it is doing must finish. Slots are preallocated and reused.
    /// </summary>
    public sealed class HttpConnection
    {
        public const int Free = 0;
        public const int Reading = 1;
        public const int Writing = 2;

        public readonly byte[] Buffer;
        public readonly HttpRequest Request = new HttpRequest();
        public readonly HttpResponse Response;
        public readonly HttpRequestParser Parser;
        public Socket Socket;
        public int State;
        public int Received;
        /// <summary>Clock time by which the current phase (request, keep-alive wait, response) must end.</summary>
        public long Deadline;
        /// <summary>Bytes of head then body already sent.</summary>
        public int Sent;

        public HttpConnection(HttpLimits limits)
        {
            Buffer = new byte[limits.BufferBytes];
            Response = new HttpResponse(limits.HeadBytes, Buffer);
            Parser = new HttpRequestParser(limits);
        }

        /// <summary>Ready for the next request on this socket.</summary>
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

        public bool IsIdle { get { return State == Reading && Received == 0; } }

        public int TotalToSend { get { return Response.HeadLength + Response.BodyLength; } }

        public void Close()
        {
            if (Socket != null)
            {
                try
                {
                    Socket.Close();
                }
                catch (SocketException)
                {
                    // Already reset by the peer: nothing left to release.
                }
            }
            Socket = null;
            State = Free;
        }
    }
}
