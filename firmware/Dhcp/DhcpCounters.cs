namespace Router.Dhcp
{
    /// <summary>
    /// Counters of the DHCP server and client: why messages were dropped (each malformed message counts exactly one
    /// reason) and what the protocol did. Each service keeps its own instance.
    /// </summary>
    public sealed class DhcpCounters
    {
        /// <summary>Messages that reached the service.</summary>
        public const int MessagesReceived = 0;

        // Drop reasons, from DhcpMessage.Validate and the services.
        public const int FirstDrop = 1;
        public const int DropTruncated = 1;
        public const int DropOversized = 2;
        public const int DropBadHeader = 3;
        public const int DropBadCookie = 4;
        public const int DropBadOptionLength = 5;
        public const int DropMissingEnd = 6;
        public const int DropNoMessageType = 7;
        public const int DropUnexpectedType = 8;
        public const int DropNotForUs = 9;
        public const int LastDrop = 9;

        // Server.
        public const int OffersSent = 10;
        public const int AcksSent = 11;
        public const int NaksSent = 12;
        public const int NoOfferPoolExhausted = 13;
        public const int Releases = 14;
        public const int Declines = 15;
        public const int Informs = 16;
        public const int LeaseStoreWrites = 17;
        public const int SendFailed = 18;
        public const int LeaseStoreFailures = 19;

        // Client.
        public const int DiscoversSent = 20;
        public const int RequestsSent = 21;
        public const int OffersReceived = 22;
        public const int AcksReceived = 23;
        public const int NaksReceived = 24;
        public const int Renewals = 25;
        public const int Rebinds = 26;
        public const int LeasesExpired = 27;

        // Server, on a settings change.
        public const int BindingsRevoked = 28;
        public const int Count = 29;

        private static readonly string[] Names =
        {
            "messages_received", "drop_truncated", "drop_oversized", "drop_bad_header", "drop_bad_cookie", "drop_bad_option_length",
            "drop_missing_end", "drop_no_message_type", "drop_unexpected_type", "drop_not_for_us",
            "offers_sent", "acks_sent", "naks_sent", "no_offer_pool_exhausted", "releases", "declines", "informs",
            "lease_store_writes", "send_failed", "lease_store_failures",
            "discovers_sent", "requests_sent", "offers_received", "acks_received", "naks_received", "renewals", "rebinds",
            "leases_expired", "bindings_revoked",
        };

        private readonly long[] _values = new long[Count];

        public long this[int counter] { get { return _values[counter]; } }

        public void Increment(int counter) { _values[counter]++; }

        public static string Name(int counter) { return Names[counter]; }

        public long DroppedTotal
        {
            get
            {
                long sum = 0;
                for (int i = FirstDrop; i <= LastDrop; i++) sum += _values[i];
                return sum;
            }
        }
    }
}
