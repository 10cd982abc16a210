using Router.Hal;
using Router.Ip;
using Router.Link;
using Router.Wire;

namespace Router.Tcp
{
    /// <summary>
    /// The router's own TCP (RFC 9293) for its services on the LAN address: passive open only, a fixed set of
    /// preallocated connection slots (<see cref="Capacities.TcpConnections"/>), a bounded backlog of half-open
    /// connections (a SYN beyond it evicts the oldest), the peer's MSS honoured, a fixed receive window, retransmission
    /// with an RFC 6298 RTO and exponential backoff, in-order delivery only (out-of-order segments are dropped and
    /// re-acknowledged), FIN, RST (RFC 5961 checks), a bounded TIME_WAIT, RST for closed ports and a deadline per
    /// connection. <see cref="Receive"/> runs per segment and <see cref="Service"/> per loop tick; neither allocates.
    /// </summary>
    public sealed class TcpEndpoint
    {
        public const int InitialRtoMs = 1000;
        /// <summary>RFC 6298 says RTO SHOULD be at least 1 s; on a LAN (RTT well under 1 ms) 200 ms, as Linux does.</summary>
        public const int MinRtoMs = 200;
        public const int MaxRtoMs = 60000;
        public const int MaxRetries = 7;
        /// <summary>Default MSS when the SYN carries none (RFC 9293 section 3.7.1).</summary>
        public const int DefaultMss = 536;
        /// <summary>Segments sent per connection per tick at most, so one tick's work stays bounded.</summary>
        public const int SegmentsPerTick = 4;
        private const int HeaderBytes = 14 + 20 + 20;
        private const int InitialWindowSegments = 10; // RFC 6928

        /// <summary>A connection still in the handshake after this long is dropped.</summary>
        public int HandshakeTimeoutMs = 5000;
        /// <summary>A connection that hears nothing from its peer for this long is reset.</summary>
        public int IdleTimeoutMs = 120000;
        /// <summary>FIN_WAIT_2 waits this long for the peer's FIN.</summary>
        public int FinWait2TimeoutMs = 10000;
        /// <summary>TIME_WAIT, bounded (2 MSL would be minutes; a slot is needed sooner, and a SYN may recycle it anyway).</summary>
        public int TimeWaitMs = 2000;

        private readonly TcpConnection[] _slots;
        private readonly int _backlog;
        private readonly int[] _listeners = new int[4];
        private int _listenerCount;
        private readonly LocalSender _sender;
        private readonly NetworkPort _lan;
        private readonly Counters _counters;
        private readonly IRandomSource _random;
        private readonly int _ourMss;

        public TcpEndpoint(Capacities capacities, LocalSender sender, NetworkPort lan, Counters counters, IRandomSource random)
        {
            _slots = new TcpConnection[capacities.TcpConnections];
            for (int i = 0; i < _slots.Length; i++) _slots[i] = new TcpConnection(i, capacities.TcpReceiveBytes, capacities.TcpSendBytes);
            _backlog = capacities.TcpBacklog < 1 ? 1 : capacities.TcpBacklog;
            _sender = sender;
            _lan = lan;
            _counters = counters;
            _random = random;
            _ourMss = capacities.FrameSize - HeaderBytes;
            if (_ourMss > 1460) _ourMss = 1460;
        }

        public int Capacity { get { return _slots.Length; } }

        public TcpConnection Connection(int index) { return _slots[index]; }

        /// <summary>Accepts connections to <paramref name="port"/> from now on. Returns false when every listener slot is taken.</summary>
        public bool Listen(int port)
        {
            if (_listenerCount == _listeners.Length) return false;
            _listeners[_listenerCount++] = port;
            return true;
        }

        /// <summary>Connections in the handshake (SYN received, final ACK not yet).</summary>
        public int HalfOpen
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _slots.Length; i++) if (_slots[i].State == TcpConnection.SynReceived) n++;
                return n;
            }
        }

        /// <summary>
        /// A TCP segment addressed to the router's LAN address, already IP-validated by the data plane. Returns the counter
        /// recording the frame's outcome: <see cref="Counters.Consumed"/> or the reason it was dropped.
        /// </summary>
        public int Receive(NetworkPort port, ParsedPacket p, long now)
        {
            if (p.IsFragment) return Counters.DropTcpMalformed;
            byte[] b = p.Buffer;
            int t = p.TransportOffset;
            int length = p.TransportLength;
            uint sum = Checksum.PseudoHeader(p.Source, p.Destination, IpProtocol.Tcp, length);
            if (Checksum.Finish(Checksum.Add(sum, b, t, length)) != 0) return Counters.DropTcpChecksum;
            if (!port.OnLink(p.Source) || p.Source == port.Address || p.Source == port.BroadcastAddress) return Counters.DropSpoofedSource;

            int flags = b[t + 13] & 0x3F;
            int syn = flags & TcpSegment.Syn, ack = flags & TcpSegment.Ack, rst = flags & TcpSegment.Rst, fin = flags & TcpSegment.Fin;
            if ((syn != 0 && (fin != 0 || rst != 0)) || (flags & (TcpSegment.Syn | TcpSegment.Ack | TcpSegment.Rst)) == 0) return Counters.DropTcpMalformed;
            if (p.SourcePort == 0 || p.DestinationPort == 0) return Counters.DropTcpMalformed;

            int headerLength = (b[t + 12] >> 4) * 4;
            uint seq = NetworkOrder.ReadUInt32(b, t + 4);
            uint ackNumber = NetworkOrder.ReadUInt32(b, t + 8);
            int window = NetworkOrder.ReadUInt16(b, t + 14);
            int payloadOffset = t + headerLength;
            int payloadLength = length - headerLength;

            TcpConnection c = Find(p.Source, p.SourcePort, p.DestinationPort);
            if (c != null && c.State == TcpConnection.TimeWait && syn != 0 && ack == 0 && SeqGt(seq, c.RcvNxt))
            {
                c.Reset(); // RFC 9293 section 3.10.7.4: a new SYN may reopen a connection in TIME_WAIT
                c = null;
            }
            if (c == null) return NoConnection(port, p, flags, seq, ackNumber, window, payloadLength, now);
            if (c.State == TcpConnection.SynReceived)
            {
                int outcome = Handshake(c, flags, seq, ackNumber, window, now);
                if (outcome != Counters.Consumed || c.State != TcpConnection.Established) return outcome;
            }
            return Synchronized(c, b, flags, seq, ackNumber, window, payloadOffset, payloadLength, now);
        }

        /// <summary>No connection matches: a SYN to a listening port opens one; anything else is answered with RST.</summary>
        private int NoConnection(NetworkPort port, ParsedPacket p, int flags, uint seq, uint ackNumber, int window, int payloadLength, long now)
        {
            if ((flags & TcpSegment.Rst) != 0) return Counters.DropUnsolicited;
            byte[] mac = p.Buffer;
            int macOffset = 6; // the sender's MAC in the received Ethernet header
            if ((flags & TcpSegment.Ack) != 0)
            {
                SendReset(port, mac, macOffset, p.Source, p.SourcePort, p.DestinationPort, ackNumber, 0, false);
                return Counters.DropUnsolicited;
            }
            if ((flags & TcpSegment.Syn) == 0) return Counters.DropTcpMalformed;
            if (!IsListening(p.DestinationPort))
            {
                uint segmentLength = (uint)payloadLength + 1 + ((flags & TcpSegment.Fin) != 0 ? 1u : 0u);
                SendReset(port, mac, macOffset, p.Source, p.SourcePort, p.DestinationPort, 0, seq + segmentLength, true);
                return Counters.DropUnsolicited;
            }
            TcpConnection c = TakeSlot();
            if (c == null) return Counters.DropTcpNoSlot;
            c.Reset();
            c.Generation++;
            c.State = TcpConnection.SynReceived;
            c.RemoteAddress = p.Source;
            c.RemotePort = p.SourcePort;
            c.LocalPort = p.DestinationPort;
            System.Array.Copy(mac, macOffset, c.PeerMac, 0, 6);
            c.OpenedAt = now;
            c.Iss = _random.NextUInt32();
            c.SndUna = c.Iss;
            c.SndNxt = c.Iss + 1;
            c.RcvNxt = seq + 1; // data on the SYN is not taken: the peer sends it again once the handshake is done
            c.SndWnd = window;
            c.SndWl1 = seq;
            c.SndWl2 = 0;
            int peerMss = PeerMss(p.Buffer, p.TransportOffset);
            c.Mss = peerMss < _ourMss ? peerMss : _ourMss;
            c.Cwnd = InitialWindowSegments * c.Mss;
            c.Rto = InitialRtoMs;
            c.Srtt = 0;
            c.Deadline = now + HandshakeTimeoutMs;
            c.RetransmitAt = now + c.Rto;
            StartTiming(c, c.Iss, now);
            SendSynAck(c);
            return Counters.Consumed;
        }

        /// <summary>SYN_RECEIVED: the ACK of our SYN completes the handshake.</summary>
        private int Handshake(TcpConnection c, int flags, uint seq, uint ackNumber, int window, long now)
        {
            if ((flags & TcpSegment.Rst) != 0)
            {
                if (seq != c.RcvNxt) return Counters.DropLocalTcpOutOfWindow;
                c.Reset();
                return Counters.Consumed;
            }
            if ((flags & TcpSegment.Syn) != 0)
            {
                if (seq + 1 != c.RcvNxt) return Counters.DropLocalTcpOutOfWindow;
                SendSynAck(c); // the peer did not get our SYN-ACK
                return Counters.Consumed;
            }
            if (ackNumber != c.Iss + 1)
            {
                SendReset(_lan, c.PeerMac, 0, c.RemoteAddress, c.RemotePort, c.LocalPort, ackNumber, 0, false);
                return Counters.DropLocalTcpOutOfWindow;
            }
            c.State = TcpConnection.Established;
            c.SndUna = ackNumber;
            c.SndWnd = window;
            c.SndWl1 = seq;
            c.SndWl2 = ackNumber;
            if (c.Timing && c.Retries == 0) Sample(c, now);
            c.Timing = false;
            c.RetransmitAt = 0;
            c.Retries = 0;
            c.Deadline = now + IdleTimeoutMs;
            _counters.Increment(Counters.TcpAccepted);
            return Counters.Consumed;
        }

        /// <summary>Segment arrival in a synchronized state (RFC 9293 section 3.10.7.4), in-order data only.</summary>
        private int Synchronized(TcpConnection c, byte[] b, int flags, uint seq, uint ackNumber, int window, int payloadOffset, int payloadLength, long now)
        {
            bool fin = (flags & TcpSegment.Fin) != 0;
            int segmentLength = payloadLength + (fin ? 1 : 0);
            int receiveWindow = c.ReceiveWindow;
            if (!Acceptable(c.RcvNxt, receiveWindow, seq, segmentLength))
            {
                if ((flags & TcpSegment.Rst) == 0) c.AckPending = true;
                return Counters.DropLocalTcpOutOfWindow;
            }
            if ((flags & TcpSegment.Rst) != 0)
            {
                if (seq != c.RcvNxt)
                {
                    c.AckPending = true; // RFC 5961 section 3.2: a challenge ACK, not a reset
                    return Counters.DropLocalTcpOutOfWindow;
                }
                c.Reset();
                return Counters.Consumed;
            }
            if ((flags & TcpSegment.Syn) != 0)
            {
                c.AckPending = true; // RFC 5961 section 4.2: challenge ACK
                return Counters.DropTcpMalformed;
            }
            if ((flags & TcpSegment.Ack) == 0) return Counters.DropTcpMalformed;

            if (SeqGt(ackNumber, c.SndNxt))
            {
                c.AckPending = true; // acknowledges something never sent
                return Counters.DropLocalTcpOutOfWindow;
            }
            if (SeqGt(ackNumber, c.SndUna)) Acknowledged(c, ackNumber, now);
            if (SeqLt(c.SndWl1, seq) || (c.SndWl1 == seq && !SeqLt(ackNumber, c.SndWl2)))
            {
                c.SndWnd = window;
                c.SndWl1 = seq;
                c.SndWl2 = ackNumber;
            }
            if (c.State == TcpConnection.Free) return Counters.Consumed; // LAST_ACK ended
            if (c.State != TcpConnection.TimeWait) c.Deadline = now + (c.State == TcpConnection.FinWait2 ? FinWait2TimeoutMs : IdleTimeoutMs);

            if (segmentLength == 0) return Counters.Consumed;
            if (SeqGt(seq, c.RcvNxt))
            {
                c.AckPending = true; // a gap before it: dropped, and the ACK tells the peer what is missing
                return Counters.DropTcpOutOfOrder;
            }
            int skip = (int)(c.RcvNxt - seq); // already received (a retransmission overlapping new data)
            int fresh = payloadLength - skip;
            if (fresh > 0 && AcceptsData(c.State))
            {
                int take = fresh < receiveWindow ? fresh : receiveWindow;
                c.Append(b, payloadOffset + skip, take);
                c.RcvNxt += (uint)take;
                fresh -= take;
            }
            c.AckPending = true;
            if (fin && fresh <= 0 && skip <= payloadLength) PeerFin(c, now);
            return Counters.Consumed;
        }

        private void Acknowledged(TcpConnection c, uint ackNumber, long now)
        {
            int acked = (int)(ackNumber - c.SndUna);
            c.SndUna = ackNumber;
            bool finAcked = c.FinSent && ackNumber == c.SndNxt;
            c.Acknowledge(finAcked ? acked - 1 : acked);
            if (c.Timing && !SeqLt(ackNumber, c.TimedSeq))
            {
                Sample(c, now);
                c.Timing = false;
            }
            c.Retries = 0;
            c.RetransmitAt = c.SndUna == c.SndNxt ? 0 : now + c.Rto;
            if (c.Recovering)
            {
                // A partial ACK after a timeout: the next segment was most likely lost too; do not wait another RTO for it.
                if (SeqLt(ackNumber, c.RecoverySeq)) c.ResendNow = true;
                else c.Recovering = false;
            }
            c.Cwnd += c.Mss; // slow start (RFC 5681); the peer's window caps it
            if (c.Cwnd > 65535) c.Cwnd = 65535;
            if (!finAcked) return;
            if (c.State == TcpConnection.FinWait1)
            {
                c.State = TcpConnection.FinWait2;
                c.Deadline = now + FinWait2TimeoutMs;
            }
            else if (c.State == TcpConnection.Closing)
            {
                EnterTimeWait(c, now);
            }
            else if (c.State == TcpConnection.LastAck)
            {
                c.Reset();
            }
        }

        private void PeerFin(TcpConnection c, long now)
        {
            if (c.FinReceived)
            {
                if (c.State == TcpConnection.TimeWait) c.Deadline = now + TimeWaitMs; // a retransmitted FIN restarts TIME_WAIT
                return;
            }
            c.FinReceived = true;
            c.RcvNxt++;
            if (c.State == TcpConnection.Established) c.State = TcpConnection.CloseWait;
            else if (c.State == TcpConnection.FinWait1) c.State = TcpConnection.Closing;
            else if (c.State == TcpConnection.FinWait2) EnterTimeWait(c, now);
        }

        private void EnterTimeWait(TcpConnection c, long now)
        {
            c.State = TcpConnection.TimeWait;
            c.RetransmitAt = 0;
            c.Deadline = now + TimeWaitMs;
        }

        /// <summary>
        /// Per loop tick: resets what was aborted or ran past its deadline, retransmits on RTO expiry, sends queued data
        /// within the peer's window, FIN once a close was asked for and everything went out, and pending ACKs.
        /// </summary>
        public void Service(long now)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                TcpConnection c = _slots[i];
                if (c.State == TcpConnection.Free) continue;
                if (c.AbortRequested)
                {
                    Abort(c);
                    continue;
                }
                if (now >= c.Deadline)
                {
                    if (c.State != TcpConnection.TimeWait)
                    {
                        _counters.Increment(Counters.TcpTimedOut);
                        if (c.State != TcpConnection.SynReceived) Abort(c);
                    }
                    c.Reset();
                    continue;
                }
                if (c.RetransmitAt != 0 && now >= c.RetransmitAt)
                {
                    if (c.Retries >= MaxRetries)
                    {
                        _counters.Increment(Counters.TcpTimedOut);
                        Abort(c);
                        continue;
                    }
                    Retransmit(c, now);
                }
                if (c.State == TcpConnection.SynReceived) continue;
                if (c.ResendNow)
                {
                    c.ResendNow = false;
                    _counters.Increment(Counters.TcpRetransmits);
                    ResendFirst(c);
                }
                SendData(c, now);
                if (c.AckPending) SendSegment(c, c.SndNxt, TcpSegment.Ack, 0, 0);
            }
        }

        /// <summary>The earliest time <see cref="Service"/> has work (a timer or deadline), or long.MaxValue when idle.</summary>
        public long NextDeadline
        {
            get
            {
                long next = long.MaxValue;
                for (int i = 0; i < _slots.Length; i++)
                {
                    TcpConnection c = _slots[i];
                    if (c.State == TcpConnection.Free) continue;
                    if (c.Deadline < next) next = c.Deadline;
                    if (c.RetransmitAt != 0 && c.RetransmitAt < next) next = c.RetransmitAt;
                }
                return next;
            }
        }

        private void Retransmit(TcpConnection c, long now)
        {
            c.Retries++;
            c.Rto = c.Rto * 2 > MaxRtoMs ? MaxRtoMs : c.Rto * 2; // exponential backoff (RFC 6298 5.5)
            c.Timing = false; // Karn: never time a retransmitted segment
            c.Cwnd = c.Mss;
            c.RetransmitAt = now + c.Rto;
            _counters.Increment(Counters.TcpRetransmits);
            if (c.State == TcpConnection.SynReceived)
            {
                SendSynAck(c);
                return;
            }
            if (c.SndNxt == c.SndUna)
            {
                // Nothing in flight but data waiting: the peer's window is closed; probe it with one byte.
                if (c.TxCount > 0 && c.CanSendData)
                {
                    SendSegment(c, c.SndUna, TcpSegment.Ack | TcpSegment.Psh, 0, 1);
                    c.SndNxt = c.SndUna + 1;
                }
                return;
            }
            c.Recovering = true;
            c.RecoverySeq = c.SndNxt;
            ResendFirst(c);
        }

        /// <summary>Sends the first unacknowledged segment again (with FIN when it is the last one).</summary>
        private void ResendFirst(TcpConnection c)
        {
            int inFlight = (int)(c.SndNxt - c.SndUna);
            if (inFlight <= 0) return;
            int dataInFlight = inFlight - (c.FinSent ? 1 : 0);
            int length = dataInFlight < c.Mss ? dataInFlight : c.Mss;
            int flags = TcpSegment.Ack;
            if (length > 0) flags |= TcpSegment.Psh;
            if (c.FinSent && length == dataInFlight) flags |= TcpSegment.Fin;
            SendSegment(c, c.SndUna, flags, 0, length);
        }

        private void SendData(TcpConnection c, long now)
        {
            for (int n = 0; n < SegmentsPerTick; n++)
            {
                int unsent = c.Unsent;
                if (unsent <= 0 || !c.CanSendData) break;
                int inFlight = (int)(c.SndNxt - c.SndUna);
                int window = c.SndWnd < c.Cwnd ? c.SndWnd : c.Cwnd;
                int room = window - inFlight;
                if (room <= 0)
                {
                    if (c.RetransmitAt == 0) c.RetransmitAt = now + c.Rto; // persist: probe a closed window
                    break;
                }
                int length = unsent < c.Mss ? unsent : c.Mss;
                if (length > room) length = room;
                uint seq = c.SndNxt;
                SendSegment(c, seq, TcpSegment.Ack | TcpSegment.Psh, (int)(seq - c.SndUna), length);
                c.SndNxt = seq + (uint)length;
                if (!c.Timing) StartTiming(c, c.SndNxt, now);
                if (c.RetransmitAt == 0) c.RetransmitAt = now + c.Rto;
            }
            if (c.CloseRequested && !c.FinSent && c.Unsent == 0 && (c.State == TcpConnection.Established || c.State == TcpConnection.CloseWait))
            {
                SendSegment(c, c.SndNxt, TcpSegment.Ack | TcpSegment.Fin, 0, 0);
                c.SndNxt++;
                c.FinSent = true;
                c.State = c.State == TcpConnection.Established ? TcpConnection.FinWait1 : TcpConnection.LastAck;
                if (c.RetransmitAt == 0) c.RetransmitAt = now + c.Rto;
            }
        }

        private void SendSynAck(TcpConnection c)
        {
            _sender.SendTcp(_lan, c.PeerMac, 0, _lan.Address, c.LocalPort, c.RemoteAddress, c.RemotePort, c.Iss, c.RcvNxt,
                TcpSegment.Syn | TcpSegment.Ack, c.ReceiveWindow, _ourMss, 0);
        }

        /// <summary>Sends a segment carrying <paramref name="length"/> bytes from the send buffer at <paramref name="dataOffset"/>; it always acknowledges.</summary>
        private void SendSegment(TcpConnection c, uint seq, int flags, int dataOffset, int length)
        {
            if (length > 0) System.Array.Copy(c.TxBuffer, dataOffset, _sender.Buffer, LocalSender.TcpPayloadOffset, length);
            _sender.SendTcp(_lan, c.PeerMac, 0, _lan.Address, c.LocalPort, c.RemoteAddress, c.RemotePort, seq, c.RcvNxt,
                flags, c.ReceiveWindow, 0, length);
            c.AckPending = false;
        }

        private void Abort(TcpConnection c)
        {
            if (c.State != TcpConnection.SynReceived && c.State != TcpConnection.TimeWait)
            {
                _sender.SendTcp(_lan, c.PeerMac, 0, _lan.Address, c.LocalPort, c.RemoteAddress, c.RemotePort, c.SndNxt, c.RcvNxt,
                    TcpSegment.Rst | TcpSegment.Ack, 0, 0, 0);
                _counters.Increment(Counters.TcpResetsSent);
            }
            c.Reset();
        }

        private void SendReset(NetworkPort port, byte[] mac, int macOffset, uint destination, int destinationPort, int sourcePort, uint seq, uint ackNumber, bool withAck)
        {
            _sender.SendTcp(port, mac, macOffset, port.Address, sourcePort, destination, destinationPort, seq, ackNumber,
                withAck ? TcpSegment.Rst | TcpSegment.Ack : TcpSegment.Rst, 0, 0, 0);
            _counters.Increment(Counters.TcpResetsSent);
        }

        /// <summary>
        /// A slot for a new connection. The backlog is bounded: at its limit the oldest half-open connection goes (SYN flood).
        /// Otherwise a free slot, else the oldest TIME_WAIT, else the oldest half-open, and only with none of those the
        /// established connection that has made least progress (fewest requests answered, then the oldest), reset.
        /// </summary>
        private TcpConnection TakeSlot()
        {
            TcpConnection free = null, timeWait = null, halfOpen = null, least = null;
            int halfOpenCount = 0;
            for (int i = 0; i < _slots.Length; i++)
            {
                TcpConnection c = _slots[i];
                int state = c.State;
                if (state == TcpConnection.Free)
                {
                    if (free == null) free = c;
                }
                else if (state == TcpConnection.TimeWait)
                {
                    if (timeWait == null || c.Deadline < timeWait.Deadline) timeWait = c;
                }
                else if (state == TcpConnection.SynReceived)
                {
                    halfOpenCount++;
                    if (halfOpen == null || c.OpenedAt < halfOpen.OpenedAt) halfOpen = c;
                }
                else if (least == null || c.Progress < least.Progress || (c.Progress == least.Progress && c.OpenedAt < least.OpenedAt))
                {
                    least = c;
                }
            }
            if (halfOpenCount >= _backlog || (free == null && timeWait == null && halfOpen != null))
            {
                _counters.Increment(Counters.TcpHalfOpenEvicted);
                return halfOpen;
            }
            if (free != null) return free;
            if (timeWait != null) return timeWait;
            if (least == null) return null;
            _counters.Increment(Counters.TcpEvicted);
            Abort(least);
            return least;
        }

        private TcpConnection Find(uint address, int remotePort, int localPort)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                TcpConnection c = _slots[i];
                if (c.State != TcpConnection.Free && c.RemotePort == remotePort && c.LocalPort == localPort && c.RemoteAddress == address) return c;
            }
            return null;
        }

        private bool IsListening(int port)
        {
            for (int i = 0; i < _listenerCount; i++) if (_listeners[i] == port) return true;
            return false;
        }

        private static bool AcceptsData(int state)
        {
            return state == TcpConnection.Established || state == TcpConnection.FinWait1 || state == TcpConnection.FinWait2;
        }

        /// <summary>RFC 9293's acceptability test: some of the segment falls in the receive window (a zero window takes only empty segments at RCV.NXT).</summary>
        private static bool Acceptable(uint rcvNxt, int window, uint seq, int segmentLength)
        {
            if (segmentLength == 0)
            {
                return window == 0 ? seq == rcvNxt : InWindow(rcvNxt, window, seq);
            }
            if (window == 0) return false;
            return InWindow(rcvNxt, window, seq) || InWindow(rcvNxt, window, seq + (uint)segmentLength - 1);
        }

        private static bool InWindow(uint start, int window, uint seq)
        {
            return !SeqLt(seq, start) && SeqLt(seq, start + (uint)window);
        }

        /// <summary>The MSS option of a SYN (RFC 9293 section 3.2), or the default 536 when it carries none.</summary>
        private static int PeerMss(byte[] b, int t)
        {
            int option = TcpOptions.Find(b, t, TcpOptions.Mss);
            if (option == TcpOptions.None || TcpOptions.Length(b, option) != 4) return DefaultMss;
            int mss = NetworkOrder.ReadUInt16(b, TcpOptions.ValueOffset(option));
            return mss < 64 ? 64 : mss;
        }

        private static void StartTiming(TcpConnection c, uint seq, long now)
        {
            c.Timing = true;
            c.TimedSeq = seq;
            c.TimedAt = now;
        }

        /// <summary>RFC 6298 section 2: SRTT and RTTVAR from one measurement, then RTO = SRTT + max(G, 4 RTTVAR), clamped.</summary>
        private static void Sample(TcpConnection c, long now)
        {
            int r = (int)(now - c.TimedAt);
            if (c.Srtt == 0)
            {
                c.Srtt = r < 1 ? 1 : r;
                c.Rttvar = r / 2;
            }
            else
            {
                int delta = c.Srtt - r;
                if (delta < 0) delta = -delta;
                c.Rttvar = (3 * c.Rttvar + delta) / 4;
                c.Srtt = (7 * c.Srtt + r) / 8;
            }
            int variance = 4 * c.Rttvar;
            int rto = c.Srtt + (variance < 1 ? 1 : variance);
            c.Rto = rto < MinRtoMs ? MinRtoMs : rto > MaxRtoMs ? MaxRtoMs : rto;
        }

        private static bool SeqLt(uint a, uint b) { return (int)(a - b) < 0; }
        private static bool SeqGt(uint a, uint b) { return (int)(a - b) > 0; }
    }
}
