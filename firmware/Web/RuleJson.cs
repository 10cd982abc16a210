using Router.Rules;
using Router.Wire;

namespace Router.Web
{
    /// <summary>Port forwards and triggers to and from the JSON the forwarding page uses (field names match the validator's).</summary>
    public static class RuleJson
    {
        /// <summary>The JSON names and protocol values (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable Names = new TextTable(
            "name enabled protocol externalPort externalPortEnd internalAddress internalPort allowedSource triggerProtocol " +
            "triggerPort triggerPortEnd openProtocol openPort openPortEnd idleTimeoutSeconds heldBy secondsLeft tcp udp both pool", ' ');
        private const int Name = 0, Enabled = 1, Protocol = 2, ExternalPort = 3, ExternalPortEnd = 4, InternalAddress = 5,
            InternalPort = 6, AllowedSource = 7, TriggerProtocol = 8, TriggerPort = 9, TriggerPortEnd = 10, OpenProtocol = 11,
            OpenPort = 12, OpenPortEnd = 13, IdleTimeoutSeconds = 14, HeldBy = 15, SecondsLeft = 16, Tcp = 17, Udp = 18, Both = 19, Pool = 20;

        public static void WriteForward(JsonWriter w, PortForward f)
        {
            w.BeginObject();
            w.Property(Names, Name, f.Name);
            w.Property(Names, Enabled, f.Enabled);
            w.Property(Names, Protocol, Names, ProtocolWord(f.Protocol));
            w.Property(Names, ExternalPort, f.ExternalPort);
            w.Property(Names, ExternalPortEnd, f.ExternalPortEnd);
            w.PropertyDottedQuad(Names, InternalAddress, f.InternalAddress);
            w.Name(Names, Pool);
            WritePool(w, f);
            w.Property(Names, InternalPort, f.InternalPort);
            w.Name(Names, AllowedSource);
            WritePrefix(w, f.AllowedSource, f.AllowedSourcePrefixLength);
            w.EndObject();
        }

        /// <summary>Writes a trigger with who holds it (an address or "") and for how much longer.</summary>
        public static void WriteTrigger(JsonWriter w, PortTrigger t, uint holder, int secondsLeft)
        {
            w.BeginObject();
            w.Property(Names, Name, t.Name);
            w.Property(Names, Enabled, t.Enabled);
            w.Property(Names, TriggerProtocol, Names, ProtocolWord(t.TriggerProtocol));
            w.Property(Names, TriggerPort, t.TriggerPort);
            w.Property(Names, TriggerPortEnd, t.TriggerPortEnd);
            w.Property(Names, OpenProtocol, Names, ProtocolWord(t.OpenProtocol));
            w.Property(Names, OpenPort, t.OpenPort);
            w.Property(Names, OpenPortEnd, t.OpenPortEnd);
            w.Property(Names, IdleTimeoutSeconds, t.IdleTimeoutSeconds);
            w.PropertyAddress(Names, HeldBy, holder);
            w.Property(Names, SecondsLeft, secondsLeft);
            w.EndObject();
        }

        /// <summary>"tcp", "udp" or "both" for a <see cref="RuleProtocol"/> value.</summary>
        private static int ProtocolWord(int protocol)
        {
            return protocol == RuleProtocol.Tcp ? Tcp : protocol == RuleProtocol.Udp ? Udp : Both;
        }

        /// <summary>A pool's members after the internal address, comma-separated ("" without a pool), written in place.</summary>
        private static void WritePool(JsonWriter w, PortForward f)
        {
            w.BeginString();
            for (int m = 1; m < f.PoolSize; m++)
            {
                if (m > 1)
                {
                    w.Char(',');
                    w.Char(' ');
                }
                w.Address(f.PoolMember(m));
            }
            w.EndString();
        }

        /// <summary>"" for everyone (prefix 0), the address for /32, else "address/prefix".</summary>
        private static void WritePrefix(JsonWriter w, uint address, int prefixLength)
        {
            w.BeginString();
            if (prefixLength != 0) w.Address(address);
            if (prefixLength != 0 && prefixLength != 32)
            {
                w.Char('/');
                w.Digits(prefixLength);
            }
            w.EndString();
        }

        /// <summary>Reads a forward's fields from the reader's current object into <paramref name="f"/>; unknown fields are ignored.</summary>
        public static ValidationResult ReadForward(JsonReader r, PortForward f)
        {
            ValidationResult result = ValidationResult.Valid;
            string externalEnd = null;
            bool sawEnd = false;
            while (r.NextProperty())
            {
                ValidationResult field = ValidationResult.Valid;
                if (r.NameIs("name")) f.Name = Text(r.ReadText());
                else if (r.NameIs("enabled")) field = FormFields.Boolean(r.ReadText(), "enabled", out f.Enabled);
                else if (r.NameIs("protocol")) field = FormFields.Protocol(r.ReadText(), "protocol", out f.Protocol);
                else if (r.NameIs("externalPort")) field = FormFields.Integer(r.ReadText(), "externalPort", out f.ExternalPort);
                else if (r.NameIs("externalPortEnd")) { externalEnd = r.ReadText(); sawEnd = true; }
                else if (r.NameIs("internalAddress")) field = FormFields.Address(r.ReadText(), "internalAddress", false, out f.InternalAddress);
                else if (r.NameIs("pool")) field = ReadPool(r.ReadText(), f);
                else if (r.NameIs("internalPort")) field = FormFields.Integer(r.ReadText(), "internalPort", out f.InternalPort);
                else if (r.NameIs("allowedSource")) field = FormFields.Prefix(r.ReadText(), "allowedSource", out f.AllowedSource, out f.AllowedSourcePrefixLength);
                else r.SkipValue();
                if (result.IsValid) result = field;
            }
            // An empty or missing range end means a single port.
            ValidationResult end = FormFields.OptionalInteger(sawEnd ? externalEnd : null, "externalPortEnd", f.ExternalPort, out f.ExternalPortEnd);
            return result.IsValid ? end : result;
        }

        public static ValidationResult ReadTrigger(JsonReader r, PortTrigger t)
        {
            ValidationResult result = ValidationResult.Valid;
            string triggerEnd = null, openEnd = null;
            while (r.NextProperty())
            {
                ValidationResult field = ValidationResult.Valid;
                if (r.NameIs("name")) t.Name = Text(r.ReadText());
                else if (r.NameIs("enabled")) field = FormFields.Boolean(r.ReadText(), "enabled", out t.Enabled);
                else if (r.NameIs("triggerProtocol")) field = FormFields.Protocol(r.ReadText(), "triggerProtocol", out t.TriggerProtocol);
                else if (r.NameIs("triggerPort")) field = FormFields.Integer(r.ReadText(), "triggerPort", out t.TriggerPort);
                else if (r.NameIs("triggerPortEnd")) triggerEnd = r.ReadText();
                else if (r.NameIs("openProtocol")) field = FormFields.Protocol(r.ReadText(), "openProtocol", out t.OpenProtocol);
                else if (r.NameIs("openPort")) field = FormFields.Integer(r.ReadText(), "openPort", out t.OpenPort);
                else if (r.NameIs("openPortEnd")) openEnd = r.ReadText();
                else if (r.NameIs("idleTimeoutSeconds")) field = FormFields.Integer(r.ReadText(), "idleTimeoutSeconds", out t.IdleTimeoutSeconds);
                else r.SkipValue();
                if (result.IsValid) result = field;
            }
            if (!result.IsValid) return result;
            result = FormFields.OptionalInteger(triggerEnd, "triggerPortEnd", t.TriggerPort, out t.TriggerPortEnd);
            if (!result.IsValid) return result;
            return FormFields.OptionalInteger(openEnd, "openPortEnd", t.OpenPort, out t.OpenPortEnd);
        }

        /// <summary>A pool's members after the internal address, comma-separated ("" without a pool).</summary>
        public static string PoolList(PortForward f)
        {
            string list = "";
            for (int m = 1; m < f.PoolSize; m++) list += (m == 1 ? "" : ", ") + Ipv4Address.Format(f.PoolMember(m));
            return list;
        }

        /// <summary>"192.168.1.3, 192.168.1.4": the hosts that share the forward with its internal address; empty for none.</summary>
        private static ValidationResult ReadPool(string text, PortForward f)
        {
            string[] parts = (text == null ? "" : text).Split(',');
            f.ClearPool();
            int member = 1;
            for (int i = 0; i < parts.Length; i++)
            {
                if (parts[i].Trim().Length == 0) continue;
                if (member == PortForward.MaxPoolMembers)
                {
                    return ValidationResult.Error("pool", "at most " + (PortForward.MaxPoolMembers - 1).ToString() + " more hosts (" + PortForward.MaxPoolMembers.ToString() + " in all)");
                }
                uint address;
                ValidationResult r = FormFields.Address(parts[i], "pool", false, out address);
                if (!r.IsValid || address == 0) return ValidationResult.Error("pool", "must be IPv4 addresses separated by commas");
                f.SetPoolMember(member++, address);
            }
            return ValidationResult.Valid;
        }

        private static string Text(string value)
        {
            return value == null ? "" : value.Trim();
        }
    }
}
