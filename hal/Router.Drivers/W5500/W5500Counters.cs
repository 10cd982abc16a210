namespace Router.Drivers.W5500
{
    /// <summary>
    /// What a <see cref="W5500Driver"/> saw and did. Every error path the datasheet names moves one of these; none throws.
    /// Plain int fields: updated only by the router loop's thread, readable from anywhere (approximately).
    /// </summary>
    public sealed class W5500Counters
    {
        public int FramesReceived;
        public int FramesSent;

        /// <summary>RX snapshots (non-zero Sn_RX_RSR reads) taken; each starts a batch of frames.</summary>
        public int RxBatches;
        /// <summary>Sn_RX_RD + RECV updates written (one per batch, or per half buffer under sustained load).</summary>
        public int RxCommits;
        /// <summary>A snapshot that ended mid-frame was re-read three times and each read gave a new value still short of
        /// the frame (a bus fault): the batch was ended and handed back, the rest waits for the next poll.</summary>
        public int RxUnstableSize;
        /// <summary>A length header outside 60..1514 (+2) or past the received bytes: socket 0 closed and reopened to resync.</summary>
        public int RxCorruptLength;
        /// <summary>Frames longer than the caller's buffer, skipped.</summary>
        public int RxOversize;
        /// <summary>Socket 0 close/reopen cycles (after a corrupt header or a closed socket).</summary>
        public int SocketReopens;

        /// <summary>Sn_CR did not clear (command not accepted) within the poll bound: the chip is reset.</summary>
        public int CommandTimeouts;
        /// <summary>Sn_IR reported TIMEOUT for a SEND (the frame is lost; the socket carries on).</summary>
        public int SendTimeouts;
        /// <summary>Neither SEND_OK nor TIMEOUT within the poll bound: the chip is reset.</summary>
        public int SendStuck;
        public int SendDropsLinkDown;
        public int SendDropsTooLong;
        /// <summary>Sends refused while the chip was being recovered.</summary>
        public int SendDropsNotRunning;

        /// <summary>The periodic check read a VERSIONR other than 0x04 (chip reset, unplugged, bus dead).</summary>
        public int ChipLost;
        /// <summary>Bring-ups after the first (recoveries), successful or not.</summary>
        public int Resets;
        /// <summary>Bring-ups that failed (no chip, wrong version, reset or command timeout).</summary>
        public int BringUpFailures;

        public int LinkUps;
        public int LinkDowns;

        /// <summary>Falling edges on INTn.</summary>
        public int InterruptEdges;
        /// <summary>Receive polls made by the fallback timer rather than an interrupt.</summary>
        public int FallbackPolls;
    }
}
