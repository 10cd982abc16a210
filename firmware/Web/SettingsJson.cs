using Router.Config;
using Router.Helpers.Ftp;
using Router.Wire;

namespace Router.Web
{
    /// <summary>The FTP helper and LAN/WAN settings (with the LAN's DHCP server, <see cref="DhcpJson"/>) to and from the JSON of their pages. Missing fields keep their value.</summary>
    public static class SettingsJson
    {
        /// <summary>The JSON names the pages read (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable Names = new TextTable(
            "enabled|controlPorts|expectationTimeoutSeconds|lanAddress|lanPrefixLength|wanMode|wanAddress|wanPrefixLength|" +
            "wanGateway|primaryDns|secondaryDns|wanMtu|wanLearned|address|prefixLength|gateway|dns1|dns2|dhcp|, |lanSourceGuard|allowSourceRouted", '|');
        private const int Enabled = 0, ControlPorts = 1, ExpectationTimeoutSeconds = 2, LanAddress = 3, LanPrefixLength = 4,
            WanModeName = 5, WanAddress = 6, WanPrefixLength = 7, WanGateway = 8, PrimaryDns = 9, SecondaryDns = 10, WanMtu = 11,
            WanLearned = 12, Address = 13, PrefixLength = 14, Gateway = 15, Dns1 = 16, Dns2 = 17, Dhcp = 18, ListSeparator = 19,
            LanSourceGuard = 20, AllowSourceRouted = 21;

        public static void WriteFtp(JsonWriter w, FtpHelperSettings ftp)
        {
            w.BeginObject();
            w.Property(Names, Enabled, ftp.Enabled);
            w.Name(Names, ControlPorts);
            WritePortList(w, ftp);
            w.Property(Names, ExpectationTimeoutSeconds, ftp.ExpectationTimeoutSeconds);
            w.EndObject();
        }

        /// <summary>The control ports as one string value, "21, 2121".</summary>
        public static void WritePortList(JsonWriter w, FtpHelperSettings ftp)
        {
            w.BeginString();
            for (int i = 0; i < ftp.ControlPortCount; i++)
            {
                if (i > 0) w.Word(Names, ListSeparator);
                w.Digits(ftp.ControlPort(i));
            }
            w.EndString();
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
            w.PropertyDottedQuad(Names, LanAddress, c.LanAddress);
            w.Property(Names, LanPrefixLength, c.LanPrefixLength);
            w.Property(Names, WanModeName, StatusSnapshot.WanModes, StatusSnapshot.WanModeIndex(c.WanMode));
            w.PropertyAddress(Names, WanAddress, c.WanAddress);
            w.Property(Names, WanPrefixLength, c.WanPrefixLength);
            w.PropertyAddress(Names, WanGateway, c.WanGateway);
            w.PropertyAddress(Names, PrimaryDns, c.PrimaryDns);
            w.PropertyAddress(Names, SecondaryDns, c.SecondaryDns);
            w.Property(Names, WanMtu, c.WanMtu);
            w.Property(Names, LanSourceGuard, c.LanSourceGuard);
            w.Property(Names, AllowSourceRouted, c.AllowSourceRouted);
            w.Name(Names, WanLearned);
            w.BeginObject();
            w.PropertyAddress(Names, Address, inForce.WanAddress);
            w.Property(Names, PrefixLength, inForce.WanPrefixLength);
            w.PropertyAddress(Names, Gateway, inForce.WanGateway);
            w.PropertyAddress(Names, Dns1, inForce.WanDns1);
            w.PropertyAddress(Names, Dns2, inForce.WanDns2);
            w.EndObject();
            w.Name(Names, Dhcp);
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
    }
}
