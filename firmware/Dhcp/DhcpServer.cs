using Router.Ip;
using Router.Link;
using Router.Wire;

namespace Router.Dhcp
{
    /// <summary>
    /// The DHCP server on the LAN (RFC 2131 section 4.3): hands out addresses from the pool in
    /// <see cref="DhcpServerSettings"/> (or a client's reservation) with the router, subnet mask and DNS servers.
    /// It is authoritative for the LAN: a request for an address it may not give is answered with a NAK, and a client
    /// it has no record of may keep a free address it asks for (as dnsmasq's dhcp-authoritative does), which also
    /// recovers a binding lost between two batched lease-store writes. No free address: no offer, counted.
    /// </summary>
    public sealed class DhcpServer : ILocalService, IAddressOwners
    {
        /// <summary>How long an offered address waits for the client's request.</summary>
        public const uint OfferHoldSeconds = 60;
        /// <summary>How long an address a client declined stays out of the pool.</summary>
        public const uint DeclineHoldSeconds = 600;

        private readonly NetworkPort _lan;
        private readonly LocalSender _sender;
        private readonly RouterSettings _routerSettings;
        private readonly DhcpServerSettings _settings;
        private readonly DhcpLeaseTable _leases;
        private readonly DhcpMessage _received = new DhcpMessage();
        private readonly DhcpOptionWriter _options = new DhcpOptionWriter();
        private BatchedLeaseWriter _writer;

        public readonly DhcpCounters Counters = new DhcpCounters();

        public DhcpServer(NetworkPort lan, LocalSender sender, RouterSettings routerSettings, DhcpServerSettings settings, int leaseCapacity)
        {
            _lan = lan;
            _sender = sender;
            _routerSettings = routerSettings;
            _settings = settings;
            _leases = new DhcpLeaseTable(leaseCapacity);
        }

        public DhcpLeaseTable Leases { get { return _leases; } }
        public DhcpServerSettings Settings { get { return _settings; } }

        /// <summary>The LAN source guard's view: an address bound to (or reserved for) another client.</summary>
        public bool HeldByOther(uint address, byte[] mac, int macOffset, long now)
        {
            if (_settings.Reservations.IsReservedForOther(address, mac, macOffset)) return true;
            int holder = _leases.FindByAddress(address);
            return holder != DhcpLeaseTable.NotFound && _leases.State(holder) == DhcpLeaseTable.Bound
                && _leases.IsActive(holder, Seconds(now)) && !_leases.MacEquals(holder, mac, macOffset);
        }

        public int Generation { get { return _leases.Generation + _settings.Reservations.Generation; } }

        /// <summary>Restores the bindings saved in <paramref name="store"/> and keeps it up to date from now on.</summary>
        public void UseStore(ILeaseStore store, long now)
        {
            store.Load(_leases, Seconds(now) + _settings.LeaseSeconds);
            ForgetBindingsOutsideSettings(now); // saved under other settings
            _writer = new BatchedLeaseWriter(store, Counters);
        }

        /// <summary>
        /// After a settings change (new pool, reservations or LAN prefix): forgets every offer and binding the server would
        /// now refuse to renew, so their addresses and table entries are free at once. DHCP cannot take an address back,
        /// so such a client keeps it until its next renewal (T1, half the lease), gets a NAK and asks again. Declined
        /// addresses keep their hold. Returns the number forgotten (also counted as bindings_revoked).
        /// </summary>
        public int ForgetBindingsOutsideSettings(long now)
        {
            uint seconds = Seconds(now);
            int forgotten = 0;
            for (int entry = 0; entry < _leases.Capacity; entry++)
            {
                int state = _leases.State(entry);
                if (state == DhcpLeaseTable.Free || state == DhcpLeaseTable.Declined) continue;
                if (MayHave(_leases.Address(entry), _leases.MacBuffer, DhcpLeaseTable.MacOffset(entry), seconds)) continue;
                _leases.Clear(entry);
                Counters.Increment(DhcpCounters.BindingsRevoked);
                forgotten++;
            }
            return forgotten;
        }

        /// <summary>When <see cref="Tick"/> has work: a lease save in progress (now) or due (the batching interval's end).</summary>
        public long NextDeadline(long now)
        {
            if (_writer == null) return long.MaxValue;
            uint seconds = Seconds(now);
            uint due = _writer.NextDue(_leases, seconds, _settings.LeaseStoreIntervalSeconds);
            if (due == uint.MaxValue) return long.MaxValue;
            if (due <= seconds) return now;
            return now + (long)(due - seconds) * 1000;
        }

        /// <summary>Housekeeping from the main loop: saves changed bindings, batched, a flash operation per call.</summary>
        public void Tick(long now)
        {
            if (_writer != null) _writer.Service(_leases, Seconds(now), _settings.LeaseStoreIntervalSeconds);
        }

        public bool Deliver(NetworkPort port, ParsedPacket p, long now)
        {
            if (port != _lan || !_settings.Enabled || p.Protocol != IpProtocol.Udp || !p.HasTransport || p.IsFragment
                || p.DestinationPort != DhcpMessage.ServerPort)
            {
                return false;
            }
            int udpLength = UdpDatagram.Length(p.Buffer, p.TransportOffset);
            DhcpMessage m = _received.Wrap(p.Buffer, p.TransportOffset + UdpDatagram.HeaderLength, udpLength - UdpDatagram.HeaderLength);
            Counters.Increment(DhcpCounters.MessagesReceived);
            int error = m.Validate(DhcpMessage.BootRequest);
            if (error != Verdict.Accept)
            {
                Counters.Increment(error);
                return true;
            }
            int sourceMac = p.IpOffset - EthernetFrame.HeaderLength + MacAddress.Length;
            uint seconds = Seconds(now);
            switch (m.MessageType)
            {
                case DhcpMessageType.Discover: Discover(m, sourceMac, seconds, now); break;
                case DhcpMessageType.Request: Request(m, sourceMac, seconds, now); break;
                case DhcpMessageType.Decline: Decline(m, seconds); break;
                case DhcpMessageType.Release: Release(m, seconds); break;
                case DhcpMessageType.Inform: Inform(m, sourceMac, now); break;
                default: Counters.Increment(DhcpCounters.DropUnexpectedType); break;
            }
            return true;
        }

        private void Discover(DhcpMessage m, int sourceMac, uint seconds, long now)
        {
            byte[] b = m.Buffer;
            int mac = m.ClientMacOffset;
            int entry = _leases.FindByMac(b, mac);
            uint address = ChooseAddress(m, entry, seconds);
            if (address != 0 && entry == DhcpLeaseTable.NotFound) entry = _leases.Claim(seconds);
            if (address == 0 || entry == DhcpLeaseTable.NotFound)
            {
                Counters.Increment(DhcpCounters.NoOfferPoolExhausted);
                return;
            }
            // A client still bound to this address keeps its binding; anything else holds the address for the offer.
            if (!(_leases.State(entry) == DhcpLeaseTable.Bound && _leases.Address(entry) == address && _leases.IsActive(entry, seconds)))
            {
                Assign(entry, DhcpLeaseTable.Offered, b, mac, address, seconds + OfferHoldSeconds);
            }
            if (Reply(m, DhcpMessageType.Offer, address, sourceMac, now)) Counters.Increment(DhcpCounters.OffersSent);
        }

        /// <summary>The address to offer (RFC 2131 4.3.1): the reservation, the client's previous address, the one it asks for, or a free one.</summary>
        private uint ChooseAddress(DhcpMessage m, int entry, uint seconds)
        {
            byte[] b = m.Buffer;
            int mac = m.ClientMacOffset;
            uint reserved = _settings.Reservations.Find(b, mac);
            if (reserved != 0) return AvailableFor(reserved, b, mac, seconds) ? reserved : 0;
            if (entry != DhcpLeaseTable.NotFound && _leases.State(entry) != DhcpLeaseTable.Declined && CanLease(_leases.Address(entry), b, mac, seconds))
            {
                return _leases.Address(entry);
            }
            uint requested = m.ReadUInt32Option(DhcpOption.RequestedAddress);
            if (requested != 0 && CanLease(requested, b, mac, seconds)) return requested;

            // Prefer an address nobody has had, so a departed client finds its old one when it comes back. Only table
            // entries, reservations and the subnet's own addresses make a pool address unavailable or remembered, so
            // scanning that many more candidates finds a never-used one if there is any: the work is bounded by the tables.
            uint mask = Ipv4Address.Mask(_lan.PrefixLength);
            uint first = _settings.PoolStart, last = _settings.PoolEnd;
            if (first <= (_lan.Address & mask)) first = (_lan.Address & mask) + 1;
            if (last >= _lan.BroadcastAddress) last = _lan.BroadcastAddress - 1;
            int budget = 2 * _leases.Capacity + _settings.Reservations.Capacity + 2;
            uint remembered = 0;
            for (uint a = first; a <= last && budget > 0; a++, budget--)
            {
                if (!AvailableFor(a, b, mac, seconds)) continue;
                if (_leases.FindByAddress(a) == DhcpLeaseTable.NotFound) return a;
                if (remembered == 0) remembered = a;
            }
            return remembered;
        }

        private void Request(DhcpMessage m, int sourceMac, uint seconds, long now)
        {
            byte[] b = m.Buffer;
            int mac = m.ClientMacOffset;
            uint serverId = m.ReadUInt32Option(DhcpOption.ServerIdentifier);
            uint requested = m.ReadUInt32Option(DhcpOption.RequestedAddress);
            int entry = _leases.FindByMac(b, mac);
            if (serverId != 0 && serverId != _lan.Address)
            {
                // SELECTING another server's offer: ours is free again.
                if (entry != DhcpLeaseTable.NotFound && _leases.State(entry) == DhcpLeaseTable.Offered) _leases.Clear(entry);
                Counters.Increment(DhcpCounters.DropNotForUs);
                return;
            }
            // SELECTING and INIT-REBOOT name the address in option 50; RENEWING and REBINDING in ciaddr.
            uint address = requested != 0 ? requested : m.ClientAddress;
            if (address == 0)
            {
                Counters.Increment(DhcpCounters.DropBadHeader);
                return;
            }
            bool allowed = MayHave(address, b, mac, seconds);
            if (allowed && entry == DhcpLeaseTable.NotFound) entry = _leases.Claim(seconds);
            if (!allowed || entry == DhcpLeaseTable.NotFound)
            {
                if (Reply(m, DhcpMessageType.Nak, 0, sourceMac, now)) Counters.Increment(DhcpCounters.NaksSent);
                return;
            }
            Assign(entry, DhcpLeaseTable.Bound, b, mac, address, seconds + _settings.LeaseSeconds);
            int name = m.FindOption(DhcpOption.HostName);
            if (name >= 0 && name + m.OptionLength(name) <= m.Offset + m.Length) _leases.SetName(entry, b, name, m.OptionLength(name));
            if (Reply(m, DhcpMessageType.Ack, address, sourceMac, now)) Counters.Increment(DhcpCounters.AcksSent);
        }

        private void Decline(DhcpMessage m, uint seconds)
        {
            uint address = m.ReadUInt32Option(DhcpOption.RequestedAddress);
            if (m.ReadUInt32Option(DhcpOption.ServerIdentifier) != _lan.Address || address == 0)
            {
                Counters.Increment(DhcpCounters.DropNotForUs);
                return;
            }
            int entry = _leases.FindByAddress(address);
            if (entry != DhcpLeaseTable.NotFound && _leases.IsActive(entry, seconds) && !_leases.MacEquals(entry, m.Buffer, m.ClientMacOffset))
            {
                Counters.Increment(DhcpCounters.DropNotForUs); // someone else's lease: a forged decline must not take it away
                return;
            }
            if (entry == DhcpLeaseTable.NotFound) entry = _leases.Claim(seconds);
            if (entry != DhcpLeaseTable.NotFound) _leases.Set(entry, DhcpLeaseTable.Declined, null, 0, address, seconds + DeclineHoldSeconds);
            Counters.Increment(DhcpCounters.Declines);
        }

        private void Release(DhcpMessage m, uint seconds)
        {
            byte[] b = m.Buffer;
            int entry = _leases.FindByMac(b, m.ClientMacOffset);
            if (m.ReadUInt32Option(DhcpOption.ServerIdentifier) != _lan.Address || entry == DhcpLeaseTable.NotFound
                || _leases.Address(entry) != m.ClientAddress || _leases.State(entry) != DhcpLeaseTable.Bound)
            {
                Counters.Increment(DhcpCounters.DropNotForUs);
                return;
            }
            _leases.Set(entry, DhcpLeaseTable.Released, b, m.ClientMacOffset, m.ClientAddress, seconds);
            Counters.Increment(DhcpCounters.Releases);
        }

        private void Inform(DhcpMessage m, int sourceMac, long now)
        {
            if (m.ClientAddress == 0 || !_lan.OnLink(m.ClientAddress))
            {
                Counters.Increment(DhcpCounters.DropNotForUs);
                return;
            }
            if (Reply(m, DhcpMessageType.Ack, 0, sourceMac, now)) Counters.Increment(DhcpCounters.Informs);
        }

        /// <summary>Gives <paramref name="address"/> to entry, taking it from any stale entry of another client.</summary>
        private void Assign(int entry, int state, byte[] mac, int macOffset, uint address, uint expires)
        {
            int holder = _leases.FindByAddress(address);
            if (holder != DhcpLeaseTable.NotFound && holder != entry) _leases.Clear(holder);
            _leases.Set(entry, state, mac, macOffset, address, expires);
        }

        /// <summary>What a REQUEST may bind: the client's reservation if it has one, else a pool address it may have.</summary>
        private bool MayHave(uint address, byte[] mac, int macOffset, uint seconds)
        {
            uint reserved = _settings.Reservations.Find(mac, macOffset);
            return reserved != 0 ? address == reserved && AvailableFor(address, mac, macOffset, seconds) : CanLease(address, mac, macOffset, seconds);
        }

        /// <summary>A pool address this client may have.</summary>
        private bool CanLease(uint address, byte[] mac, int macOffset, uint seconds)
        {
            return _settings.InPool(address) && AvailableFor(address, mac, macOffset, seconds);
        }

        /// <summary>A usable host address of the LAN that no other client holds or has reserved.</summary>
        private bool AvailableFor(uint address, byte[] mac, int macOffset, uint seconds)
        {
            if (!_lan.OnLink(address) || address == _lan.Address || address == _lan.BroadcastAddress) return false;
            if ((address & ~Ipv4Address.Mask(_lan.PrefixLength)) == 0) return false;
            if (_settings.Reservations.IsReservedForOther(address, mac, macOffset)) return false;
            int holder = _leases.FindByAddress(address);
            return holder == DhcpLeaseTable.NotFound || !_leases.IsActive(holder, seconds)
                || (_leases.State(holder) != DhcpLeaseTable.Declined && _leases.MacEquals(holder, mac, macOffset));
        }

        /// <summary>Builds and sends an OFFER, ACK or NAK for <paramref name="m"/> (RFC 2131 table 3 and section 4.1). <paramref name="address"/> 0 in an ACK answers an INFORM.</summary>
        private bool Reply(DhcpMessage m, int type, uint address, int sourceMac, long now)
        {
            byte[] b = _sender.Buffer;
            int at = LocalSender.PayloadOffset;
            bool inform = type == DhcpMessageType.Ack && address == 0;
            uint clientAddress = type == DhcpMessageType.Ack ? m.ClientAddress : 0;
            DhcpMessage.WriteHeader(b, at, DhcpMessage.BootReply, m.TransactionId, m.Flags, clientAddress, address, m.RelayAddress, m.Buffer, m.ClientMacOffset);

            DhcpOptionWriter w = _options.Start(b, at, _sender.MaxPayload);
            w.WriteByte(DhcpOption.MessageType, type);
            w.WriteUInt32(DhcpOption.ServerIdentifier, _lan.Address);
            if (type != DhcpMessageType.Nak)
            {
                if (!inform)
                {
                    uint lease = _settings.LeaseSeconds;
                    w.WriteUInt32(DhcpOption.LeaseTime, lease);
                    w.WriteUInt32(DhcpOption.RenewalTime, lease / 2);
                    w.WriteUInt32(DhcpOption.RebindingTime, lease / 8 * 7);
                }
                w.WriteUInt32(DhcpOption.SubnetMask, Ipv4Address.Mask(_lan.PrefixLength));
                w.WriteAddresses(DhcpOption.Router, _lan.Address, 0);
                if (_settings.Dns1 != 0 || _settings.Dns2 != 0) w.WriteAddresses(DhcpOption.DnsServers, _settings.Dns1, _settings.Dns2);
                else w.WriteAddresses(DhcpOption.DnsServers, _routerSettings.WanDns1, _routerSettings.WanDns2);
            }
            int length = w.Finish();
            if (length < 0)
            {
                Counters.Increment(DhcpCounters.SendFailed);
                return false;
            }

            bool sent;
            if (m.RelayAddress != 0)
            {
                sent = _sender.SendUdp(_lan, _lan.Address, DhcpMessage.ServerPort, m.RelayAddress, DhcpMessage.ServerPort, length, null, 0, now);
            }
            else if (type == DhcpMessageType.Nak || (clientAddress == 0 && m.BroadcastFlag))
            {
                sent = _sender.SendUdp(_lan, _lan.Address, DhcpMessage.ServerPort, Ipv4Address.Broadcast, DhcpMessage.ClientPort, length, null, 0, now);
            }
            else
            {
                // Unicast to ciaddr, or to the new address at the client's MAC (it accepts unicast before it has configured it).
                uint destination = clientAddress != 0 ? clientAddress : address;
                int macOffset = clientAddress != 0 ? sourceMac : m.ClientMacOffset;
                sent = _sender.SendUdp(_lan, _lan.Address, DhcpMessage.ServerPort, destination, DhcpMessage.ClientPort, length, m.Buffer, macOffset, now);
            }
            if (!sent) Counters.Increment(DhcpCounters.SendFailed);
            return sent;
        }

        private static uint Seconds(long milliseconds)
        {
            return (uint)(milliseconds / 1000);
        }
    }
}
