namespace Router.Web
{
    /// <summary>
    /// Finishes a response whose handler had to wait for work the packet loop does in slices (a PBKDF2 hash, a flash
    /// write). Polled once per tick while the connection waits; it clears <see cref="HttpResponse.Pending"/> when the
    /// response is ready to send (or hands it on to another waiter). Waiting costs the tick nothing but the check.
    /// </summary>
    public interface IPendingReply
    {
        void Poll(HttpRequest request, HttpResponse response);

        /// <summary>The connection went away while waiting: forget this response (the work itself may go on).</summary>
        void Abandon(HttpResponse response);
    }
}
