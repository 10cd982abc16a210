using Router.Wire;

namespace Router
{
    /// <summary>The kinds of event the packet path records through <see cref="IStatusEventSink"/>, and their text.</summary>
    public static class StatusEvent
    {
        /// <summary>
        /// A forwarded FTP server accepted AUTH TLS/SSL: its control connection is encrypted, so the FTP helper cannot
        /// see its 227/229 and its passive data connections need a forwarded port range and the WAN address set on the server.
        /// </summary>
        public const int FtpsServer = 1;

        /// <summary>The event's text (allocates: for the status page, not the packet path).</summary>
        public static string Text(int kind, uint address)
        {
            switch (kind)
            {
                case FtpsServer:
                    return "FTPS server at " + Ipv4Address.Format(address) + ": forward its passive port range and set its external address";
            }
            return "event " + kind.ToString() + " at " + Ipv4Address.Format(address);
        }
    }
}
