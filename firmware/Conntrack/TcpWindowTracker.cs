using Router.Wire;

namespace Router.Conntrack
{
    /// <summary>
    /// TCP tracking of known connections as netfilter does it (nf_conntrack_proto_tcp.c: nf_conntrack_tcp_packet and
    /// tcp_in_window): each direction's sequence space (highest end sent, highest ack + window seen, largest window,
    /// highest ack, window scale), the state table of <see cref="TcpTracker"/>, and the special cases that keep a
    /// middlebox in step with RFC 5961 endpoints: an RST closes only at the exact next sequence number (one below the
    /// peer's highest ack is invalid; one in window keeps the state for the endpoint's challenge ACK), a SYN on an
    /// established flow and its challenge ACK pass without changing anything, a SYN-ACK answering a SYN that was let
    /// through resynchronises, a stale SYN-ACK is invalid, retransmitted acknowledged data passes without moving
    /// state, and a FIN sent again by the side that closed first keeps FIN_WAIT or CLOSE_WAIT (LAST_ACK needs a FIN
    /// from each side).
    /// State lives in parallel arrays indexed by connection (node = connection * 2 + direction); nothing allocates.
    /// </summary>
    public sealed class TcpWindowTracker
    {
        // Per-direction flags (netfilter's IP_CT_TCP_FLAG_*).
        private const byte FlagWindowScale = 0x01;
        private const byte FlagSackPermitted = 0x02;
        private const byte FlagCloseInit = 0x04;
        private const byte FlagDataUnacknowledged = 0x10;
        private const byte FlagMaxAckSet = 0x20;
        /// <summary>Only in the last-segment flags: a SYN arrived in LAST_ACK, so an ACK answering it is a challenge ACK.</summary>
        private const byte FlagExpectChallengeAck = 0x40;

        private const int MaxWindowScale = 14;
        private const uint MinAckWindow = 66000;
        private const int OptionWindowScale = 3;
        private const int OptionSackPermitted = 4;
        private const int NoClass = 7;

        private readonly ConnectionTable _connections;

        // Per node (connection * 2 + direction): netfilter's ip_ct_tcp_state.
        private readonly uint[] _end;
        private readonly uint[] _maxEnd;
        private readonly uint[] _maxWindow;
        private readonly uint[] _maxAck;
        private readonly byte[] _scale;
        private readonly byte[] _flags;

        // Per connection: the last segment that passed (netfilter's last_index, last_dir, last_end, last_win, last_ack,
        // last_wscale, last_flags).
        private readonly byte[] _last;
        private readonly uint[] _lastEnd;
        private readonly ushort[] _lastWindow;
        private readonly uint[] _lastAck;
        private readonly byte[] _lastScale;
        private readonly byte[] _lastFlags;

        /// <summary>Sequence offsets a helper introduced, or null when no helper changes lengths.</summary>
        public ISequenceOffsets Offsets;

        public TcpWindowTracker(ConnectionTable connections)
        {
            _connections = connections;
            int capacity = connections.Capacity;
            _end = new uint[capacity * 2];
            _maxEnd = new uint[capacity * 2];
            _maxWindow = new uint[capacity * 2];
            _maxAck = new uint[capacity * 2];
            _scale = new byte[capacity * 2];
            _flags = new byte[capacity * 2];
            _last = new byte[capacity];
            _lastEnd = new uint[capacity];
            _lastWindow = new ushort[capacity];
            _lastAck = new uint[capacity];
            _lastScale = new byte[capacity];
            _lastFlags = new byte[capacity];
        }

        /// <summary>Bytes of tracking state per connection (for the memory report).</summary>
        public const int BytesPerConnection = 2 * (4 + 4 + 4 + 4 + 1 + 1) + 1 + 4 + 2 + 4 + 1 + 1;

        public uint End(int connection, int direction) { return _end[connection * 2 + direction]; }
        public uint MaxEnd(int connection, int direction) { return _maxEnd[connection * 2 + direction]; }
        public uint MaxWindow(int connection, int direction) { return _maxWindow[connection * 2 + direction]; }
        public int Scale(int connection, int direction) { return _scale[connection * 2 + direction]; }

        /// <summary>
        /// Starts tracking a connection opened by the SYN at <paramref name="t"/> (netfilter's tcp_new): the original
        /// direction's window from the SYN, nothing yet of the reply direction.
        /// </summary>
        public void Begin(int connection, byte[] b, int t, int segmentLength)
        {
            int o = connection * 2, r = o + 1;
            Reset(o);
            Reset(r);
            _last[connection] = NoClass;
            _lastEnd[connection] = 0;
            _lastWindow[connection] = 0;
            _lastAck[connection] = 0;
            _lastScale[connection] = 0;
            _lastFlags[connection] = 0;
            int window = NetworkOrder.ReadUInt16(b, t + 14);
            _end[o] = SegmentEnd(b, t, segmentLength);
            _maxEnd[o] = _end[o];
            _maxWindow[o] = window == 0 ? 1u : (uint)window;
            ReadSynOptions(b, t, o);
        }

        /// <summary>
        /// Tracks one segment of a known connection (netfilter's nf_conntrack_tcp_packet): on <see cref="TcpVerdict.Accept"/>
        /// the connection's state, windows and assured status have moved; on anything else nothing in the table changed
        /// except the record of the last ignored segment, which is what lets a later SYN-ACK or RST be recognised.
        /// </summary>
        public TcpVerdict Packet(byte[] b, int t, int segmentLength, int connection, int direction)
        {
            int flags = b[t + 13] & 0x3F;
            int flagClass = TcpTracker.FlagClass(flags);
            int old = _connections.State(connection);
            int next = TcpTracker.Next(old, direction, flags);
            uint seq = NetworkOrder.ReadUInt32(b, t + 4);
            uint ackField = NetworkOrder.ReadUInt32(b, t + 8);
            uint end = SegmentEnd(b, t, segmentLength);
            int lastClass = _last[connection] & 7;
            int lastDirection = _last[connection] >> 3;
            bool skipWindow = false;

            if (next == TcpState.Invalid) return TcpVerdict.Invalid;
            if (next == TcpState.SynSent && (old == TcpState.TimeWait || old == TcpState.Close))
            {
                // RFC 1122 4.2.2.13: a SYN may reopen from TIME_WAIT. When this side closed or aborted, start over.
                if (((_flags[connection * 2] | _flags[connection * 2 + 1]) & FlagCloseInit) != 0
                    || (lastDirection == direction && lastClass == TcpTracker.FlagClassRst))
                {
                    return TcpVerdict.Reopen;
                }
                next = TcpState.Ignore;
            }
            if (next == TcpState.Ignore)
            {
                if (flagClass == TcpTracker.FlagClassSynAck && lastClass == TcpTracker.FlagClassSyn
                    && lastDirection != direction && ackField == _lastEnd[connection])
                {
                    // This SYN-ACK answers a SYN we let pass as ignored: the endpoints are in sync and we were not.
                    old = TcpState.SynSent;
                    next = TcpState.SynReceived;
                    int annotated = connection * 2 + lastDirection;
                    _end[annotated] = _lastEnd[connection];
                    _maxEnd[annotated] = _lastEnd[connection];
                    _maxWindow[annotated] = _lastWindow[connection] == 0 ? 1u : _lastWindow[connection];
                    _scale[annotated] = _lastScale[connection];
                    _flags[annotated] = (byte)(_lastFlags[connection] & ~FlagExpectChallengeAck);
                    Reset(connection * 2 + direction);
                }
                else
                {
                    RememberIgnored(b, t, connection, direction, flagClass, old, ackField, end);
                    return TcpVerdict.Ignore;
                }
            }
            else if (next == TcpState.TimeWait)
            {
                // RFC 5961: a SYN in LAST_ACK draws a challenge ACK, which must not pass for the ACK of the last FIN.
                if (old == TcpState.LastAck && flagClass == TcpTracker.FlagClassAck && lastDirection != direction
                    && lastClass == TcpTracker.FlagClassSyn && (_lastFlags[connection] & FlagExpectChallengeAck) != 0)
                {
                    _lastFlags[connection] &= unchecked((byte)~FlagExpectChallengeAck);
                    return TcpVerdict.Ignore;
                }
            }
            else if (next == TcpState.LastAck && (old == TcpState.FinWait || old == TcpState.CloseWait)
                && (_flags[connection * 2 + direction] & FlagCloseInit) != 0)
            {
                // The side that closed first sends its FIN again (a retransmission, Linux's tail loss probe): LAST_ACK
                // needs the other side's FIN. netfilter's table takes either; then the other side's ACK makes TIME_WAIT
                // of a connection that is only half closed.
                next = old;
            }
            else if (next == TcpState.Close && flagClass == TcpTracker.FlagClassRst)
            {
                int peer = connection * 2 + (direction ^ 1);
                bool checkLetThrough = true;
                if ((_flags[peer] & FlagMaxAckSet) != 0 && lastClass != TcpTracker.FlagClassSyn)
                {
                    bool established = old == TcpState.Established && _connections.HasStatus(connection, ConnectionTable.StatusAssured);
                    if (seq == 0 && !established) checkLetThrough = false; // answers a SYN let through
                    else if (Before(seq, _maxAck[peer])) return TcpVerdict.OutOfWindow; // below what the peer acknowledged
                    else if (!established || seq == _maxAck[peer]) checkLetThrough = false; // the exact next sequence number
                    else if (lastClass == TcpTracker.FlagClassAck && lastDirection == direction && seq == _lastEnd[connection]) checkLetThrough = false; // ends a train
                    else next = old; // in window but inexact: keep the state, the endpoint answers with a challenge ACK
                }
                if (checkLetThrough)
                {
                    bool seenReply = _connections.HasStatus(connection, ConnectionTable.StatusSeenReply);
                    bool assured = _connections.HasStatus(connection, ConnectionTable.StatusAssured);
                    // An RST answering a SYN or ACK we let through as ignored acknowledges what we never tracked.
                    if (((seenReply && lastClass == TcpTracker.FlagClassSyn) || (!assured && lastClass == TcpTracker.FlagClassAck))
                        && ackField == _lastEnd[connection])
                    {
                        skipWindow = true;
                    }
                    // An RST answering a challenge ACK we let through in SYN_SENT.
                    else if (old == TcpState.SynSent && lastClass == TcpTracker.FlagClassAck
                        && lastDirection == ConnectionTable.Reply && seq == _lastAck[connection])
                    {
                        skipWindow = true;
                    }
                }
            }

            if (!skipWindow)
            {
                TcpVerdict window = InWindow(b, t, connection, direction, flags, seq, ackField, end, _connections.State(connection));
                if (window != TcpVerdict.Accept) return window;
            }

            _last[connection] = (byte)(flagClass | (direction << 3));
            _connections.SetState(connection, next);
            if (old != next && next == TcpState.FinWait) _flags[connection * 2 + direction] |= FlagCloseInit;
            if (_connections.HasStatus(connection, ConnectionTable.StatusSeenReply) && !_connections.HasStatus(connection, ConnectionTable.StatusAssured)
                && (old == TcpState.SynReceived || old == TcpState.Established) && next == TcpState.Established)
            {
                _connections.SetAssured(connection);
            }
            return TcpVerdict.Accept;
        }

        /// <summary>netfilter's tcp_in_window: is the segment inside what the receiver can accept, and does its ACK acknowledge data sent?</summary>
        private TcpVerdict InWindow(byte[] b, int t, int connection, int direction, int flags, uint seq, uint ackField, uint end, int state)
        {
            int s = connection * 2 + direction, r = s ^ 1;
            bool syn = (flags & TcpSegment.Syn) != 0;
            bool hasAck = (flags & TcpSegment.Ack) != 0;
            uint window = NetworkOrder.ReadUInt16(b, t + 14);
            uint ack = ackField;
            uint sack = (_flags[r] & FlagSackPermitted) != 0 ? HighestSack(b, t, ackField) : ackField;
            if (Offsets != null)
            {
                // The receiver acknowledges the numbering it saw, which a helper may have moved.
                uint offset = (uint)Offsets.OffsetAt(connection, direction ^ 1, ack - 1);
                ack -= offset;
                sack -= offset;
            }

            if (_maxWindow[s] == 0)
            {
                if (syn)
                {
                    InitSender(b, t, s, end, window);
                    if (!hasAck) return TcpVerdict.Accept; // simultaneous open
                }
                else
                {
                    // Picked up mid-stream: take what this segment says.
                    _end[s] = end;
                    uint scaled = window << _scale[s];
                    _maxWindow[s] = scaled == 0 ? 1u : scaled;
                    _maxEnd[s] = end + _maxWindow[s];
                    if (_maxWindow[r] == 0) { _end[r] = sack; _maxEnd[r] = sack; }
                    else if (sack == _end[r] + 1) _end[r]++; // answers a keep-alive
                }
            }
            else if (syn && After(end, _end[s]) && (state == TcpState.SynSent || state == TcpState.SynReceived))
            {
                // RFC 9293: a reinitialised endpoint may start over with a higher sequence number and other options.
                InitSender(b, t, s, end, window);
                if (direction == ConnectionTable.Reply && !hasAck) return TcpVerdict.Accept;
            }

            if (!hasAck || ((flags & TcpSegment.Rst) != 0 && ackField == 0))
            {
                ack = _end[r]; // no ACK (or a broken stack's RST with ACK 0): pretend it acknowledges everything
                sack = ack;
            }
            if ((flags & TcpSegment.Rst) != 0 && seq == 0 && state == TcpState.SynSent)
            {
                seq = _end[s]; // an RST answering our SYN
                end = seq;
            }

            uint maxAckWindow = _maxWindow[s] > MinAckWindow ? _maxWindow[s] : MinAckWindow;
            if (!Before(seq, _maxEnd[s] + 1))
            {
                uint overshot = end - _maxEnd[s] + 1;
                bool ackOk = After(sack, _end[r] - maxAckWindow - 1);
                bool inReceiveWindow = _maxWindow[r] != 0 && After(end, _end[s] - _maxWindow[r] - 1);
                if (inReceiveWindow && ackOk && overshot <= _maxWindow[r] && Before(sack, _end[r] + 1))
                {
                    // A sender slightly over the advertised window: let its peer's ACK of this data be in bounds later.
                    _end[s] = end;
                    _flags[s] |= FlagDataUnacknowledged;
                    return TcpVerdict.Ignore;
                }
                return TcpVerdict.OutOfWindow; // beyond the receiver's window
            }
            if (!Before(sack, _end[r] + 1)) return TcpVerdict.OutOfWindow; // acknowledges data never sent
            if (_maxWindow[r] != 0 && !After(end, _end[s] - _maxWindow[r] - 1)) return TcpVerdict.Ignore; // acknowledged data again
            if (!After(sack, _end[r] - maxAckWindow - 1)) return TcpVerdict.Ignore; // an ACK from far in the past

            if (!syn) window <<= _scale[s];
            uint senderWindow = window + (sack - ack);
            if (_maxWindow[s] < senderWindow) _maxWindow[s] = senderWindow;
            if (After(end, _end[s]))
            {
                _end[s] = end;
                _flags[s] |= FlagDataUnacknowledged;
            }
            if (hasAck)
            {
                if ((_flags[s] & FlagMaxAckSet) == 0)
                {
                    _maxAck[s] = ack;
                    _flags[s] |= FlagMaxAckSet;
                }
                else if (After(ack, _maxAck[s]))
                {
                    _maxAck[s] = ack;
                }
            }
            if (_maxWindow[r] != 0 && After(end, _maxEnd[s])) _maxWindow[r] += end - _maxEnd[s];
            if (After(sack + window, _maxEnd[r] - 1))
            {
                _maxEnd[r] = sack + window;
                if (window == 0) _maxEnd[r]++;
            }
            if (ack == _end[r]) _flags[r] &= unchecked((byte)~FlagDataUnacknowledged);
            return TcpVerdict.Accept;
        }

        /// <summary>Notes an ignored segment so the answer to it (a SYN-ACK, a challenge ACK, an RST) can be recognised.</summary>
        private void RememberIgnored(byte[] b, int t, int connection, int direction, int flagClass, int old, uint ackField, uint end)
        {
            _last[connection] = (byte)(flagClass | (direction << 3));
            _lastEnd[connection] = end;
            _lastWindow[connection] = (ushort)NetworkOrder.ReadUInt16(b, t + 14);
            if (flagClass == TcpTracker.FlagClassSyn && direction == ConnectionTable.Original)
            {
                // The client and server may be in sync while we are not: keep the SYN's options for the SYN-ACK.
                byte scale, options;
                SynOptions(b, t, out scale, out options);
                _lastScale[connection] = scale;
                _lastFlags[connection] = options;
                if (old == TcpState.LastAck) _lastFlags[connection] |= FlagExpectChallengeAck;
            }
            if (old == TcpState.SynSent && flagClass == TcpTracker.FlagClassAck && direction == ConnectionTable.Reply)
            {
                _lastAck[connection] = ackField; // maybe a challenge ACK answering our SYN
            }
        }

        private void InitSender(byte[] b, int t, int s, uint end, uint window)
        {
            int r = s ^ 1;
            _end[s] = end;
            _maxEnd[s] = end;
            _maxWindow[s] = window == 0 ? 1u : window;
            ReadSynOptions(b, t, s);
            // RFC 7323 2.2: scaling applies only when both sides sent the option.
            if ((_flags[s] & FlagWindowScale) == 0 || (_flags[r] & FlagWindowScale) == 0)
            {
                _scale[s] = 0;
                _scale[r] = 0;
            }
        }

        private void Reset(int node)
        {
            _end[node] = 0;
            _maxEnd[node] = 0;
            _maxWindow[node] = 0;
            _maxAck[node] = 0;
            _scale[node] = 0;
            _flags[node] = 0;
        }

        /// <summary>Window scale and SACK-permitted from a SYN's options (netfilter's tcp_options).</summary>
        private void ReadSynOptions(byte[] b, int t, int node)
        {
            byte scale, options;
            SynOptions(b, t, out scale, out options);
            _scale[node] = scale;
            _flags[node] = (byte)((_flags[node] & ~(FlagWindowScale | FlagSackPermitted)) | options);
        }

        private static void SynOptions(byte[] b, int t, out byte scale, out byte options)
        {
            scale = 0;
            options = 0;
            for (int o = TcpOptions.First(b, t); o != TcpOptions.None; o = TcpOptions.Next(b, t, o))
            {
                int kind = TcpOptions.Kind(b, o), length = TcpOptions.Length(b, o);
                if (kind == OptionSackPermitted && length == 2) options |= FlagSackPermitted;
                else if (kind == OptionWindowScale && length == 3)
                {
                    int shift = b[TcpOptions.ValueOffset(o)];
                    scale = (byte)(shift > MaxWindowScale ? MaxWindowScale : shift);
                    options |= FlagWindowScale;
                }
            }
        }

        /// <summary>The highest right edge among the SACK blocks, or <paramref name="ack"/> (netfilter's tcp_sack).</summary>
        private static uint HighestSack(byte[] b, int t, uint ack)
        {
            uint sack = ack;
            for (int o = TcpOptions.First(b, t); o != TcpOptions.None; o = TcpOptions.Next(b, t, o))
            {
                int length = TcpOptions.Length(b, o);
                if (TcpOptions.Kind(b, o) != TcpOptions.Sack || length < 10 || (length - 2) % 8 != 0) continue;
                for (int block = TcpOptions.ValueOffset(o); block < o + length; block += 8)
                {
                    uint right = NetworkOrder.ReadUInt32(b, block + 4);
                    if (After(right, sack)) sack = right;
                }
            }
            return sack;
        }

        /// <summary>The sequence number after the segment: data, plus one each for SYN and FIN.</summary>
        private static uint SegmentEnd(byte[] b, int t, int segmentLength)
        {
            int flags = b[t + 13];
            int data = segmentLength - (b[t + 12] >> 4) * 4;
            uint end = NetworkOrder.ReadUInt32(b, t + 4) + (uint)data;
            if ((flags & TcpSegment.Syn) != 0) end++;
            if ((flags & TcpSegment.Fin) != 0) end++;
            return end;
        }

        private static bool Before(uint a, uint b) { return (int)(a - b) < 0; }
        private static bool After(uint a, uint b) { return (int)(b - a) < 0; }
    }
}
