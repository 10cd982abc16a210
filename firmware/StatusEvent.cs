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

        /// <summary>
        /// The pieces of every event's text, separated by '|': an event reads piece <see cref="Before"/>(kind), its
        /// address, then piece <see cref="After"/>(kind). The status page writes them straight into its JSON from one
        /// table (an <c>ldstr</c> per request would allocate on nanoCLR); <see cref="Text"/> joins them into a string.
        /// </summary>
        public const string Pieces = "FTPS server at |: forward its passive port range and set its external address|event | at ";
        /// <summary>An unknown kind reads "event KIND at ADDRESS": its number goes between these two pieces.</summary>
        public const int UnknownBefore = 2, UnknownAt = 3;

        /// <summary>The piece before the address for a known kind, or -1 for an unknown one (see <see cref="UnknownBefore"/>).</summary>
        public static int Before(int kind)
        {
            return kind == FtpsServer ? 0 : -1;
        }

        /// <summary>The piece after the address for a known kind, or -1 for none.</summary>
        public static int After(int kind)
        {
            return kind == FtpsServer ? 1 : -1;
        }

        /// <summary>The event's text as a string (allocates: for tests and desktop tools, not the board's request path).</summary>
        public static string Text(int kind, uint address)
        {
            string[] pieces = Pieces.Split('|');
            if (Before(kind) < 0) return pieces[UnknownBefore] + kind.ToString() + pieces[UnknownAt] + Ipv4Address.Format(address);
            return pieces[Before(kind)] + Ipv4Address.Format(address) + (After(kind) < 0 ? "" : pieces[After(kind)]);
        }
    }
}
