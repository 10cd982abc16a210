using Router.Dhcp;
using Router.Link;

namespace Router.Web
{
    /// <summary>
    /// GET /api/devices?page=N: one page of <see cref="PageSize"/> of the LAN's devices (so the answer fits the smallest
    /// board's HTTP buffer however many devices there are; the page asks for pages until it has <c>total</c>), from the DHCP server's leases (with the host name a client sent) and the
    /// ARP cache (devices with a static address show there only), each with its MAC, address, lease time left,
    /// whether its address is reserved, and when it was last heard. Read straight from the tables, field by field and
    /// without allocating; a row that changes while it is read may show mixed values until the next refresh.
    /// </summary>
    public sealed class DevicesApi
    {
        /// <summary>The JSON names and lease states (one literal: see <see cref="TextTable"/>); the last word is empty.</summary>
        private static readonly TextTable Names = new TextTable(
            "leaseCapacity|reservationCapacity|reservations|devices|name|mac|address|lease|leaseSecondsLeft|reserved|" +
            "lastSeenSeconds|active|expired|offered|released|page|pageSize|total|must be a whole number|", '|');
        private const int LeaseCapacity = 0, ReservationCapacity = 1, Reservations = 2, Devices = 3, Name = 4, Mac = 5, Address = 6,
            Lease = 7, LeaseSecondsLeft = 8, Reserved = 9, LastSeenSeconds = 10, Active = 11, Expired = 12, Offered = 13,
            Released = 14, Page = 15, PageSizeName = 16, Total = 17, NotWholeNumber = 18, Empty = 19;
        /// <summary>The query parameter, as a static field (an <c>ldstr</c> allocates on nanoCLR).</summary>
        private static readonly string PageParameter = "page";

        /// <summary>Devices per answer: about 200 bytes of JSON each, so a page stays near 3 KB.</summary>
        public const int PageSize = 16;

        private readonly WebContext _web;

        public DevicesApi(WebContext web)
        {
            _web = web;
        }

        public void Get(HttpRequest request, HttpResponse response)
        {
            int page = request.QueryNumber(PageParameter);
            if (page < 0)
            {
                ApiReply.Error(_web, response, HttpStatus.BadRequest, Names, Page, NotWholeNumber);
                return;
            }
            RouterFirmware firmware = _web.Firmware;
            DhcpLeaseTable leases = firmware.DhcpServer.Leases;
            ArpCache arp = firmware.DataPlane.Arp.Cache;
            DhcpReservations reservations = _web.Editor.Current.Dhcp.Reservations;
            long now = _web.Now;
            uint seconds = (uint)(now / 1000);
            int lan = NetworkPort.Lan;
            int skip = page * PageSize, listed = 0;

            JsonWriter w = ApiReply.Begin(_web, response);
            w.BeginObject();
            w.Property(Names, LeaseCapacity, leases.Capacity);
            w.Property(Names, ReservationCapacity, reservations.Capacity);
            w.Property(Names, Reservations, reservations.Count);
            w.Name(Names, Devices);
            w.BeginArray();
            for (int i = 0; i < leases.Capacity; i++)
            {
                int state = leases.State(i);
                if (state != DhcpLeaseTable.Bound && state != DhcpLeaseTable.Released && state != DhcpLeaseTable.Offered) continue;
                listed++;
                if (listed <= skip || listed > skip + PageSize) continue;
                uint address = leases.Address(i);
                int mac = DhcpLeaseTable.MacOffset(i);
                w.BeginObject();
                w.PropertyAscii(Names, Name, leases.NameBuffer, DhcpLeaseTable.NameOffset(i), leases.NameLength(i));
                w.PropertyMac(Names, Mac, leases.MacBuffer, mac);
                w.PropertyAddress(Names, Address, address);
                w.Property(Names, Lease, Names, state == DhcpLeaseTable.Bound ? (leases.IsActive(i, seconds) ? Active : Expired) : state == DhcpLeaseTable.Offered ? Offered : Released);
                w.Property(Names, LeaseSecondsLeft, state == DhcpLeaseTable.Bound && leases.Expires(i) > seconds ? leases.Expires(i) - seconds : 0);
                w.Property(Names, Reserved, reservations.Find(leases.MacBuffer, mac) == address);
                WriteLastSeen(w, arp, arp.FindSlot(lan, address), now);
                w.EndObject();
            }
            for (int slot = 0; slot < arp.Capacity; slot++)
            {
                if (!arp.IsResolved(slot) || arp.PortOf(slot) != lan) continue;
                uint address = arp.AddressOf(slot);
                int lease = leases.FindByAddress(address);
                if (lease != DhcpLeaseTable.NotFound && leases.State(lease) != DhcpLeaseTable.Declined) continue; // listed above
                listed++;
                if (listed <= skip || listed > skip + PageSize) continue;
                w.BeginObject();
                w.Property(Names, Name, Names, Empty);
                w.PropertyMac(Names, Mac, arp.MacBuffer, ArpCache.MacOffset(slot));
                w.PropertyAddress(Names, Address, address);
                w.Property(Names, Lease, Names, Empty);
                w.Property(Names, LeaseSecondsLeft, 0);
                w.Property(Names, Reserved, reservations.Find(arp.MacBuffer, ArpCache.MacOffset(slot)) == address);
                WriteLastSeen(w, arp, slot, now);
                w.EndObject();
            }
            w.EndArray();
            w.Property(Names, Page, page);
            w.Property(Names, PageSizeName, PageSize);
            w.Property(Names, Total, listed);
            w.EndObject();
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        /// <summary>Seconds since the device last answered or sent ARP, or -1 when the router has not heard it.</summary>
        private static void WriteLastSeen(JsonWriter w, ArpCache arp, int slot, long now)
        {
            w.Property(Names, LastSeenSeconds, slot == ArpCache.NotFound || !arp.IsResolved(slot) ? -1 : (now - arp.ConfirmedAt(slot)) / 1000);
        }
    }
}
