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

        private readonly WebContext _web;

        public ConnectionsApi(WebContext web)
        {
            _web = web;
        }

        public void Get(HttpRequest request, HttpResponse response)
        {
            int length;
            int at = request.FindQuery("page", out length);
            int page = at < 0 || length == 0 ? 0 : Ascii.ParseDecimal(request.Buffer, at, length);
            at = request.FindQuery("device", out length);
            uint device = 0;
            if (at >= 0 && length > 0 && !ParseAddress(request.Buffer, at, length, out device))
            {
                ApiReply.Error(_web, response, HttpStatus.BadRequest, "device", "is not an IPv4 address");
                return;
            }
            if (page < 0)
            {
                ApiReply.Error(_web, response, HttpStatus.BadRequest, "page", "must be a whole number");
                return;
            }

            ConnectionTable table = _web.Firmware.DataPlane.Connections;
            uint now = (uint)(_web.Now / 1000);
            int skip = page * PageSize, matched = 0;
            JsonWriter w = ApiReply.Begin(_web, response);
            w.BeginObject();
            w.Property("used", table.Count);
            w.Property("capacity", table.Capacity);
            w.Property("page", page);
            w.Property("pageSize", PageSize);
            w.Name("connections");
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
                w.Property("protocol", protocol == IpProtocol.Tcp ? "tcp" : protocol == IpProtocol.Udp ? "udp" : protocol == IpProtocol.Icmp ? "icmp" : "other");
                WriteEndpoint(w, "inside", table.SourceAddress(inside), table.SourcePort(inside), protocol);
                if (inbound) WriteEndpoint(w, "outside", table.DestinationAddress(original), table.DestinationPort(original), protocol);
                else WriteEndpoint(w, "outside", table.DestinationAddress(reply), table.DestinationPort(reply), protocol);
                if (inbound) WriteEndpoint(w, "remote", table.SourceAddress(original), table.SourcePort(original), protocol);
                else WriteEndpoint(w, "remote", table.DestinationAddress(original), table.DestinationPort(original), protocol);
                w.Property("direction", inbound ? "in" : "out");
                w.Property("state", protocol == IpProtocol.Tcp ? TcpState.Name(table.State(entry)) : table.HasStatus(entry, ConnectionTable.StatusSeenReply) ? "replied" : "unreplied");
                w.Property("idleSeconds", now - table.LastSeen(entry));
                w.Property("timeoutSeconds", table.TimeoutSeconds(entry));
                w.Property("helper", table.HasStatus(entry, ConnectionTable.StatusHelper) ? "FTP control" : table.HasStatus(entry, ConnectionTable.StatusRelated) ? "FTP data (expected)" : "");
                w.EndObject();
            }
            w.EndArray();
            w.Property("total", matched);
            w.EndObject();
            ApiReply.Send(_web, response, HttpStatus.Ok);
        }

        /// <summary>An endpoint as {address, port} (ICMP: the port is the echo identifier), written without making a string.</summary>
        private static void WriteEndpoint(JsonWriter w, string name, uint address, int port, int protocol)
        {
            w.Name(name);
            w.BeginObject();
            w.PropertyAddress("address", address);
            w.Property("port", port);
            w.EndObject();
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
