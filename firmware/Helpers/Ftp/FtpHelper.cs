using Router.Conntrack;
using Router.Hal;
using Router.Ip;
using Router.Nat;
using Router.Wire;

namespace Router.Helpers.Ftp
{
    /// <summary>
    /// The FTP application-level gateway (netfilter's nf_conntrack_ftp + nf_nat_ftp). On control connections to the
    /// configured ports it reads the lines of each direction as a stream, from the end of the TCP handshake on:
    /// a LAN client's PORT/EPRT naming itself is rewritten to the WAN address and an outside port; a LAN server's 227
    /// (behind a forward of its control port) likewise, and its 229 is admitted as is. Each creates one expectation for
    /// the data connection. Length changes are carried by the <see cref="SequenceAdjuster"/>. Inspection stops once
    /// AUTH TLS is accepted. Nothing here allocates after construction.
    /// </summary>
    public sealed class FtpHelper : IConnectionHelper, IConnectionListener, ISequenceOffsets
    {
        private const byte Cr = 13;
        private const byte Lf = 10;

        // Static fields, not literals: an ldstr allocates 12 B on nanoCLR each time it runs.
        private static readonly string PortPrefix = "PORT ";
        private static readonly string EprtPrefix = "EPRT ";
        private static readonly string PassivePrefix = "227 ";
        private static readonly string ExtendedPassivePrefix = "229 ";

        private readonly ConnectionTable _connections;
        private readonly NatEngine _nat;
        private readonly RouterSettings _router;
        private readonly FtpHelperSettings _settings;
        private readonly IRandomSource _random;
        private readonly FtpSessions _sessions;
        private readonly FtpLineBuffers _held;
        private readonly SequenceAdjuster _sequences;
        private readonly ExpectationTable _expectations;
        private readonly FtpLine _line = new FtpLine();
        private readonly byte[] _text = new byte[32];

        public readonly FtpCounters Counters = new FtpCounters();

        /// <summary>Where to report a forwarded FTPS server (the web UI's event log), or null.</summary>
        public IStatusEventSink Events;

        // The packet being inspected. _shift is how many bytes earlier changes in this packet added (negative: removed),
        // so a payload index maps back to the sender's sequence number.
        private ParsedPacket _p;
        private int _connection;
        private int _slot;
        private int _stream;
        private int _direction;
        private int _payload;
        private uint _seq;
        private int _shift;
        private bool _changed;
        private bool _hasChange;
        private uint _changePosition;
        private int _changeDelta;
        private int _reservedMapping;
        private uint _now;
        // Set when a line that must be rewritten cannot be: the segment is dropped rather than leak the inside address.
        private bool _drop;

        public FtpHelper(Capacities capacities, NatEngine nat, RouterSettings router, FtpHelperSettings settings, IRandomSource random)
        {
            _connections = nat.Connections;
            _nat = nat;
            _router = router;
            _settings = settings;
            _random = random;
            _sessions = new FtpSessions(capacities.HelperConnections);
            _held = new FtpLineBuffers(capacities.HelperConnections);
            _sequences = new SequenceAdjuster(capacities.HelperConnections);
            settings.Counters = Counters;
            _expectations = new ExpectationTable(capacities.Expectations, nat.Mappings, settings);
            _connections.AddListener(this);
        }

        public FtpHelperSettings Settings { get { return _settings; } }
        public ExpectationTable Expectations { get { return _expectations; } }
        public FtpSessions Sessions { get { return _sessions; } }
        public SequenceAdjuster Sequences { get { return _sequences; } }

        /// <summary>Makes the helper live: NAT offers it new connections and asks its expectations about inbound ones.</summary>
        public void Register()
        {
            _nat.Helper = this;
            _nat.AddInboundRule(_expectations);
            _nat.Tcp.Offsets = this;
        }

        public int OffsetAt(int connection, int direction, uint sequence)
        {
            if (!_connections.HasStatus(connection, ConnectionTable.StatusHelper)) return 0;
            int slot = _connections.Link(connection);
            return slot < 0 ? 0 : _sequences.OffsetAt(slot, direction, sequence);
        }

        public bool Attach(int connection)
        {
            if (!_settings.Enabled || _connections.Protocol(connection) != IpProtocol.Tcp) return false;
            if (RelateObservedData(connection)) return false;
            int status = _connections.Status(connection);
            int original = connection * 2;
            int role;
            if ((status & (ConnectionTable.StatusSourceNat | ConnectionTable.StatusDestinationNat)) == ConnectionTable.StatusSourceNat)
            {
                if (!_settings.IsControlPort(_connections.DestinationPort(original))) return false;
                role = FtpSessions.LanClient;
            }
            else if ((status & (ConnectionTable.StatusSourceNat | ConnectionTable.StatusDestinationNat | ConnectionTable.StatusInboundMapped)) == ConnectionTable.StatusDestinationNat)
            {
                // A forward may move the port (WAN 2121 to the server's 21): either side's port names the service.
                if (!_settings.IsControlPort(_connections.DestinationPort(original)) && !_settings.IsControlPort(_connections.SourcePort(original + 1))) return false;
                role = FtpSessions.LanServer;
            }
            else
            {
                return false;
            }
            int slot = _sessions.Allocate(connection, role);
            if (slot < 0 && ReclaimClosingSlot()) slot = _sessions.Allocate(connection, role);
            if (slot < 0)
            {
                Counters.Increment(FtpCounters.RefusedNoSlot);
                return false;
            }
            _held.Reset(slot * 2);
            _held.Reset(slot * 2 + 1);
            _sequences.Reset(slot);
            _connections.SetLink(connection, slot);
            return true;
        }

        public HelperVerdict Process(ParsedPacket packet, int connection, int direction, uint now)
        {
            int slot = _connections.Link(connection);
            if (slot < 0 || packet.Protocol != IpProtocol.Tcp) return HelperVerdict.Pass;
            _expectations.Sweep(now);
            if ((packet.TcpFlags & TcpSegment.Syn) != 0)
            {
                _sessions.Begin(slot * 2 + direction, TcpSegment.SequenceNumber(packet.Buffer, packet.TransportOffset) + 1);
            }
            else if (_settings.Enabled && _sessions.Inspecting(slot) && _connections.State(connection) == TcpState.Established)
            {
                if (Inspect(packet, connection, slot, direction, now) == HelperVerdict.Drop) return HelperVerdict.Drop;
            }
            // Every later segment needs the offsets, whether or not it is still inspected.
            _sequences.Adjust(packet, slot, direction);
            int state = _connections.State(connection);
            if (state == TcpState.TimeWait || state == TcpState.Close)
            {
                // Closed (FIN both ways and the last ACK, or RST): the slot follows the session, not the conntrack
                // entry that lingers in TIME_WAIT for minutes.
                FreeSlot(connection, slot);
                Counters.Increment(FtpCounters.SlotsFreed);
            }
            return HelperVerdict.Pass;
        }

        /// <summary>Every slot is busy: take one whose control connection is closing (a FIN seen), if any.</summary>
        private bool ReclaimClosingSlot()
        {
            for (int slot = 0; slot < _sessions.Capacity; slot++)
            {
                int connection = _sessions.Connection(slot);
                if (connection < 0) continue;
                int state = _connections.State(connection);
                if (state < TcpState.FinWait) continue;
                FreeSlot(connection, slot);
                Counters.Increment(FtpCounters.SlotsReclaimed);
                return true;
            }
            return false;
        }

        private void FreeSlot(int connection, int slot)
        {
            ReleaseSlot(slot);
            _connections.SetLink(connection, -1); // still StatusHelper: its expectations go when the entry goes
        }

        private void ReleaseSlot(int slot)
        {
            _sessions.Free(slot);
            _held.Reset(slot * 2);
            _held.Reset(slot * 2 + 1);
            _sequences.Reset(slot);
        }

        /// <summary>
        /// A new connection from inside to the data endpoint a session named without needing the helper (a LAN client
        /// in passive mode, a LAN server in active mode) is that session's data connection: relate it, so its traffic
        /// keeps the control connection alive as admitted data connections do.
        /// </summary>
        private bool RelateObservedData(int connection)
        {
            int original = connection * 2;
            if (!_connections.HasStatus(connection, ConnectionTable.StatusSourceNat)) return false;
            uint source = _connections.SourceAddress(original);
            uint destination = _connections.DestinationAddress(original);
            int port = _connections.DestinationPort(original);
            for (int slot = 0; slot < _sessions.Capacity; slot++)
            {
                int master = _sessions.Connection(slot);
                if (master < 0 || _sessions.ObservedPort(slot) != port || _sessions.ObservedAddress(slot) != destination) continue;
                uint inside = _sessions.Role(slot) == FtpSessions.LanClient ? _connections.SourceAddress(master * 2) : _connections.SourceAddress(master * 2 + 1);
                if (inside != source) continue;
                _connections.AddStatus(connection, ConnectionTable.StatusRelated);
                _connections.SetLink(connection, master);
                Counters.Increment(FtpCounters.DataConnectionsObserved);
                return true;
            }
            return false;
        }

        public void OnConnectionFreed(int connection)
        {
            if (!_connections.HasStatus(connection, ConnectionTable.StatusHelper)) return;
            int slot = _connections.Link(connection);
            if (slot >= 0)
            {
                // The entry timed out or was evicted while its session held the slot.
                ReleaseSlot(slot);
                Counters.Increment(FtpCounters.SlotsFreed);
            }
            _expectations.RemoveFor(connection);
        }

        private HelperVerdict Inspect(ParsedPacket p, int connection, int slot, int direction, uint now)
        {
            int stream = slot * 2 + direction;
            _payload = TcpSegment.PayloadOffset(p.Buffer, p.TransportOffset);
            int length = p.IpOffset + p.TotalLength - _payload;
            if (length <= 0 || !_sessions.Started(stream)) return HelperVerdict.Pass;
            _p = p;
            _connection = connection;
            _slot = slot;
            _stream = stream;
            _direction = direction;
            _now = now;
            _shift = 0;
            _changed = false;
            _hasChange = false;
            _changeDelta = 0;
            _drop = false;

            uint seq = TcpSegment.SequenceNumber(p.Buffer, p.TransportOffset);
            uint next = _sessions.Next(stream);
            int lineState = _sessions.LineState(stream);
            int held = _held.Length(stream);
            bool passUninspected = false;
            if (held > 0)
            {
                uint heldStart = _held.Sequence(stream);
                if (seq == next)
                {
                    // The rest of a held line: put its start back in front and read the line whole.
                    if (!FtpPayloadRewriter.Replace(p, _payload, 0, _held.Bytes, _held.Offset(stream), held, _router.WanMtu))
                    {
                        Counters.Increment(FtpCounters.RefusedTooBig);
                        return HelperVerdict.Drop; // the sender retransmits from the held line's start
                    }
                    TcpSegment.SetSequenceNumber(p.Buffer, p.TransportOffset, heldStart);
                    seq = heldStart;
                    length += held;
                    _changed = true;
                    Counters.Increment(FtpCounters.SplitLinesJoined);
                }
                else if (!Covers(seq, length, heldStart))
                {
                    return HelperVerdict.Pass;
                }
                else
                {
                    // The sender resends the held line's start: it waits for an ACK that holding withholds (a command
                    // typed one byte per segment, a lost segment). Pass the line on uninspected rather than wedge it.
                    passUninspected = true;
                    Counters.Increment(FtpCounters.LinesPassedUninspected);
                }
                // Either way the segment now carries the held line from its start.
                _held.Clear(stream);
                next = heldStart;
                lineState = passUninspected ? FtpSessions.InLine : FtpSessions.AtLineStart;
            }
            _seq = seq;
            uint end = seq + (uint)length;

            // A retransmission reaching back to the rewritten line is rewritten the same way (first: it moves what follows).
            if (_sessions.HasRewrite(stream))
            {
                uint at = _sessions.RewritePosition(stream);
                if (Before(at, next) && Covers(seq, length, at)) RedoLine(IndexOf(at));
            }
            if (Covers(seq, length, next))
            {
                lineState = ReadLines(IndexOf(next), lineState);
                if (!_drop) _sessions.Advance(stream, end, lineState); // a dropped segment is read again when it is resent
            }

            // netfilter's nf_nat_ftp drops what it cannot mangle ("cannot mangle packet", "all ports in use"); nothing
            // was recorded for this segment, and the sender retransmits it.
            if (_drop) return HelperVerdict.Drop;
            if (_hasChange) _sequences.Record(slot, direction, _changePosition, _changeDelta);
            if (_changed) FtpPayloadRewriter.FinishChecksum(p);
            return HelperVerdict.Pass;
        }

        /// <summary>Reads lines from <paramref name="i"/> to the end of the payload. Returns the line state at the end.</summary>
        private int ReadLines(int i, int lineState)
        {
            byte[] b = _p.Buffer;
            int end = PayloadEnd;
            if (lineState != FtpSessions.AtLineStart)
            {
                // netfilter's rule (nf_conntrack_ftp find_nl_seq): only a segment that follows a newline-ended one is
                // parsed. This one continues a line: a verb in it is data, and one placed here on purpose is an injection.
                if (FtpLineParser.StartsWithEndpointVerb(b, i, end) || FtpLineParser.HasVerbAfterBareLineFeed(b, i, end)) Counters.Increment(FtpCounters.RefusedNotAtLineStart);
                int lineEnd = lineState == FtpSessions.InLineAfterCr && i < end && b[i] == Lf ? i - 1 : FtpLineParser.FindLineEnd(b, i, end);
                if (lineEnd >= 0 && lineEnd + 2 < end) Counters.Increment(FtpCounters.SegmentsNotAtLineStart);
                return StateAfter(b, i, end, lineState);
            }
            while (i < end && _sessions.Inspecting(_slot))
            {
                int lineEnd = FtpLineParser.FindLineEnd(b, i, end);
                if (lineEnd < 0) return Unfinished(i, end);
                int delta = HandleLine(i, lineEnd);
                i = lineEnd + delta + 2;
                end += delta;
            }
            return i < end ? StateAfter(b, i, end, FtpSessions.AtLineStart) : FtpSessions.AtLineStart;
        }

        /// <summary>The line state after the unparsed bytes [<paramref name="start"/>, <paramref name="end"/>) read in <paramref name="lineState"/>.</summary>
        private static int StateAfter(byte[] b, int start, int end, int lineState)
        {
            if (end <= start) return lineState;
            byte last = b[end - 1];
            if (last == Cr) return FtpSessions.InLineAfterCr;
            if (last == Lf && (end - 1 > start ? b[end - 2] == Cr : lineState == FtpSessions.InLineAfterCr)) return FtpSessions.AtLineStart;
            return FtpSessions.InLine;
        }

        /// <summary>A line started but not finished in this segment: held back when it may name a data endpoint.</summary>
        private int Unfinished(int start, int end)
        {
            byte[] b = _p.Buffer;
            if (MayNameEndpoint(b, start, end) && (_p.TcpFlags & TcpSegment.Fin) == 0)
            {
                if (_held.Holds(_stream, SequenceAt(start)) >= FtpLineBuffers.MaxHolds)
                {
                    // Held back in too many segments already: pass it on, uninspected, and read the rest as data.
                    Counters.Increment(FtpCounters.LinesPassedUninspected);
                    return StateAtEnd(b, start, end);
                }
                if (_held.Hold(_stream, SequenceAt(start), b, start, end - start))
                {
                    FtpPayloadRewriter.Replace(_p, start, end - start, null, 0, 0, int.MaxValue);
                    _changed = true;
                    return FtpSessions.InLine;
                }
                Counters.Increment(FtpCounters.LinesOverlong);
            }
            return StateAtEnd(b, start, end);
        }

        /// <summary>Handles the retransmitted line at <paramref name="start"/> (it was rewritten before).</summary>
        private void RedoLine(int start)
        {
            int lineEnd = FtpLineParser.FindLineEnd(_p.Buffer, start, PayloadEnd);
            // Without its end the line cannot be redone; the receiver already holds these bytes and discards them.
            if (lineEnd >= 0) HandleLine(start, lineEnd);
        }

        /// <summary>Acts on one complete line [start, lineEnd). Returns how much the line's length changed.</summary>
        private int HandleLine(int start, int lineEnd)
        {
            byte[] b = _p.Buffer;
            Counters.Increment(FtpCounters.CommandsSeen);
            if (lineEnd - start > FtpLineParser.MaxLineLength)
            {
                Counters.Increment(FtpCounters.LinesOverlong);
                return 0;
            }
            if (FtpLineParser.HasVerbAfterBareLineFeed(b, start, lineEnd)) Counters.Increment(FtpCounters.RefusedNotAtLineStart);
            bool fromClient = _direction == ConnectionTable.Original;
            if (fromClient ? !IsCommand(start, lineEnd) : !IsReplyToActOn(start, lineEnd)) return 0;
            int role = _sessions.Role(_slot);
            switch (FtpLineParser.Parse(b, start, lineEnd, _line))
            {
                case FtpLine.Port:
                case FtpLine.Eprt:
                    if (fromClient && role == FtpSessions.LanClient) return ActiveMode(start);
                    if (fromClient) _sessions.Observe(_slot, _line.Address, _line.DataPort); // the LAN server will connect there
                    return 0;
                case FtpLine.Passive:
                    if (!fromClient && role == FtpSessions.LanServer) return PassiveMode(start);
                    if (!fromClient) _sessions.Observe(_slot, _line.Address, _line.DataPort); // the LAN client will connect there
                    return 0;
                case FtpLine.ExtendedPassive:
                    if (!fromClient && role == FtpSessions.LanServer)
                    {
                        ExtendedPassiveMode(start);
                        return 0;
                    }
                    if (!fromClient) _sessions.Observe(_slot, _connections.DestinationAddress(_connection * 2), _line.DataPort);
                    return 0;
                case FtpLine.Auth:
                    if (fromClient) _sessions.SetAuthRequested(_slot);
                    return 0;
                case FtpLine.AuthAccepted:
                    if (!fromClient && _sessions.AuthRequested(_slot))
                    {
                        // From here on the control connection is TLS: nothing readable, nothing to rewrite.
                        _sessions.StopInspecting(_slot);
                        Counters.Increment(FtpCounters.TlsStopped);
                        if (role == FtpSessions.LanServer) ReportFtpsServer();
                    }
                    return 0;
                case FtpLine.Garbled:
                    Counters.Increment(FtpCounters.LinesGarbled);
                    return 0;
            }
            Counters.Increment(FtpCounters.LinesUnknown);
            return 0;
        }

        /// <summary>
        /// A client line must be an FTP command sent after the server's greeting (RFC 959 5.4); anything else (an HTTP
        /// request on the control port, NAT slipstreaming's POST) ends inspection of this connection for good.
        /// </summary>
        private bool IsCommand(int start, int lineEnd)
        {
            if (_sessions.Greeted(_slot) && FtpConformance.IsKnownCommand(_p.Buffer, start, lineEnd)) return true;
            StopAsNotFtp();
            return false;
        }

        /// <summary>
        /// A server line must be a reply (RFC 959 4.2), the first one 120, 220 or 421; text inside a multi-line reply is
        /// accepted but never acted on. False for lines not to act on; a line that is no reply ends inspection for good.
        /// </summary>
        private bool IsReplyToActOn(int start, int lineEnd)
        {
            byte[] b = _p.Buffer;
            int code = FtpConformance.ReplyCode(b, start, lineEnd);
            int multiline = _sessions.MultilineCode(_slot);
            if (multiline != 0)
            {
                if (code != multiline || FtpConformance.OpensMultiline(b, start, lineEnd)) return false; // text of the reply
                _sessions.SetMultilineCode(_slot, 0);
                return true;
            }
            if (code < 0 || (!_sessions.Greeted(_slot) && code != 220 && code != 120 && code != 421))
            {
                StopAsNotFtp();
                return false;
            }
            if (code == 220) _sessions.SetGreeted(_slot);
            if (FtpConformance.OpensMultiline(b, start, lineEnd))
            {
                _sessions.SetMultilineCode(_slot, code);
                return false;
            }
            return true;
        }

        /// <summary>
        /// A forwarded server went FTPS: its 227/229 are now encrypted, so its passive data connections reach it only
        /// through a forwarded port range, and only if it announces the WAN address. Tell the admin which server.
        /// </summary>
        private void ReportFtpsServer()
        {
            Counters.Increment(FtpCounters.FtpsServers);
            IStatusEventSink events = Events;
            if (events != null) events.Record((long)_now * 1000, StatusEvent.FtpsServer, _connections.SourceAddress(_connection * 2 + 1));
        }

        private void StopAsNotFtp()
        {
            _sessions.StopInspecting(_slot);
            _held.Clear(_slot * 2);
            _held.Clear(_slot * 2 + 1);
            Counters.Increment(FtpCounters.NotFtp);
        }

        /// <summary>PORT/EPRT from a LAN client: only its own address may be named (RFC 2577 bounce protection).</summary>
        private int ActiveMode(int start)
        {
            uint client = _connections.SourceAddress(_connection * 2);
            if (_line.Address != client)
            {
                Counters.Increment(FtpCounters.RefusedBounce);
                return 0;
            }
            return Expose(start, _connections.DestinationAddress(_connection * 2), client);
        }

        /// <summary>227 from a LAN server: only the server's own address may be named.</summary>
        private int PassiveMode(int start)
        {
            uint server = _connections.SourceAddress(_connection * 2 + 1);
            if (_line.Address != server)
            {
                Counters.Increment(FtpCounters.RefusedWrongServerAddress);
                return 0;
            }
            return Expose(start, _connections.SourceAddress(_connection * 2), server);
        }

        /// <summary>
        /// Gives the inside data endpoint an outside port, rewrites the line to the WAN address and that port, and expects
        /// the data connection from <paramref name="peer"/>. A retransmitted line gets the same text and no new expectation.
        /// </summary>
        private int Expose(int start, uint peer, uint inside)
        {
            int insidePort = _line.DataPort;
            if (insidePort < 1024)
            {
                Counters.Increment(FtpCounters.RefusedLowPort);
                return 0;
            }
            uint position = SequenceAt(start);
            bool again = IsRewrittenLine(position);
            int outside = again ? _sessions.RewritePort(_stream) : ReservePort(inside, insidePort, false);
            if (outside < 0)
            {
                Counters.Increment(FtpCounters.RefusedPortUnavailable);
                _drop = true;
                return 0;
            }
            uint wan = _nat.WanAddress;
            int textLength = _line.Kind == FtpLine.Eprt
                ? FtpPayloadRewriter.WriteEprtHostPort(_text, 0, wan, _line.Delimiter, outside)
                : FtpPayloadRewriter.WriteHostPort(_text, 0, wan, outside);
            int oldLength = _line.TextEnd - _line.TextStart;
            if (!FtpPayloadRewriter.Replace(_p, _line.TextStart, oldLength, _text, 0, textLength, _router.WanMtu))
            {
                Counters.Increment(FtpCounters.RefusedTooBig);
                if (!again) _nat.Mappings.ReleaseIfUnused(_reservedMapping);
                _drop = true;
                return 0;
            }
            int delta = textLength - oldLength;
            _changed = true;
            _shift += delta;
            if (again)
            {
                Counters.Increment(FtpCounters.RetransmissionsRewritten);
                return delta;
            }
            if (!_hasChange)
            {
                _hasChange = true;
                _changePosition = position;
            }
            _changeDelta += delta;
            _sessions.RememberRewrite(_stream, position, outside);
            _expectations.Add(_connection, IpProtocol.Tcp, peer, outside, inside, insidePort, _now);
            Counters.Increment(FtpCounters.Rewrites);
            return delta;
        }

        /// <summary>229 from a LAN server: the port is kept, so it must be free as an outside port too.</summary>
        private void ExtendedPassiveMode(int start)
        {
            int port = _line.DataPort;
            if (port < 1024)
            {
                Counters.Increment(FtpCounters.RefusedLowPort);
                return;
            }
            uint position = SequenceAt(start);
            if (IsRewrittenLine(position)) return;
            uint server = _connections.SourceAddress(_connection * 2 + 1);
            if (ReservePort(server, port, true) < 0)
            {
                Counters.Increment(FtpCounters.RefusedPortUnavailable);
                return;
            }
            _sessions.RememberRewrite(_stream, position, port);
            _expectations.Add(_connection, IpProtocol.Tcp, _connections.SourceAddress(_connection * 2), port, server, port, _now);
        }

        /// <summary>An outside port for the inside endpoint (its NAT mapping, made if needed), or -1.</summary>
        private int ReservePort(uint inside, int insidePort, bool samePortOnly)
        {
            NatMappingTable mappings = _nat.Mappings;
            int mapping = mappings.Acquire(IpProtocol.Tcp, inside, insidePort, _random.NextUInt32());
            if (mapping < 0) return -1;
            if (samePortOnly && mappings.ExternalPort(mapping) != insidePort)
            {
                mappings.ReleaseIfUnused(mapping);
                return -1;
            }
            _reservedMapping = mapping;
            return mappings.ExternalPort(mapping);
        }

        private bool IsRewrittenLine(uint position)
        {
            return _sessions.HasRewrite(_stream) && _sessions.RewritePosition(_stream) == position;
        }

        /// <summary>Only the lines this side's role acts on are worth holding back.</summary>
        private bool MayNameEndpoint(byte[] b, int start, int end)
        {
            int role = _sessions.Role(_slot);
            if (_direction == ConnectionTable.Original)
            {
                return role == FtpSessions.LanClient && (FtpLineParser.MayBecome(b, start, end, PortPrefix) || FtpLineParser.MayBecome(b, start, end, EprtPrefix));
            }
            return role == FtpSessions.LanServer && (FtpLineParser.MayBecome(b, start, end, PassivePrefix) || FtpLineParser.MayBecome(b, start, end, ExtendedPassivePrefix));
        }

        private int PayloadEnd { get { return _p.IpOffset + _p.TotalLength; } }

        /// <summary>The payload index of the byte the sender numbered <paramref name="sequence"/> (past earlier changes).</summary>
        private int IndexOf(uint sequence) { return _payload + (int)(sequence - _seq) + _shift; }

        /// <summary>The sender's sequence number of the byte at payload index <paramref name="i"/> (past earlier changes).</summary>
        private uint SequenceAt(int i) { return _seq + (uint)(i - _payload - _shift); }

        private static int StateAtEnd(byte[] b, int start, int end)
        {
            return end > start && b[end - 1] == Cr ? FtpSessions.InLineAfterCr : FtpSessions.InLine;
        }

        private static bool Covers(uint start, int length, uint sequence)
        {
            return sequence - start < (uint)length;
        }

        private static bool Before(uint a, uint b)
        {
            return (int)(a - b) < 0;
        }
    }
}
