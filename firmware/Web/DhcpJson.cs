using Router.Dhcp;
using Router.Wire;

namespace Router.Web
{
    /// <summary>
    /// The LAN DHCP server's settings as the "dhcp" object of the LAN/WAN page's JSON. Field paths in errors match the
    /// validator's ("dhcp.poolStart", "dhcp.reservations[2].mac"), so the page marks the same input either way.
    /// Missing fields keep their value; a "reservations" list replaces the whole table.
    /// </summary>
    public static class DhcpJson
    {
        /// <summary>The JSON names (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable Names = new TextTable("enabled poolStart poolEnd leaseSeconds dns1 dns2 reservationCapacity reservations mac address", ' ');
        private const int Enabled = 0, PoolStart = 1, PoolEnd = 2, LeaseSeconds = 3, Dns1 = 4, Dns2 = 5, ReservationCapacity = 6,
            Reservations = 7, Mac = 8, Address = 9;

        public static void Write(JsonWriter w, DhcpServerSettings s)
        {
            w.BeginObject();
            w.Property(Names, Enabled, s.Enabled);
            w.PropertyDottedQuad(Names, PoolStart, s.PoolStart);
            w.PropertyDottedQuad(Names, PoolEnd, s.PoolEnd);
            w.Property(Names, LeaseSeconds, s.LeaseSeconds);
            w.PropertyAddress(Names, Dns1, s.Dns1);
            w.PropertyAddress(Names, Dns2, s.Dns2);
            w.Property(Names, ReservationCapacity, s.Reservations.Capacity);
            w.Name(Names, Reservations);
            w.BeginArray();
            DhcpReservations r = s.Reservations;
            for (int i = 0; i < r.Count; i++)
            {
                w.BeginObject();
                w.PropertyMac(Names, Mac, r.MacBuffer, DhcpReservations.MacOffset(i));
                w.PropertyDottedQuad(Names, Address, r.Address(i));
                w.EndObject();
            }
            w.EndArray();
            w.EndObject();
        }

        /// <summary>Reads the reader's current object (its opening brace already read) into <paramref name="s"/>.</summary>
        public static ValidationResult Read(JsonReader r, DhcpServerSettings s)
        {
            ValidationResult result = ValidationResult.Valid;
            while (r.NextProperty())
            {
                ValidationResult field = ValidationResult.Valid;
                int lease;
                if (r.NameIs("enabled")) field = FormFields.Boolean(r.ReadText(), "dhcp.enabled", out s.Enabled);
                else if (r.NameIs("poolStart")) field = FormFields.Address(r.ReadText(), "dhcp.poolStart", false, out s.PoolStart);
                else if (r.NameIs("poolEnd")) field = FormFields.Address(r.ReadText(), "dhcp.poolEnd", false, out s.PoolEnd);
                else if (r.NameIs("leaseSeconds"))
                {
                    // A negative number wraps to a huge one, which the validator's range check refuses.
                    field = FormFields.Integer(r.ReadText(), "dhcp.leaseSeconds", out lease);
                    s.LeaseSeconds = (uint)lease;
                }
                else if (r.NameIs("dns1")) field = FormFields.Address(r.ReadText(), "dhcp.dns1", true, out s.Dns1);
                else if (r.NameIs("dns2")) field = FormFields.Address(r.ReadText(), "dhcp.dns2", true, out s.Dns2);
                else if (r.NameIs("reservations")) field = ReadReservations(r, s.Reservations);
                else r.SkipValue();
                if (result.IsValid) result = field;
            }
            return result;
        }

        /// <summary>An array of {mac, address}; after the first bad entry the rest are only read past.</summary>
        private static ValidationResult ReadReservations(JsonReader r, DhcpReservations reservations)
        {
            reservations.Clear();
            ValidationResult result = ValidationResult.Valid;
            if (!r.ReadArrayStart()) return result;
            byte[] mac = new byte[MacAddress.Length];
            for (int index = 0; r.NextArrayElement(); index++)
            {
                if (!r.ReadObjectStart()) return result;
                string macText = null, addressText = null;
                while (r.NextProperty())
                {
                    if (r.NameIs("mac")) macText = r.ReadText();
                    else if (r.NameIs("address")) addressText = r.ReadText();
                    else r.SkipValue();
                }
                if (result.IsValid) result = ReadReservation(reservations, index, macText, addressText, mac);
            }
            return result;
        }

        private static ValidationResult ReadReservation(DhcpReservations reservations, int index, string macText, string addressText, byte[] mac)
        {
            string path = "dhcp.reservations[" + index.ToString() + "].";
            string macTrimmed = macText == null ? "" : macText.Trim();
            if (macTrimmed.Length == 0) return ValidationResult.Error(path + "mac", "is required");
            if (!MacAddress.TryParse(macTrimmed, mac, 0)) return ValidationResult.Error(path + "mac", "must be a MAC address like aa:bb:cc:dd:ee:ff");
            uint address;
            ValidationResult parsed = FormFields.Address(addressText, path + "address", false, out address);
            if (!parsed.IsValid) return parsed;
            if (!reservations.Add(mac, 0, address)) return ValidationResult.Error("dhcp.reservations", "at most " + reservations.Capacity.ToString() + " reservations fit this board");
            return ValidationResult.Valid;
        }
    }
}
