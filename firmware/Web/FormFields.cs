using Router.Rules;
using Router.Wire;

namespace Router.Web
{
    /// <summary>
    /// Turns form text into config values, naming the field when the text is not even the right kind of value.
    /// Range and consistency checks are left to the config layer's validator, so both paths share one set of rules.
    /// </summary>
    public static class FormFields
    {
        /// <summary>A whole number (surrounding spaces allowed, at most 9 digits), else an error for the field.</summary>
        public static ValidationResult Integer(string text, string field, out int value)
        {
            value = 0;
            if (text == null) return ValidationResult.Error(field, "is required");
            text = text.Trim();
            bool negative = text.Length > 0 && text[0] == '-';
            int start = negative ? 1 : 0;
            if (text.Length == start) return ValidationResult.Error(field, "is required");
            if (text.Length - start > 9) return ValidationResult.Error(field, "is too large");
            for (int i = start; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9') return ValidationResult.Error(field, "must be a whole number");
                value = value * 10 + (text[i] - '0');
            }
            if (negative) value = -value;
            return ValidationResult.Valid;
        }

        /// <summary>Like <see cref="Integer"/>, but empty text means <paramref name="ifEmpty"/> (an optional range end).</summary>
        public static ValidationResult OptionalInteger(string text, string field, int ifEmpty, out int value)
        {
            if (text == null || text.Trim().Length == 0)
            {
                value = ifEmpty;
                return ValidationResult.Valid;
            }
            return Integer(text, field, out value);
        }

        /// <summary>A dotted-quad address; empty text is 0 (none) when <paramref name="optional"/>.</summary>
        public static ValidationResult Address(string text, string field, bool optional, out uint value)
        {
            value = 0;
            string t = text == null ? "" : text.Trim();
            if (t.Length == 0) return optional ? ValidationResult.Valid : ValidationResult.Error(field, "is required");
            if (!Ipv4Address.TryParse(t, out value)) return ValidationResult.Error(field, "must be an IPv4 address like 192.168.1.10");
            return ValidationResult.Valid;
        }

        /// <summary>"" or "any" (everyone), an address (/32), or address/prefix.</summary>
        public static ValidationResult Prefix(string text, string field, out uint address, out int prefixLength)
        {
            address = 0;
            prefixLength = 0;
            string t = text == null ? "" : text.Trim();
            if (t.Length == 0 || t == "any") return ValidationResult.Valid;
            int slash = t.IndexOf('/');
            if (slash < 0)
            {
                prefixLength = 32;
                return Address(t, field, false, out address);
            }
            ValidationResult r = Address(t.Substring(0, slash), field, false, out address);
            if (!r.IsValid) return r;
            r = Integer(t.Substring(slash + 1), field, out prefixLength);
            if (!r.IsValid) return ValidationResult.Error(field, "must be an address or address/prefix like 198.51.100.0/24");
            return ValidationResult.Valid;
        }

        /// <summary>"tcp", "udp" or "both" (any case) as a <see cref="RuleProtocol"/> value.</summary>
        public static ValidationResult Protocol(string text, string field, out int value)
        {
            string t = text == null ? "" : text.Trim().ToLower();
            value = t == "tcp" ? RuleProtocol.Tcp : t == "udp" ? RuleProtocol.Udp : t == "both" ? RuleProtocol.Both : 0;
            return value == 0 ? ValidationResult.Error(field, "must be tcp, udp or both") : ValidationResult.Valid;
        }

        public static ValidationResult Boolean(string text, string field, out bool value)
        {
            value = text == "true";
            return text == "true" || text == "false" ? ValidationResult.Valid : ValidationResult.Error(field, "must be true or false");
        }
    }
}
