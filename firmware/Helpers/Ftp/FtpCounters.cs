using Router.Nat;

namespace Router.Helpers.Ftp
{
    /// <summary>What the FTP helper saw and did, one array so status pages and tests read them uniformly.</summary>
    public sealed class FtpCounters
    {
        /// <summary>Complete lines found at a line start (commands and replies, both directions).</summary>
        public const int CommandsSeen = 0;
        public const int Rewrites = 1;
        /// <summary>Retransmissions of a rewritten line, rewritten again with the same text.</summary>
        public const int RetransmissionsRewritten = 2;
        /// <summary>Lines split across two segments that were held back and joined.</summary>
        public const int SplitLinesJoined = 3;
        public const int ExpectationsCreated = 4;
        public const int ExpectationsUsed = 5;
        public const int ExpectationsExpired = 6;
        /// <summary>Pending expectations pushed out of a full table by newer ones.</summary>
        public const int ExpectationsEvicted = 7;
        /// <summary>Lines the helper does not act on (passed untouched).</summary>
        public const int LinesUnknown = 8;
        /// <summary>PORT/EPRT/227/229 lines whose arguments do not parse (passed untouched).</summary>
        public const int LinesGarbled = 9;
        /// <summary>Lines too long to parse or to hold back (passed untouched).</summary>
        public const int LinesOverlong = 10;
        /// <summary>Control connections no longer inspected because AUTH TLS was accepted (234).</summary>
        public const int TlsStopped = 11;

        // Refusals: no rewrite and no expectation (or no claim), each for one reason.
        public const int FirstRefusal = 12;
        /// <summary>PORT/EPRT naming an address other than the client's own (FTP bounce, RFC 2577).</summary>
        public const int RefusedBounce = 12;
        /// <summary>A data port below 1024.</summary>
        public const int RefusedLowPort = 13;
        /// <summary>A 227 naming an address other than the server's own.</summary>
        public const int RefusedWrongServerAddress = 14;
        /// <summary>A command verb that is not at a line start (NAT slipstreaming).</summary>
        public const int RefusedNotAtLineStart = 15;
        /// <summary>An expected data connection arriving from another address.</summary>
        public const int RefusedWrongPeer = 16;
        /// <summary>A second connection to an expectation already used.</summary>
        public const int RefusedUsedTwice = 17;
        /// <summary>A connection to an expectation after its timeout.</summary>
        public const int RefusedAfterTimeout = 18;
        /// <summary>The rewritten segment would not fit the MTU or the frame buffer.</summary>
        public const int RefusedTooBig = 19;
        /// <summary>A control connection not inspected because every helper slot is taken.</summary>
        public const int RefusedNoSlot = 20;
        /// <summary>No outside port for the data connection (229 port taken, NAT ports exhausted).</summary>
        public const int RefusedPortUnavailable = 21;
        public const int LastRefusal = 21;

        /// <summary>Control connections no longer inspected, for good, because they stopped behaving as FTP (no 220
        /// greeting first, a client line that is no FTP command, a server line that is no reply).</summary>
        public const int NotFtp = 22;
        /// <summary>Unfinished lines passed on uninspected: the sender waited for an ACK of what was held (one byte per
        /// segment), or the line was held back too many times.</summary>
        public const int LinesPassedUninspected = 23;
        /// <summary>Lines in a segment that did not start at a line start (netfilter parses only after a newline-ended segment).</summary>
        public const int SegmentsNotAtLineStart = 24;
        /// <summary>Helper slots given back when their control connection closed (FIN both ways or RST).</summary>
        public const int SlotsFreed = 25;
        /// <summary>Helper slots taken from a closing control connection because every slot was busy.</summary>
        public const int SlotsReclaimed = 26;
        /// <summary>Data connections the helper only saw (not admitted by an expectation) linked to their control connection for keep-alive.</summary>
        public const int DataConnectionsObserved = 27;
        /// <summary>Forwarded (inside) servers that accepted AUTH TLS/SSL: their passive ports cannot be followed; a status event says what to set.</summary>
        public const int FtpsServers = 28;
        public const int Count = 29;

        public const string NameList =
            "commands_seen,rewrites,retransmissions_rewritten,split_lines_joined,expectations_created,expectations_used,"
            + "expectations_expired,expectations_evicted,lines_unknown,lines_garbled,lines_overlong,tls_stopped,"
            + "refused_bounce,refused_low_port,refused_wrong_server_address,refused_not_at_line_start,refused_wrong_peer,"
            + "refused_used_twice,refused_after_timeout,refused_too_big,refused_no_slot,refused_port_unavailable,"
            + "not_ftp,lines_passed_uninspected,segments_not_at_line_start,slots_freed,slots_reclaimed,data_connections_observed,ftps_servers";

        private readonly long[] _values = new long[Count];

        public long this[int counter] { get { return _values[counter]; } }

        public void Increment(int counter) { _values[counter]++; }

        /// <summary>Counts an event of the helper's expectations.</summary>
        public void Record(ExpectationEvent e)
        {
            switch (e)
            {
                case ExpectationEvent.Created: _values[ExpectationsCreated]++; break;
                case ExpectationEvent.Used: _values[ExpectationsUsed]++; break;
                case ExpectationEvent.Expired: _values[ExpectationsExpired]++; break;
                case ExpectationEvent.Evicted: _values[ExpectationsEvicted]++; break;
                case ExpectationEvent.RefusedWrongPeer: _values[RefusedWrongPeer]++; break;
                case ExpectationEvent.RefusedUsedTwice: _values[RefusedUsedTwice]++; break;
                case ExpectationEvent.RefusedAfterTimeout: _values[RefusedAfterTimeout]++; break;
            }
        }

        /// <summary>The counter's name for status output (allocates: not for the packet path).</summary>
        public static string Name(int counter) { return NameList.Split(',')[counter]; }

        public long RefusedTotal
        {
            get
            {
                long sum = 0;
                for (int i = FirstRefusal; i <= LastRefusal; i++) sum += _values[i];
                return sum;
            }
        }
    }
}
