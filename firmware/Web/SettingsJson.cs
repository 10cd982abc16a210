using Router.Config;
using Router.Helpers.Ftp;
using Router.Wire;

namespace Router.Web
{
    /// <summary>The FTP helper and LAN/WAN settings (with the LAN's DHCP server, <see cref="DhcpJson"/>) to and from the JSON of their pages. Missing fields keep their value.</summary>
    public static class SettingsJson
    {
        public static void WriteFtp(JsonWriter w, FtpHelperSettings ftp)
        {
            w.BeginObject();
            w.Property("enabled", ftp.Enabled);
            w.Property("controlPorts", PortList(ftp));
            w.Property("expectationTimeoutSeconds", ftp.ExpectationTimeoutSeconds);
            w.EndObject();
        }

        public static string PortList(FtpHelperSettings ftp)
        {
            string list = "";
            for (int i = 0; i < ftp.ControlPortCount; i++) list += (i == 0 ? "" : ", ") + ftp.ControlPort(i).ToString();
            return list;
        }

        public static ValidationResult ReadFtp(JsonReader r, FtpHelperSettings ftp)
        {
            ValidationResult result = ValidationResult.Valid;
            while (r.NextProperty())
            {
                ValidationResult field = ValidationResult.Valid;
                if (r.NameIs("enabled")) field = FormFields.Boolean(r.ReadText(), "enabled", out ftp.Enabled);
                else if (r.NameIs("controlPorts")) field = ReadPorts(r.ReadText(), ftp);
                else if (r.NameIs("expectationTimeoutSeconds")) field = FormFields.Integer(r.ReadText(), "expectationTimeoutSeconds", out ftp.ExpectationTimeoutSeconds);
                else r.SkipValue();
                if (result.IsValid) result = field;
            }
            return result;
        }

        /// <summary>A comma-separated list ("21, 2121"). The settings object refuses invalid ports, so they are checked here.</summary>
        private static ValidationResult ReadPorts(string text, FtpHelperSettings ftp)
        {
            string[] parts = (text == null ? "" : text).Split(',');
            ftp.ClearControlPorts();
            for (int i = 0; i < parts.Length; i++)
            {
                if (parts[i].Trim().Length == 0) continue;
                int port;
                if (!FormFields.Integer(parts[i], "controlPorts", out port).IsValid) return ValidationResult.Error("controlPorts", "must be port numbers separated by commas");
                if (port < 1 || port > 65535) return ValidationResult.Error("controlPorts", port.ToString() + " is not a port (1 to 65535)");
                if (!ftp.AddControlPort(port)) return ValidationResult.Error("controlPorts", "at most " + FtpHelperSettings.MaxControlPorts.ToString() + " control ports");
            }
            return ValidationResult.Valid;
        }

        /// <summary>The settings, and under "wanLearned" the WAN addressing in force (what DHCP learned, in DHCP mode).</summary>
        public static void WriteNetwork(JsonWriter w, RouterConfig c, StatusSnapshot inForce)
        {
            w.BeginObject();
            w.Property("lanAddress", Ipv4Address.Format(c.LanAddress));
            w.Property("lanPrefixLength", c.LanPrefixLength);
            w.Property("wanMode", StatusSnapshot.WanModeName(c.WanMode));
            w.Property("wanAddress", AddressOrEmpty(c.WanAddress));
            w.Property("wanPrefixLength", c.WanPrefixLength);
            w.Property("wanGateway", AddressOrEmpty(c.WanGateway));
            w.Property("primaryDns", AddressOrEmpty(c.PrimaryDns));
            w.Property("secondaryDns", AddressOrEmpty(c.SecondaryDns));
            w.Property("wanMtu", c.WanMtu);
            w.Property("lanSourceGuard", c.LanSourceGuard);
            w.Property("allowSourceRouted", c.AllowSourceRouted);
            w.Name("wanLearned");
            w.BeginObject();
            w.PropertyAddress("address", inForce.WanAddress);
            w.Property("prefixLength", inForce.WanPrefixLength);
            w.PropertyAddress("gateway", inForce.WanGateway);
            w.PropertyAddress("dns1", inForce.WanDns1);
            w.PropertyAddress("dns2", inForce.WanDns2);
            w.EndObject();
            w.Name("dhcp");
            DhcpJson.Write(w, c.Dhcp);
            w.EndObject();
        }

        /// <summary>Reads the page's fields; "moveHosts": true asks to move forwards, pool and reservations with a new LAN subnet.</summary>
        public static ValidationResult ReadNetwork(JsonReader r, RouterConfig c, out bool moveHosts)
        {
            ValidationResult result = ValidationResult.Valid;
            moveHosts = false;
            while (r.NextProperty())
            {
                ValidationResult field = ValidationResult.Valid;
                if (r.NameIs("lanAddress")) field = FormFields.Address(r.ReadText(), "lanAddress", false, out c.LanAddress);
                else if (r.NameIs("lanPrefixLength")) field = FormFields.Integer(r.ReadText(), "lanPrefixLength", out c.LanPrefixLength);
                else if (r.NameIs("wanMode")) field = WanMode(r.ReadText(), out c.WanMode);
                else if (r.NameIs("wanAddress")) field = FormFields.Address(r.ReadText(), "wanAddress", true, out c.WanAddress);
                else if (r.NameIs("wanPrefixLength")) field = FormFields.Integer(r.ReadText(), "wanPrefixLength", out c.WanPrefixLength);
                else if (r.NameIs("wanGateway")) field = FormFields.Address(r.ReadText(), "wanGateway", true, out c.WanGateway);
                else if (r.NameIs("primaryDns")) field = FormFields.Address(r.ReadText(), "primaryDns", true, out c.PrimaryDns);
                else if (r.NameIs("secondaryDns")) field = FormFields.Address(r.ReadText(), "secondaryDns", true, out c.SecondaryDns);
                else if (r.NameIs("wanMtu")) field = FormFields.Integer(r.ReadText(), "wanMtu", out c.WanMtu);
                else if (r.NameIs("lanSourceGuard")) field = FormFields.Boolean(r.ReadText(), "lanSourceGuard", out c.LanSourceGuard);
                else if (r.NameIs("allowSourceRouted")) field = FormFields.Boolean(r.ReadText(), "allowSourceRouted", out c.AllowSourceRouted);
                else if (r.NameIs("dhcp")) field = r.ReadObjectStart() ? DhcpJson.Read(r, c.Dhcp) : ValidationResult.Valid;
                else if (r.NameIs("moveHosts")) field = FormFields.Boolean(r.ReadText(), "moveHosts", out moveHosts);
                else r.SkipValue();
                if (result.IsValid) result = field;
            }
            return result;
        }

        private static ValidationResult WanMode(string text, out int mode)
        {
            mode = text == "static" ? RouterConfig.WanStatic : RouterConfig.WanDhcp;
            return text == "static" || text == "dhcp" ? ValidationResult.Valid : ValidationResult.Error("wanMode", "must be static or dhcp");
        }

        /// <summary>An address, or "" for 0 (none).</summary>
        internal static string AddressOrEmpty(uint address)
        {
            return address == 0 ? "" : Ipv4Address.Format(address);
        }
    }
}
