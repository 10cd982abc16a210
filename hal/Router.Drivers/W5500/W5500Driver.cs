using System;
using System.Threading;
using Router.Hal;
using R = Router.Drivers.W5500.W5500Registers;

namespace Router.Drivers.W5500
{
    /// <summary>
    /// A WIZnet W5500 used as a plain MAC: socket 0 in MACRAW mode with all 16 KB of RX and TX memory, driven over
    /// <see cref="ISpiDevice"/> (one chip-select-framed transaction per call) with an optional INTn and RSTn line.
    /// Allocation-free per frame: every SPI frame is built in one of two preallocated buffers.
    /// </summary>
    /// <remarks>
    /// <para>States: <c>Stopped</c> → <see cref="Start"/> → <c>Running</c>; any chip fault → <c>Faulted</c>, from which
    /// the next call after <see cref="RecoveryIntervalMs"/> runs the whole bring-up again (hardware reset included).
    /// Faults never throw: they are counted in <see cref="Counters"/> and reported as <see cref="ReceiveResult.ChipError"/>
    /// or a refused send.</para>
    /// <para>Receive works in batches: one snapshot of Sn_RX_RSR (one burst read, read again only if it ends mid-frame;
    /// Sn_RX_RD is the driver's copy), then the snapshot is read out of the ring a buffer-full at a time (the part of a
    /// frame already read moves to the front, the rest follows it), so a waiting frame costs at most one SPI transaction.
    /// Sn_RX_RD and RECV are written once the snapshot is consumed (or every half buffer); a RECV following a RECV is not
    /// preceded by a Sn_CR check. Pointers are free-running 16-bit values: the chip masks them into the 16 KB ring, so
    /// reads never split at its end.</para>
    /// <para>Transmit: one frame per SEND, as the chip requires. Before the next SEND the driver reads Sn_IR (with Sn_CR
    /// in the same transaction when a RECV may still be pending: command accepted, SEND_OK or TIMEOUT) and clears the
    /// completion bit in the same burst as the next SEND. With one frame in flight the free TX space is known in software; Sn_TX_FSR is checked when the socket opens.</para>
    /// <para>Not thread-safe except <see cref="OnFallingEdge"/>, which only sets a flag (and tells the listener).</para>
    /// </remarks>
    public sealed class W5500Driver : INetworkInterface, IPinEdgeListener
    {
        /// <summary>A poll even without an interrupt edge, in case one was missed (edges are hints; ESP-IDF does the same).</summary>
        public int FallbackPollMs = 10;
        /// <summary>How often PHYCFGR (link) and VERSIONR (chip still there) are read.</summary>
        public int HealthCheckMs = 100;
        /// <summary>Time between bring-up attempts while the chip is faulted.</summary>
        public int RecoveryIntervalMs = 1000;
        /// <summary>Reads of Sn_CR before a command counts as stuck. The chip accepts commands within microseconds.</summary>
        public int CommandPolls = 64;
        /// <summary>Reads of Sn_IR before a SEND counts as stuck (a 1514-byte frame takes 1.2 ms at 10 Mbit/s).</summary>
        public int SendPolls = 256;

        private const int Stopped = 0, Running = 1, Faulted = 2;
        private const int CommitBytes = R.BufferBytes / 2;
        private const int BufferData = R.MaxFrame + R.LengthHeader; // read-ahead room in _in after the SPI header

        private readonly ISpiDevice _spi;
        private readonly IOutputPin _reset;
        private readonly IInputPin _interrupt;
        private readonly IClock _clock;
        private readonly byte[] _mac = new byte[6];
        private readonly W5500Counters _counters = new W5500Counters();

        // _out: header + outgoing data (frames, register values; the write side of reads, whose data phase the chip ignores).
        // _in: the read side of RX buffer reads (3 junk bytes, then data); it holds the snapshot read ahead between calls.
        // _reg: the read side of register reads (the longest is PHYCFGR..VERSIONR, 12 bytes), so they never touch _in.
        private readonly byte[] _out = new byte[R.HeaderLength + BufferData];
        private readonly byte[] _in = new byte[R.HeaderLength + BufferData];
        private readonly byte[] _reg = new byte[R.HeaderLength + R.VERSIONR - R.PHYCFGR + 1];

        private int _state = Stopped;
        private W5500BringUp _lastBringUp;
        private int _lastVersion;
        private ReceiveFilter _filter = ReceiveFilter.Normal;
        private IFrameReadyListener _listener;
        private bool _interruptPending; // set by the GPIO event thread; nanoCLR runs every managed thread on one interpreter thread
        private bool _linkUp;
        private bool _everStarted;
        private long _lastPollMs, _lastHealthMs, _recoverAtMs;

        // Receive batch.
        private int _rd;              // Sn_RX_RD as the driver has consumed it (16-bit, free-running)
        private int _batchRemaining;  // bytes of the RSR snapshot not yet consumed
        private int _uncommitted;     // bytes consumed but not yet handed back with Sn_RX_RD + RECV
        private int _buffered;        // bytes of the snapshot from _rd on already read into _in ...
        private int _bufferAt = R.HeaderLength; // ... starting at this index

        // Transmit.
        private int _txWr;            // Sn_TX_WR shadow
        private bool _sendInFlight;
        private int _irToClear;       // Sn_IR completion bits to clear with the next SEND
        private int _unverifiedCommand; // the last command written and not yet seen accepted (Sn_CR == 0), else 0

        public W5500Driver(ISpiDevice spi, IOutputPin reset, IInputPin interrupt, IClock clock, byte[] macAddress)
        {
            if (spi == null || clock == null) throw new ArgumentNullException(spi == null ? "spi" : "clock");
            if (macAddress == null || macAddress.Length != 6) throw new ArgumentException("A MAC address is 6 bytes.");
            _spi = spi;
            _reset = reset;
            _interrupt = interrupt;
            _clock = clock;
            Array.Copy(macAddress, _mac, 6);
        }

        public W5500Counters Counters { get { return _counters; } }

        /// <summary>True while the chip is up and socket 0 open.</summary>
        public bool IsRunning { get { return _state == Running; } }

        /// <summary>The result of the last bring-up (the first, or the last recovery).</summary>
        public W5500BringUp LastBringUp { get { return _lastBringUp; } }

        /// <summary>VERSIONR as last read during bring-up.</summary>
        public int LastVersion { get { return _lastVersion; } }

        /// <summary>
        /// Resets the chip (RSTn pulse when wired, then MR.RST), checks VERSIONR and RTR, programs SHAR, gives socket 0 all
        /// 16 KB of RX and TX memory, routes socket 0's RECV interrupt to INTn and opens socket 0 in MACRAW mode.
        /// Not a per-frame call: it sleeps a few milliseconds. Returns a named result; <see cref="Describe"/> words it.
        /// </summary>
        public W5500BringUp Start()
        {
            if (_interrupt != null) _interrupt.SetFallingEdgeListener(this);
            W5500BringUp result = BringUp();
            _everStarted = true;
            return result;
        }

        /// <summary>A clear message for a bring-up result (for the board's boot log or exception).</summary>
        public static string Describe(W5500BringUp result, int version)
        {
            switch (result)
            {
                case W5500BringUp.Ok: return "W5500 up";
                case W5500BringUp.NoChip: return "No W5500 answers: VERSIONR reads 0x" + version.ToString("X2") + " (expected 0x04); check power, chip select, MISO and the SPI mode";
                case W5500BringUp.WrongVersion: return "Not a W5500: VERSIONR reads 0x" + version.ToString("X2") + " (expected 0x04)";
                case W5500BringUp.ResetFailed: return "W5500 reset failed: MR.RST did not clear or RTR is not 0x07D0";
                case W5500BringUp.CommandTimeout: return "W5500 did not accept the OPEN command (Sn_CR stuck)";
                case W5500BringUp.SocketNotOpen: return "W5500 socket 0 did not open in MACRAW mode";
                default: return "W5500 bring-up failed";
            }
        }

        // ---- INetworkInterface ----

        public byte[] MacAddress { get { return _mac; } }

        public void SetMacAddress(byte[] mac, int offset)
        {
            Array.Copy(mac, offset, _mac, 0, 6);
            if (_state == Running) WriteBlock(R.BlockCommon, R.SHAR, _mac, 0, 6);
        }

        public ReceiveFilter Filter { get { return Applied(_filter); } }

        /// <summary>Reopens socket 0 with the matching Sn_MR bits (MFEN, BCASTB, MMB); frames waiting in the chip are lost.</summary>
        public void SetReceiveFilter(ReceiveFilter filter)
        {
            _filter = filter;
            if (_state == Running && !ReopenSocket()) Fault();
        }

        public int MaxFrameLength { get { return R.MaxFrame; } }

        public InterfaceCapabilities Capabilities
        {
            get
            {
                InterfaceCapabilities c = InterfaceCapabilities.LinkDetection | InterfaceCapabilities.HardwareFilter;
                return _interrupt != null ? c | InterfaceCapabilities.FrameReadySignal : c;
            }
        }

        public bool IsLinkUp { get { return _linkUp; } }
        public int LinkUpCount { get { return _counters.LinkUps; } }
        public int LinkDownCount { get { return _counters.LinkDowns; } }

        public bool FrameReady
        {
            get
            {
                if (_state != Running) return _state == Faulted;
                return _batchRemaining > 0 || _interrupt == null || _interruptPending || _clock.NowMilliseconds - _lastPollMs >= FallbackPollMs;
            }
        }

        public void SetFrameReadyListener(IFrameReadyListener listener) { _listener = listener; }

        /// <summary>INTn fell: a frame arrived (socket 0 RECV). Runs on the GPIO event thread.</summary>
        public void OnFallingEdge()
        {
            _interruptPending = true;
            _counters.InterruptEdges++;
            IFrameReadyListener listener = _listener;
            if (listener != null) listener.OnFrameReady(this);
        }

        public ReceiveResult Receive(byte[] buffer, int offset, int capacity, out int length)
        {
            length = 0;
            long now = _clock.NowMilliseconds;
            if (_state != Running)
            {
                if (!TryRecover(now)) return ReceiveResult.NoFrame;
            }
            if (now - _lastHealthMs >= HealthCheckMs && !CheckHealth(now)) return ReceiveResult.ChipError;
            if (_batchRemaining == 0)
            {
                if (!PollDue(now)) return ReceiveResult.NoFrame;
                if (!Snapshot(now)) return ReceiveResult.ChipError;
                if (_batchRemaining == 0) return ReceiveResult.NoFrame;
            }
            return ReceiveFromBatch(buffer, offset, capacity, ref length);
        }

        public bool Send(byte[] buffer, int offset, int length)
        {
            if (_state != Running && !TryRecover(_clock.NowMilliseconds))
            {
                _counters.SendDropsNotRunning++;
                return false;
            }
            if (!_linkUp)
            {
                _counters.SendDropsLinkDown++;
                return false;
            }
            if (length <= 0 || length > R.MaxFrame)
            {
                _counters.SendDropsTooLong++;
                return false;
            }
            if (_sendInFlight && !AwaitSendDone()) return false;

            // The frame, padded to the 60-byte minimum (the chip is not documented to pad), at Sn_TX_WR in socket 0's TX buffer.
            int wire = length < R.MinFrame ? R.MinFrame : length;
            Header(_out, _txWr, R.BlockSocket0Tx, true);
            Array.Copy(buffer, offset, _out, R.HeaderLength, length);
            if (wire > length) Array.Clear(_out, R.HeaderLength + length, wire - length);
            _spi.Write(_out, 0, R.HeaderLength + wire);
            _txWr = (_txWr + wire) & 0xFFFF;
            WriteRegister16(R.BlockSocket0, R.Sn_TX_WR, _txWr);

            // SEND, and in the same burst (Sn_CR, Sn_IR are adjacent) clear the previous frame's completion bit.
            if (_unverifiedCommand != 0 && !AwaitCommandAccepted()) return false;
            Header(_out, R.Sn_CR, R.BlockSocket0, true);
            _out[R.HeaderLength] = R.Sn_CR_SEND;
            _out[R.HeaderLength + 1] = (byte)_irToClear;
            _spi.Write(_out, 0, R.HeaderLength + (_irToClear != 0 ? 2 : 1));
            _irToClear = 0;
            _sendInFlight = true;
            _unverifiedCommand = R.Sn_CR_SEND;
            _counters.FramesSent++;
            return true;
        }

        // ---- receive ----

        private bool PollDue(long now)
        {
            if (_interrupt == null || _interruptPending) return true;
            if (now - _lastPollMs < FallbackPollMs) return false;
            _counters.FallbackPolls++;
            return true;
        }

        /// <summary>
        /// Starts a batch: one burst read of Sn_RX_RSR. Sn_RX_RD is not read: only the host moves it after OPEN, so the
        /// driver's copy is the chip's. The chip counts whole received frames only, so a snapshot read in one piece ends on
        /// a frame boundary; one that does not (a frame straddles its end, or it is out of range) is read again
        /// (<see cref="Resnapshot"/>). False (counted) when the chip is out of step or the bus gave no stable answer.
        /// </summary>
        private bool Snapshot(long now)
        {
            _lastPollMs = now;
            if (_interrupt != null)
            {
                // Clear RECV first: a frame landing after this re-asserts INTn, one landing before is in the RSR read below.
                _interruptPending = false;
                WriteRegister8(R.BlockSocket0, R.Sn_IR, R.Sn_IR_RECV | _irToClear);
                _irToClear = 0;
            }
            // One 2-byte burst, as Linux w5100.c reads it. A read of 0 needs no second: nothing is consumed on it, and a
            // frame landing meanwhile raises INTn or the next poll.
            int rsr = ReadRegister16(R.BlockSocket0, R.Sn_RX_RSR);
            if (rsr == 0) return true;
            _batchRemaining = rsr;
            _buffered = 0;
            _counters.RxBatches++;
            if (rsr > R.BufferBytes || rsr < R.LengthHeader + R.MinFrame) return Resnapshot(R.LengthHeader + R.MinFrame);
            return true;
        }

        /// <summary>
        /// The snapshot ends before the <paramref name="needed"/> bytes of the next frame (or is out of range): a consistent
        /// Sn_RX_RSR cannot, but one whose bytes straddled an update can (ioLibrary and ESP-IDF read its two bytes in two
        /// transactions, hence their read-until-equal). Sn_RX_RSR is read again: the same value means the snapshot was
        /// real and the length header is not (corrupt length, socket reopened); a new value, counted from the chip's
        /// Sn_RX_RD, replaces the snapshot. Three new values in a row that still fall short: <c>RxUnstableSize</c>.
        /// </summary>
        private bool Resnapshot(int needed)
        {
            int previous = _batchRemaining + _uncommitted; // what Sn_RX_RSR should still read if nothing landed
            for (int attempt = 0; attempt < 3; attempt++)
            {
                int rsr = ReadRegister16(R.BlockSocket0, R.Sn_RX_RSR);
                if (rsr == previous)
                {
                    CorruptLength();
                    return false;
                }
                previous = rsr;
                int remaining = rsr - _uncommitted;
                if (rsr <= R.BufferBytes && remaining >= needed)
                {
                    _batchRemaining = remaining;
                    return true;
                }
            }
            _counters.RxUnstableSize++;
            EndBatch();
            return false;
        }

        private ReceiveResult ReceiveFromBatch(byte[] buffer, int offset, int capacity, ref int length)
        {
            if (_buffered < R.LengthHeader) Fill();
            int header = Be16(_in, _bufferAt);
            int frame = header - R.LengthHeader;
            if (frame < R.MinFrame || frame > R.MaxFrame)
            {
                CorruptLength();
                return ReceiveResult.ChipError;
            }
            if (header > _batchRemaining && !Resnapshot(header)) return ReceiveResult.ChipError;
            if (frame > capacity)
            {
                _counters.RxOversize++;
                Consume(header);
                return ReceiveResult.DroppedOversize;
            }
            if (_buffered < header) Fill();
            Array.Copy(_in, _bufferAt + R.LengthHeader, buffer, offset, frame);
            Consume(header);
            _counters.FramesReceived++;
            length = frame;
            return ReceiveResult.Frame;
        }

        /// <summary>
        /// Reads on through the snapshot: the bytes already read of the next frame move to the front of the buffer and as
        /// much of the rest of the snapshot as fits (a whole maximum frame with its header always does) is read after them
        /// in one transaction. Every byte of the snapshot is read once; a batch costs one SPI header per buffer-full, at
        /// most one per frame. Only bytes the chip counted as received are read, and the chip gets back only consumed ones.
        /// </summary>
        private void Fill()
        {
            int kept = _buffered;
            if (kept > 0 && _bufferAt != R.HeaderLength) Array.Copy(_in, _bufferAt, _in, R.HeaderLength, kept);
            _bufferAt = R.HeaderLength;
            int count = _batchRemaining - kept;
            if (count > BufferData - kept) count = BufferData - kept;
            // The transfer's first 3 bytes (clocked out while the SPI header goes in) land just before the new data, on
            // the last kept bytes: put those back afterwards.
            int at = kept;
            byte k0 = _in[at], k1 = _in[at + 1], k2 = _in[at + 2];
            Header(_out, (_rd + kept) & 0xFFFF, R.BlockSocket0Rx, false);
            _spi.TransferFullDuplex(_out, 0, _in, at, R.HeaderLength + count);
            if (kept > 0)
            {
                _in[at] = k0;
                _in[at + 1] = k1;
                _in[at + 2] = k2;
            }
            _buffered = kept + count;
        }

        private void Consume(int bytes)
        {
            if (_buffered >= bytes)
            {
                _bufferAt += bytes;
                _buffered -= bytes;
            }
            else _buffered = 0; // an oversize frame skipped before it was read whole
            _rd = (_rd + bytes) & 0xFFFF;
            _batchRemaining -= bytes;
            _uncommitted += bytes;
            if (_batchRemaining < R.LengthHeader) EndBatch(); // a stray byte would be caught by the next snapshot
            else if (_uncommitted >= CommitBytes) Commit();
        }

        /// <summary>Ends the batch, handing back what was consumed.</summary>
        private void EndBatch()
        {
            _batchRemaining = 0;
            _buffered = 0;
            if (_uncommitted > 0) Commit();
        }

        /// <summary>Hands consumed bytes back to the chip: Sn_RX_RD, then RECV.</summary>
        private void Commit()
        {
            WriteRegister16(R.BlockSocket0, R.Sn_RX_RD, _rd);
            if (!Command(R.Sn_CR_RECV)) return;
            _uncommitted = 0;
            _counters.RxCommits++;
        }

        /// <summary>A length header that cannot be right: the ring is out of step. Close and reopen socket 0 (the chip resets its pointers).</summary>
        private void CorruptLength()
        {
            _counters.RxCorruptLength++;
            if (!ReopenSocket()) Fault();
        }

        // ---- transmit ----

        /// <summary>
        /// Waits for the frame in flight: SEND_OK or TIMEOUT in Sn_IR. When a later command (RECV) may still be pending,
        /// Sn_CR is read in the same transaction (adjacent registers); otherwise Sn_IR alone (a completed SEND was accepted).
        /// </summary>
        private bool AwaitSendDone()
        {
            for (int i = 0; i < SendPolls; i++)
            {
                int ir;
                if (_unverifiedCommand != 0 && _unverifiedCommand != R.Sn_CR_SEND)
                {
                    ReadRegisters(R.BlockSocket0, R.Sn_CR, 2);
                    if (_reg[R.HeaderLength] != 0) continue;
                    ir = _reg[R.HeaderLength + 1];
                }
                else ir = ReadRegister8(R.BlockSocket0, R.Sn_IR);
                if ((ir & (R.Sn_IR_SENDOK | R.Sn_IR_TIMEOUT)) != 0) _unverifiedCommand = 0;
                if ((ir & R.Sn_IR_SENDOK) != 0)
                {
                    _irToClear |= R.Sn_IR_SENDOK;
                    _sendInFlight = false;
                    return true;
                }
                if ((ir & R.Sn_IR_TIMEOUT) != 0)
                {
                    _counters.SendTimeouts++;
                    _irToClear |= R.Sn_IR_TIMEOUT;
                    _sendInFlight = false;
                    return true;
                }
            }
            if (ReadRegister8(R.BlockSocket0, R.Sn_CR) != 0) _counters.CommandTimeouts++; // SEND never accepted
            else _counters.SendStuck++;                                                     // accepted, never completed
            Fault();
            return false;
        }

        // ---- commands ----

        /// <summary>
        /// Writes a socket 0 command once the previous one was seen accepted. False (counted, chip faulted) when Sn_CR
        /// stays set. A RECV after a RECV needs no check: RECV latches Sn_RX_RD when the chip executes it, and Sn_RX_RD
        /// was written again first, so the later RECV does whatever the earlier one would have. A RECV left unchecked is
        /// checked by the next other command or the next health read (a stuck Sn_CR is found there).
        /// </summary>
        private bool Command(int command)
        {
            bool subsumes = command == R.Sn_CR_RECV && _unverifiedCommand == R.Sn_CR_RECV;
            if (_unverifiedCommand != 0 && !subsumes && !AwaitCommandAccepted()) return false;
            WriteRegister8(R.BlockSocket0, R.Sn_CR, command);
            _unverifiedCommand = command;
            return true;
        }

        private bool AwaitCommandAccepted()
        {
            for (int i = 0; i < CommandPolls; i++)
            {
                if (ReadRegister8(R.BlockSocket0, R.Sn_CR) == 0)
                {
                    _unverifiedCommand = 0;
                    return true;
                }
            }
            _counters.CommandTimeouts++;
            Fault();
            return false;
        }

        // ---- bring-up, health, recovery ----

        private W5500BringUp BringUp()
        {
            _state = Stopped;
            ResetBatch();
            _sendInFlight = false;
            _irToClear = 0;
            _unverifiedCommand = 0;
            _linkUp = false;
            if (_reset != null)
            {
                _reset.Write(false);
                Thread.Sleep(1);  // RSTn low >= 500 us (datasheet 5.5.1, Trc)
                _reset.Write(true);
                Thread.Sleep(2);  // >= 1 ms for the PLL to lock before the first SPI access (Tpl)
            }
            W5500BringUp result = Initialise();
            _lastBringUp = result;
            if (result != W5500BringUp.Ok)
            {
                _counters.BringUpFailures++;
                _state = Faulted;
                _recoverAtMs = _clock.NowMilliseconds + RecoveryIntervalMs;
                return result;
            }
            long now = _clock.NowMilliseconds;
            _state = Running;
            _lastPollMs = now - FallbackPollMs; // poll at once: frames may have arrived during bring-up
            _lastHealthMs = now;
            ReadRegisters(R.BlockCommon, R.PHYCFGR, 1);
            SetLink((_reg[R.HeaderLength] & R.PHYCFGR_LNK) != 0, true);
            return result;
        }

        private W5500BringUp Initialise()
        {
            // Some units read VERSIONR as 0 right after reset (ESP-IDF polls it): give it a few tries.
            int version = 0;
            for (int i = 0; i < 10; i++)
            {
                version = ReadRegister8(R.BlockCommon, R.VERSIONR);
                if (version == R.Version) break;
                Thread.Sleep(1);
            }
            _lastVersion = version;
            if (version == 0xFF || version == 0x00) return W5500BringUp.NoChip;
            if (version != R.Version) return W5500BringUp.WrongVersion;

            WriteRegister8(R.BlockCommon, R.MR, R.MR_RST);
            bool cleared = false;
            for (int i = 0; i < CommandPolls && !cleared; i++) cleared = (ReadRegister8(R.BlockCommon, R.MR) & R.MR_RST) == 0;
            ReadRegisters(R.BlockCommon, R.RTR, 2);
            if (!cleared || Be16(_reg, R.HeaderLength) != R.RTR_Reset) return W5500BringUp.ResetFailed;

            WriteBlock(R.BlockCommon, R.SHAR, _mac, 0, 6);
            // All 16 KB of each direction to socket 0: shrink the others first so the total never exceeds 16 KB.
            for (int s = 1; s < R.SocketCount; s++) WriteRegister16(R.SocketBlock(s), R.Sn_RXBUF_SIZE, 0);
            WriteRegister16(R.BlockSocket0, R.Sn_RXBUF_SIZE, (R.BufferKilobytes << 8) | R.BufferKilobytes);
            WriteRegister8(R.BlockCommon, R.SIMR, 0x01);                  // socket 0 to INTn
            WriteRegister8(R.BlockSocket0, R.Sn_IMR, R.Sn_IR_RECV);      // only RECV asserts INTn; SEND completion is polled
            return OpenSocket();
        }

        private W5500BringUp OpenSocket()
        {
            WriteRegister8(R.BlockSocket0, R.Sn_MR, SocketMode(_filter));
            WriteRegister8(R.BlockSocket0, R.Sn_CR, R.Sn_CR_OPEN);
            _unverifiedCommand = R.Sn_CR_OPEN;
            bool accepted = false;
            for (int i = 0; i < CommandPolls && !accepted; i++) accepted = ReadRegister8(R.BlockSocket0, R.Sn_CR) == 0;
            if (!accepted)
            {
                _counters.CommandTimeouts++;
                return W5500BringUp.CommandTimeout;
            }
            _unverifiedCommand = 0;
            if (ReadRegister8(R.BlockSocket0, R.Sn_SR) != R.Sn_SR_MACRAW) return W5500BringUp.SocketNotOpen;
            // Sn_TX_FSR (stable read) must be the whole buffer; Sn_TX_WR and Sn_RX_RD are shadowed from here on (only the
            // host moves them after OPEN).
            ReadRegisters(R.BlockSocket0, R.Sn_TX_FSR, R.Sn_RX_RD + 2 - R.Sn_TX_FSR);
            int fsr = Be16(_reg, R.HeaderLength);
            _txWr = Be16(_reg, R.HeaderLength + R.Sn_TX_WR - R.Sn_TX_FSR);
            int rxRd = Be16(_reg, R.HeaderLength + R.Sn_RX_RD - R.Sn_TX_FSR);
            ReadRegisters(R.BlockSocket0, R.Sn_TX_FSR, 2);
            if (fsr != R.BufferBytes || Be16(_reg, R.HeaderLength) != fsr) return W5500BringUp.SocketNotOpen;
            ResetBatch();
            _rd = rxRd;
            _sendInFlight = false;
            return W5500BringUp.Ok;
        }

        /// <summary>CLOSE then OPEN socket 0: the chip reinitialises its ring pointers. Frames waiting in it are lost.</summary>
        private bool ReopenSocket()
        {
            _counters.SocketReopens++;
            if (!Command(R.Sn_CR_CLOSE)) return false;
            if (!AwaitCommandAccepted()) return false;
            W5500BringUp result = OpenSocket();
            if (result == W5500BringUp.Ok) return true;
            _lastBringUp = result;
            return false;
        }

        /// <summary>
        /// Reads PHYCFGR..VERSIONR in one transaction: link state, and the chip is still the chip. A command not yet seen
        /// accepted (RECVs follow each other unchecked) is checked here too, so a stuck Sn_CR is found within a period.
        /// </summary>
        private bool CheckHealth(long now)
        {
            _lastHealthMs = now;
            int span = R.VERSIONR - R.PHYCFGR + 1;
            ReadRegisters(R.BlockCommon, R.PHYCFGR, span);
            if (_reg[R.HeaderLength + span - 1] != R.Version)
            {
                _counters.ChipLost++;
                SetLink(false, false);
                Fault();
                return false;
            }
            SetLink((_reg[R.HeaderLength] & R.PHYCFGR_LNK) != 0, false);
            return _unverifiedCommand == 0 || AwaitCommandAccepted();
        }

        private void SetLink(bool up, bool atBringUp)
        {
            if (up == _linkUp) return;
            _linkUp = up;
            if (up && !atBringUp) _counters.LinkUps++;
            if (!up) _counters.LinkDowns++;
        }

        private void Fault()
        {
            _state = Faulted;
            _recoverAtMs = _clock.NowMilliseconds; // the next call tries at once; later attempts are spaced
            ResetBatch();
        }

        private bool TryRecover(long now)
        {
            if (_state != Faulted || now < _recoverAtMs || !_everStarted) return false;
            _counters.Resets++;
            return BringUp() == W5500BringUp.Ok;
        }

        private void ResetBatch()
        {
            _batchRemaining = 0;
            _uncommitted = 0;
            _buffered = 0;
        }

        private static ReceiveFilter Applied(ReceiveFilter requested)
        {
            if ((requested & ReceiveFilter.Promiscuous) != 0) return ReceiveFilter.Promiscuous;
            return requested | ReceiveFilter.Unicast; // the MAC filter always passes the station address
        }

        private static int SocketMode(ReceiveFilter filter)
        {
            filter = Applied(filter);
            if (filter == ReceiveFilter.Promiscuous) return R.Sn_MR_MACRAW;
            int mode = R.Sn_MR_MACRAW | R.Sn_MR_MFEN;
            if ((filter & ReceiveFilter.Broadcast) == 0) mode |= R.Sn_MR_BCASTB;
            if ((filter & ReceiveFilter.Multicast) == 0) mode |= R.Sn_MR_MMB;
            return mode;
        }

        // ---- SPI frames ----

        private static void Header(byte[] frame, int address, int block, bool write)
        {
            frame[0] = (byte)(address >> 8);
            frame[1] = (byte)address;
            frame[2] = (byte)R.Control(block, write);
        }

        private static int Be16(byte[] b, int i) { return (b[i] << 8) | b[i + 1]; }

        /// <summary>Reads <paramref name="count"/> (≤ 12) register bytes at <paramref name="address"/> of <paramref name="block"/> into _reg[3..].</summary>
        private void ReadRegisters(int block, int address, int count)
        {
            Header(_out, address, block, false);
            _spi.TransferFullDuplex(_out, 0, _reg, 0, R.HeaderLength + count);
        }

        private int ReadRegister16(int block, int address)
        {
            ReadRegisters(block, address, 2);
            return Be16(_reg, R.HeaderLength);
        }

        private int ReadRegister8(int block, int address)
        {
            ReadRegisters(block, address, 1);
            return _reg[R.HeaderLength];
        }

        private void WriteRegister8(int block, int address, int value)
        {
            Header(_out, address, block, true);
            _out[R.HeaderLength] = (byte)value;
            _spi.Write(_out, 0, R.HeaderLength + 1);
        }

        private void WriteRegister16(int block, int address, int value)
        {
            Header(_out, address, block, true);
            _out[R.HeaderLength] = (byte)(value >> 8);
            _out[R.HeaderLength + 1] = (byte)value;
            _spi.Write(_out, 0, R.HeaderLength + 2);
        }

        private void WriteBlock(int block, int address, byte[] data, int offset, int count)
        {
            Header(_out, address, block, true);
            Array.Copy(data, offset, _out, R.HeaderLength, count);
            _spi.Write(_out, 0, R.HeaderLength + count);
        }
    }
}
