using Router.Wire;

namespace Router.Link
{
    /// <summary>
    /// ARP (RFC 826) for the router's ports: answers requests for the port's address, learns bindings, resolves next
    /// hops, and holds a bounded number of frames while a resolution is under way.
    /// </summary>
    public sealed class ArpResolver
    {
        private static readonly byte[] Unknown = new byte[6];
        private readonly byte[] _broadcast = new byte[6];

        private readonly NetworkPort[] _ports;
        private readonly ArpCache _cache;
        private readonly PendingFrames _pending;
        private readonly Counters _counters;
        private readonly byte[] _request = new byte[EthernetFrame.HeaderLength + ArpPacket.Length];

        public ArpResolver(NetworkPort[] ports, ArpCache cache, PendingFrames pending, Counters counters)
        {
            _ports = ports;
            _cache = cache;
            _pending = pending;
            _counters = counters;
            for (int i = 0; i < 6; i++) _broadcast[i] = 0xFF;
        }

        public ArpCache Cache { get { return _cache; } }
        public int HeldFrames { get { return _pending.Count; } }

        /// <summary>Handles a received ARP frame; returns the counter that records its outcome.</summary>
        public int Receive(NetworkPort port, byte[] frame, int length, long now)
        {
            const int arp = EthernetFrame.HeaderLength;
            if (ArpPacket.Check(frame, arp, length - arp) != HeaderCheck.Valid) return Counters.DropArpMalformed;
            int operation = ArpPacket.Operation(frame, arp);
            uint sender = ArpPacket.SenderProtocolAddress(frame, arp);
            // Never learn (nor answer) a sender that no host can be: a group or zero MAC would send our traffic to
            // everyone or no one, and only the router has its own addresses (an ARP claiming one is a conflict or a poisoning).
            if (!MacAddress.IsUnicast(frame, arp + ArpPacket.SenderHardwareField) || IsRouterAddress(sender)) return Counters.DropArpBogusSender;
            bool forUs = ArpPacket.TargetProtocolAddress(frame, arp) == port.Address;
            if (sender != 0 && port.OnLink(sender))
            {
                _cache.Learn(port.Index, sender, frame, arp + ArpPacket.SenderHardwareField, now, forUs);
                Flush(port, sender, now);
            }
            if (operation == ArpPacket.OperationRequest && forUs)
            {
                // Answer in place: the requester becomes the target.
                System.Array.Copy(frame, arp + ArpPacket.SenderHardwareField, frame, 0, 6);
                System.Array.Copy(port.Mac, 0, frame, 6, 6);
                ArpPacket.Write(frame, arp, ArpPacket.OperationReply, port.Mac, port.Address, frame, 0, sender);
                EthernetFrame.SetEtherType(frame, 0, EthernetFrame.EtherTypeArp);
                if (port.Send(frame, 0, EthernetFrame.HeaderLength + ArpPacket.Length)) _counters.Increment(Counters.ArpRepliesSent);
            }
            return Counters.Consumed;
        }

        /// <summary>
        /// Sends an IPv4 frame to <paramref name="nextHop"/> on <paramref name="port"/>, filling in the Ethernet addresses.
        /// Returns the counter that records the frame's outcome: <see cref="Counters.Forwarded"/>, <see cref="Counters.ArpHeld"/>
        /// (held until the next hop answers, then forwarded or dropped on timeout), or a drop counter.
        /// </summary>
        public int Transmit(NetworkPort port, uint nextHop, byte[] frame, int length, long now)
        {
            int slot = _cache.Lookup(port.Index, nextHop, now);
            if (slot != ArpCache.NotFound)
            {
                EthernetFrame.SetAddresses(frame, 0, _cache.MacBuffer, ArpCache.MacOffset(slot), port.Mac);
                return port.Send(frame, 0, length) ? Counters.Forwarded : Counters.DropTransmitFailed;
            }
            if (!_pending.Hold(port.Index, nextHop, frame, 0, length)) return Counters.DropArpQueueFull;
            if (_cache.ShouldRequest(port.Index, nextHop, now)) SendRequest(port, nextHop);
            return Counters.ArpHeld;
        }

        /// <summary>
        /// The cache slot holding <paramref name="address"/>'s MAC, or <see cref="ArpCache.NotFound"/> after asking for it.
        /// For frames the router originates: they are not held (their protocol retransmits), so they never enter the frame accounting.
        /// </summary>
        public int Resolve(NetworkPort port, uint address, long now)
        {
            int slot = _cache.Lookup(port.Index, address, now);
            if (slot != ArpCache.NotFound) return slot;
            if (_cache.HasFailed(port.Index, address, now)) _cache.ResetAttempts(port.Index, address);
            if (_cache.ShouldRequest(port.Index, address, now)) SendRequest(port, address);
            return ArpCache.NotFound;
        }

        /// <summary>When <see cref="Service"/> has work: the next request or give-up for a held frame's next hop (long.MaxValue when none is held).</summary>
        public long NextDeadline
        {
            get { return HeldFrames == 0 ? long.MaxValue : _cache.NextRetryAt(); }
        }

        /// <summary>Retries outstanding requests and drops frames whose next hop never answered.</summary>
        public void Service(long now)
        {
            for (int i = _pending.NextHeld(0); i >= 0; i = _pending.NextHeld(i + 1))
            {
                NetworkPort port = _ports[_pending.Port(i)];
                uint nextHop = _pending.NextHop(i);
                if (_cache.Lookup(port.Index, nextHop, now) != ArpCache.NotFound)
                {
                    Flush(port, nextHop, now);
                }
                else if (_cache.HasFailed(port.Index, nextHop, now))
                {
                    _pending.Release(i);
                    _counters.Increment(Counters.DropArpTimeout);
                    if (_pending.Next(port.Index, nextHop, 0) < 0) _cache.ResetAttempts(port.Index, nextHop);
                }
                else if (_cache.ShouldRequest(port.Index, nextHop, now))
                {
                    SendRequest(port, nextHop);
                }
            }
        }

        private void Flush(NetworkPort port, uint nextHop, long now)
        {
            int slot = _cache.Lookup(port.Index, nextHop, now);
            if (slot == ArpCache.NotFound) return;
            for (int i = _pending.Next(port.Index, nextHop, 0); i >= 0; i = _pending.Next(port.Index, nextHop, i + 1))
            {
                byte[] frame = _pending.Frame(i);
                EthernetFrame.SetAddresses(frame, 0, _cache.MacBuffer, ArpCache.MacOffset(slot), port.Mac);
                _counters.Increment(port.Send(frame, 0, _pending.Length(i)) ? Counters.Forwarded : Counters.DropTransmitFailed);
                _pending.Release(i);
            }
        }

        private bool IsRouterAddress(uint address)
        {
            for (int i = 0; i < _ports.Length; i++)
            {
                if (address == _ports[i].Address && address != 0) return true;
            }
            return false;
        }

        private void SendRequest(NetworkPort port, uint target)
        {
            EthernetFrame.SetAddresses(_request, 0, _broadcast, 0, port.Mac);
            EthernetFrame.SetEtherType(_request, 0, EthernetFrame.EtherTypeArp);
            ArpPacket.Write(_request, EthernetFrame.HeaderLength, ArpPacket.OperationRequest, port.Mac, port.Address, Unknown, 0, target);
            if (port.Send(_request, 0, _request.Length)) _counters.Increment(Counters.ArpRequestsSent);
        }
    }
}
