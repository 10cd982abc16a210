using Router.Conntrack;
using Router.Wire;

namespace Router.Web
{
    /// <summary>
    /// GET /api/connections?page=N&amp;device=ADDRESS: one page of <see cref="PageSize"/> conntrack entries (protocol,
    /// inside, outside and remote endpoints, state, idle time, FTP helper role), optionally only those of one LAN
    /// device. The page is bounded whatever the table's size; the scan is one pass over it. Read straight from the
    /// table, without allocating, like <see cref="DevicesApi"/>.
    /// </summary>
    public sealed class ConnectionsApi
    {
        public const int PageSize = 20;

        /// <summary>The JSON names, values and errors (one literal: see <see cref="TextTable"/>); the last word is empty.</summary>
        private static readonly TextTable Names = new TextTable(
            "page|device|is not an IPv4 address|must be a whole number|used|capacity|pageSize|connections|protocol|tcp|udp|icmp|" +
            "other|inside|outside|remote|direction|in|out|state|replied|unreplied|idleSeconds|timeoutSeconds|helper|" +
            "FTP control|FTP data (expected)|total|address|port|", '|');
        private const int Page = 0, Device = 1, NotAnAddress = 2, NotWholeNumber = 3, Used = 4, Capacity = 5, PageSizeName = 6,
            Connections = 7, Protocol = 8, Tcp = 9, Udp = 10, Icmp = 11, Other = 12, Inside = 13, Outside = 14, Remote = 15,
            Direction = 16, In = 17, Out = 18, State = 19, Replied = 20, Unreplied = 21, IdleSeconds = 22, TimeoutSeconds = 23,
            Helper = 24, FtpControl = 25, FtpData = 26, Total = 27, Address = 28, Port = 29, Empty = 30;
        /// <summary>Conntrack's TCP state names, indexed by <see cref="TcpState"/>.</summary>
        private static readonly TextTable TcpStates = new TextTable(TcpState.NameList, ',');
        /// <summary>The query parameters, as static fields (an <c>ldstr</c> allocates on nanoCLR).</summary>
        private static readonly string PageParameter = "page", DeviceParameter = "device";

        private readonly WebContext _web;

        public ConnectionsApi(WebContext web)
        {
            _web = web;
        }

        public void Get(HttpRequest request, HttpResponse response)
        {
            int page = request.QueryNumber(PageParameter);
            int length;
            int at = request.FindQuery(DeviceParameter, out length);
            uint device = 0;
            if (at >= 0 && length > 0 && !ParseAddress(request.Buffer, at, length, out device))
            {
                ApiReply.Error(_web, response, HttpStatus.BadRequest, Names, Device, NotAnAddress);
                return;
            }
            if (page < 0)
            {
                ApiReply.Error(_web, response, HttpStatus.BadRequest, Names, Page, NotWholeNumber);
                return;
            }

            ConnectionTable table = _web.Firmware.DataPlane.Connections;
            uint now = (uint)(_web.Now / 1000);
            int skip = page * PageSize, matched = 0;
            JsonWriter w = ApiReply.Begin(_web, response);
            w.BeginObject();
            w.Property(Names, Used, table.Count);
            w.Property(Names, Capacity, table.Capacity);
            w.Property(Names, Page, page);
            w.Property(Names, PageSizeName, PageSize);
            w.Name(Names, Connections);
            w.BeginArray();
            for (int entry = 0; entry < table.Capacity; entry++)
            {
                if (!table.InUse(entry)) continue;
                // An inbound (port-forwarded) connection's inside host is its reply's source; otherwise its original source.
                bool inbound = table.HasStatus(entry, ConnectionTable.StatusDestinationNat);
                int original = entry * 2, reply = entry * 2 + 1;
                int inside = inbound ? reply : original;
                if (device != 0 && table.SourceAddress(inside) != device) continue;
                matched++;
                if (matched <= skip || matched > skip + PageSize) continue;
                int protocol = table.Protocol(entry);
                w.BeginObject();
                w.Property(Names, Protocol, Names, protocol == IpProtocol.Tcp ? Tcp : protocol == IpProtocol.Udp ? Udp : protocol == IpProtocol.Icmp ? Icmp : Other);
                WriteEndpoint(w, Inside, table.SourceAddress(inside), table.SourcePort(inside), protocol);
                if (inbound) WriteEndpoint(w, Outside, table.DestinationAddress(original), table.DestinationPort(original), protocol);
                else WriteEndpoint(w, Outside, table.DestinationAddress(reply), table.DestinationPort(reply), protocol);
                if (inbound) WriteEndpoint(w, Remote, table.SourceAddress(original), table.SourcePort(original), protocol);
                else WriteEndpoint(w, Remote, table.DestinationAddress(original), table.DestinationPort(original), protocol);
                w.Property(Names, Direction, Names, inbound ? In : Out);
                if (protocol == IpProtocol.Tcp) w.Property(Names, State, TcpStates, StateWord(table.State(entry)));
                else w.Property(Names, State, Names, table.HasStatus(entry, ConnectionTable.StatusSeenReply) ? Replied : Unreplied);
                w.Property(Names, IdleSeconds, now - table.LastSeen(entry));
                w.Property(Names, TimeoutSeconds, table.TimeoutSeconds(entry));
                w.Property(Names, Helper, Names, table.HasStatus(entry, ConnectionTable.StatusHelper) ? FtpControl : table.HasStatus(entry, ConnectionTable.StatusRelated) ? FtpData : Empty);
                w.EndObject();
            }
            w.EndArray();
            w.Property(Names, Total, matched);
            w.EndObject();
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        /// <summary>An endpoint as {address, port} (ICMP: the port is the echo identifier), written without making a string.</summary>
        private static void WriteEndpoint(JsonWriter w, int name, uint address, int port, int protocol)
        {
            w.Name(Names, name);
            w.BeginObject();
            w.PropertyAddress(Names, Address, address);
            w.Property(Names, Port, port);
            w.EndObject();
        }

        /// <summary>The word of <see cref="TcpStates"/> for a state; "?" (the table's last word) for any other value.</summary>
        private static int StateWord(int state)
        {
            return state >= 0 && state < TcpState.Count ? state : TcpState.Count;
        }

        private static bool ParseAddress(byte[] b, int offset, int length, out uint address)
        {
            address = 0;
            int part = 0, digits = 0, value = 0;
            for (int i = 0; i <= length; i++)
            {
                if (i == length || b[offset + i] == '.')
                {
                    if (digits == 0 || value > 255) return false;
                    address = (address << 8) | (uint)value;
                    part++;
                    digits = value = 0;
                    continue;
                }
                int c = b[offset + i] - '0';
                if (c < 0 || c > 9 || ++digits > 3) return false;
                value = value * 10 + c;
            }
            return part == 4;
        }
    }
}
