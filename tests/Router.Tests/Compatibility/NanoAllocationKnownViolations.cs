using System;
using System.Collections.Generic;
using System.Linq;

namespace Router.Tests.Compatibility
{
    /// <summary>
    /// TEMPORARY: allocations on the per-frame and per-tick paths that are real, known, and owned by work in progress.
    /// <see cref="NanoAllocationFirmwareTests"/> checks this list EXACTLY: a violation not listed fails, and a listed one
    /// that no longer occurs fails too, so the list only shrinks. When your change removes violations, delete their
    /// lines (the failure message names them; the report in the test output has the current list ready to paste).
    /// This is not an exemption list: cold paths go in <see cref="NanoAllocationPolicy.ColdPaths"/>, with a reason.
    /// </summary>
    public static class NanoAllocationKnownViolations
    {
        /// <summary>Rules that come from struct values: the views branch turns every struct view and its users into static accessors.</summary>
        private static readonly string[] StructRules = { "struct-local", "struct-load", "struct-arg", "struct-return" };

        /// <summary>Owning area of other violations by source path prefix (first match wins); anything else is "ilgate".</summary>
        public static readonly (string Prefix, string Area)[] Areas =
        {
            ("firmware/Wire/", "views"),
            ("firmware/Ip/ParsedPacket.cs", "views"),
            ("firmware/DataPlane.cs", "views"),
            ("firmware/Web/", "tcp"),
            ("firmware/Nat/", "harden"),
            ("firmware/Conntrack/", "harden"),
            ("firmware/Helpers/", "harden"),
        };

        public static string AreaOf(AllocationViolation v)
        {
            if (Array.IndexOf(StructRules, v.Rule) >= 0 || (v.Rule == "newobj" && v.Detail.EndsWith("(struct)", StringComparison.Ordinal))) return "views";
            string file = v.File ?? "";
            foreach ((string prefix, string area) in Areas)
            {
                if (file.StartsWith(prefix, StringComparison.Ordinal)) return area;
            }
            return "ilgate";
        }

        /// <summary>The list line for a violation: "area | method | rule detail".</summary>
        public static string Line(AllocationViolation v) => AreaOf(v) + " | " + v.Key;

        /// <summary>
        /// Compares the list with what the gate found, as multisets: <c>Unlisted</c> occur but are not listed (new
        /// violations: fix them), <c>Gone</c> are listed but no longer occur (progress: delete those lines).
        /// </summary>
        public static (List<string> Unlisted, List<string> Gone) Diff(IEnumerable<string> listed, IEnumerable<AllocationViolation> found)
        {
            var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string line in listed) remaining[line] = remaining.TryGetValue(line, out int n) ? n + 1 : 1;
            var unlisted = new List<string>();
            foreach (string line in found.Select(Line))
            {
                if (remaining.TryGetValue(line, out int n) && n > 0) remaining[line] = n - 1;
                else unlisted.Add(line);
            }
            var gone = remaining.Where(kv => kv.Value > 0).SelectMany(kv => Enumerable.Repeat(kv.Key, kv.Value)).ToList();
            unlisted.Sort(StringComparer.Ordinal);
            gone.Sort(StringComparer.Ordinal);
            return (unlisted, gone);
        }

        /// <summary>One line per occurrence, sorted by area then method.</summary>
        public static readonly string[] Entries =
        {
            "harden | Router.Conntrack.TcpTracker::Next(int,int,int) | ldstr \"11-----11xx-------xx4466678xx3355778x...\"",
            "harden | Router.Helpers.Ftp.FtpHelper::MayNameEndpoint(byte[],int,int) | ldstr \"227 \"",
            "harden | Router.Helpers.Ftp.FtpHelper::MayNameEndpoint(byte[],int,int) | ldstr \"229 \"",
            "harden | Router.Helpers.Ftp.FtpHelper::MayNameEndpoint(byte[],int,int) | ldstr \"EPRT \"",
            "harden | Router.Helpers.Ftp.FtpHelper::MayNameEndpoint(byte[],int,int) | ldstr \"PORT \"",
            "tcp | Router.Web.ControlChannel::Service() | framework-alloc System.Object::ToString()",
            "tcp | Router.Web.ControlChannel::Service() | framework-alloc System.String::Concat(string,string)",
            "tcp | Router.Web.ControlChannel::Service() | ldstr \"configuration not applied: \"",
            "views | Router.DataPlane::Dispatch(NetworkPort,byte[],int) | struct-local EthernetFrame",
            "views | Router.DataPlane::Transit(NetworkPort,ParsedPacket) | struct-local Ipv4Packet",
            "views | Router.DataPlane::Transit(NetworkPort,ParsedPacket) | struct-return Router.Ip.ParsedPacket::get_Ip() returns Ipv4Packet",
            "views | Router.DataPlane::Transit(NetworkPort,ParsedPacket) | struct-return Router.Ip.ParsedPacket::get_Ip() returns Ipv4Packet",
            "views | Router.DataPlane::Transit(NetworkPort,ParsedPacket) | struct-return Router.Ip.ParsedPacket::get_Ip() returns Ipv4Packet",
            "views | Router.DataPlane::Transit(NetworkPort,ParsedPacket) | struct-return Router.Ip.ParsedPacket::get_Ip() returns Ipv4Packet",
            "views | Router.Dhcp.DhcpClient::Deliver(NetworkPort,ParsedPacket,long) | newobj Router.Wire.UdpDatagram (struct)",
            "views | Router.Dhcp.DhcpClient::Deliver(NetworkPort,ParsedPacket,long) | struct-arg Router.Dhcp.DhcpClient::Ack(DhcpMessage,ParsedPacket) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpClient::Deliver(NetworkPort,ParsedPacket,long) | struct-arg Router.Dhcp.DhcpClient::Offer(DhcpMessage,long) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpClient::Deliver(NetworkPort,ParsedPacket,long) | struct-local DhcpMessage",
            "views | Router.Dhcp.DhcpClient::Deliver(NetworkPort,ParsedPacket,long) | struct-local UdpDatagram",
            "views | Router.Dhcp.DhcpClient::Transmit(int,long) | newobj Router.Dhcp.DhcpMessage (struct)",
            "views | Router.Dhcp.DhcpClient::Transmit(int,long) | struct-local DhcpOptionWriter",
            "views | Router.Dhcp.DhcpClient::Transmit(int,long) | struct-local DhcpMessage",
            "views | Router.Dhcp.DhcpServer::Deliver(NetworkPort,ParsedPacket,long) | newobj Router.Wire.UdpDatagram (struct)",
            "views | Router.Dhcp.DhcpServer::Deliver(NetworkPort,ParsedPacket,long) | struct-arg Router.Dhcp.DhcpServer::Decline(DhcpMessage,uint) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpServer::Deliver(NetworkPort,ParsedPacket,long) | struct-arg Router.Dhcp.DhcpServer::Discover(DhcpMessage,int,uint,long) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpServer::Deliver(NetworkPort,ParsedPacket,long) | struct-arg Router.Dhcp.DhcpServer::Inform(DhcpMessage,int,long) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpServer::Deliver(NetworkPort,ParsedPacket,long) | struct-arg Router.Dhcp.DhcpServer::Release(DhcpMessage,uint) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpServer::Deliver(NetworkPort,ParsedPacket,long) | struct-arg Router.Dhcp.DhcpServer::Request(DhcpMessage,int,uint,long) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpServer::Deliver(NetworkPort,ParsedPacket,long) | struct-local DhcpMessage",
            "views | Router.Dhcp.DhcpServer::Deliver(NetworkPort,ParsedPacket,long) | struct-local UdpDatagram",
            "views | Router.Dhcp.DhcpServer::Discover(DhcpMessage,int,uint,long) | struct-arg Router.Dhcp.DhcpServer::ChooseAddress(DhcpMessage,int,uint) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpServer::Discover(DhcpMessage,int,uint,long) | struct-arg Router.Dhcp.DhcpServer::Reply(DhcpMessage,int,uint,int,long) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpServer::Inform(DhcpMessage,int,long) | struct-arg Router.Dhcp.DhcpServer::Reply(DhcpMessage,int,uint,int,long) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpServer::Reply(DhcpMessage,int,uint,int,long) | newobj Router.Dhcp.DhcpMessage (struct)",
            "views | Router.Dhcp.DhcpServer::Reply(DhcpMessage,int,uint,int,long) | struct-local DhcpOptionWriter",
            "views | Router.Dhcp.DhcpServer::Reply(DhcpMessage,int,uint,int,long) | struct-local DhcpMessage",
            "views | Router.Dhcp.DhcpServer::Request(DhcpMessage,int,uint,long) | struct-arg Router.Dhcp.DhcpServer::Reply(DhcpMessage,int,uint,int,long) takes DhcpMessage by value",
            "views | Router.Dhcp.DhcpServer::Request(DhcpMessage,int,uint,long) | struct-arg Router.Dhcp.DhcpServer::Reply(DhcpMessage,int,uint,int,long) takes DhcpMessage by value",
            "views | Router.Helpers.Ftp.FtpHelper::Inspect(ParsedPacket,int,int,int,uint) | struct-local TcpSegment",
            "views | Router.Helpers.Ftp.FtpHelper::Process(ParsedPacket,int,int,uint) | struct-local TcpSegment",
            "views | Router.Helpers.Ftp.FtpPayloadRewriter::FinishChecksum(ParsedPacket) | newobj Router.Wire.TcpSegment (struct)",
            "views | Router.Helpers.Ftp.FtpPayloadRewriter::FinishChecksum(ParsedPacket) | struct-local TcpSegment",
            "views | Router.Helpers.Ftp.FtpPayloadRewriter::Replace(ParsedPacket,int,int,byte[],int,int,int) | struct-local Ipv4Packet",
            "views | Router.Helpers.Ftp.FtpPayloadRewriter::Replace(ParsedPacket,int,int,byte[],int,int,int) | struct-return Router.Ip.ParsedPacket::get_Ip() returns Ipv4Packet",
            "views | Router.Ip.IcmpResponder::Echo(NetworkPort,ParsedPacket) | struct-local Ipv4Packet",
            "views | Router.Ip.IcmpResponder::Echo(NetworkPort,ParsedPacket) | struct-local IcmpMessage",
            "views | Router.Ip.IcmpResponder::Echo(NetworkPort,ParsedPacket) | struct-return Router.Ip.ParsedPacket::get_Ip() returns Ipv4Packet",
            "views | Router.Ip.IcmpResponder::SendError(NetworkPort,ParsedPacket,int,int,int,long) | newobj Router.Wire.Ipv4Packet (struct)",
            "views | Router.Ip.IcmpResponder::SendError(NetworkPort,ParsedPacket,int,int,int,long) | struct-local EthernetFrame",
            "views | Router.Ip.IcmpResponder::SendError(NetworkPort,ParsedPacket,int,int,int,long) | struct-local IcmpMessage",
            "views | Router.Ip.IcmpResponder::SendError(NetworkPort,ParsedPacket,int,int,int,long) | struct-local Ipv4Packet",
            "views | Router.Ip.MssClamp::Apply(byte[],int,int) | struct-local TcpSegment",
            "views | Router.Ip.ParsedPacket::ParseTransport() | struct-local IcmpMessage",
            "views | Router.Ip.ParsedPacket::ParseTransport() | struct-local TcpSegment",
            "views | Router.Ip.ParsedPacket::ParseTransport() | struct-local UdpDatagram",
            "views | Router.Ip.ParsedPacket::get_Ip() | newobj Router.Wire.Ipv4Packet (struct)",
            "views | Router.Ip.ParsedPacket::get_Ip() | struct-local Ipv4Packet",
            "views | Router.Ip.ParsedPacket::get_IsIcmpError() | newobj Router.Wire.IcmpMessage (struct)",
            "views | Router.Ip.ParsedPacket::get_IsIcmpError() | struct-local IcmpMessage",
            "views | Router.Link.ArpResolver::Flush(NetworkPort,uint,long) | newobj Router.Wire.EthernetFrame (struct)",
            "views | Router.Link.ArpResolver::Flush(NetworkPort,uint,long) | struct-local EthernetFrame",
            "views | Router.Link.ArpResolver::Receive(NetworkPort,byte[],int,long) | struct-local ArpPacket",
            "views | Router.Link.ArpResolver::Receive(NetworkPort,byte[],int,long) | struct-local EthernetFrame",
            "views | Router.Link.ArpResolver::SendRequest(NetworkPort,uint) | newobj Router.Wire.ArpPacket (struct)",
            "views | Router.Link.ArpResolver::SendRequest(NetworkPort,uint) | struct-local EthernetFrame",
            "views | Router.Link.ArpResolver::SendRequest(NetworkPort,uint) | struct-local ArpPacket",
            "views | Router.Link.ArpResolver::Transmit(NetworkPort,uint,byte[],int,long) | newobj Router.Wire.EthernetFrame (struct)",
            "views | Router.Link.ArpResolver::Transmit(NetworkPort,uint,byte[],int,long) | struct-local EthernetFrame",
            "views | Router.Link.LocalSender::SendUdp(NetworkPort,uint,int,uint,int,int,byte[],int,long) | newobj Router.Wire.Ipv4Packet (struct)",
            "views | Router.Link.LocalSender::SendUdp(NetworkPort,uint,int,uint,int,int,byte[],int,long) | struct-local EthernetFrame",
            "views | Router.Link.LocalSender::SendUdp(NetworkPort,uint,int,uint,int,int,byte[],int,long) | struct-local Ipv4Packet",
            "views | Router.Link.LocalSender::SendUdp(NetworkPort,uint,int,uint,int,int,byte[],int,long) | struct-local UdpDatagram",
            "views | Router.Nat.IcmpErrorTranslator::Translate(ParsedPacket,ConnectionTable) | newobj Router.Wire.IcmpMessage (struct)",
            "views | Router.Nat.IcmpErrorTranslator::Translate(ParsedPacket,ConnectionTable) | struct-local Ipv4Packet",
            "views | Router.Nat.IcmpErrorTranslator::Translate(ParsedPacket,ConnectionTable) | struct-local IcmpMessage",
            "views | Router.Nat.IcmpErrorTranslator::Translate(ParsedPacket,ConnectionTable) | struct-local Ipv4Packet",
            "views | Router.Nat.IcmpErrorTranslator::Translate(ParsedPacket,ConnectionTable) | struct-return Router.Ip.ParsedPacket::get_Ip() returns Ipv4Packet",
            "views | Router.Nat.PacketTranslator::Rewrite(ParsedPacket,uint,uint,int,int) | struct-local Ipv4Packet",
            "views | Router.Nat.PacketTranslator::Rewrite(ParsedPacket,uint,uint,int,int) | struct-return Router.Ip.ParsedPacket::get_Ip() returns Ipv4Packet",
            "views | Router.Nat.SequenceAdjuster::Adjust(ParsedPacket,int,int) | struct-local TcpSegment",
        };
    }
}
