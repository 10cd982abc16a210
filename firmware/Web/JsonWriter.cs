namespace Router.Web
{
    /// <summary>
    /// Writes JSON straight into a fixed byte buffer (a connection's scratch buffer). Non-ASCII characters are written as
    /// \u escapes, so the output is ASCII. On overflow it stops writing and reports <see cref="Overflowed"/>.
    /// </summary>
    public sealed class JsonWriter
    {
        private const string Hex = "0123456789abcdef";
        private const int MaxDepth = 30;

        private byte[] _buffer;
        private int _length;
        private bool _overflowed;
        /// <summary>Bit d set: the container at depth d already has an element, so the next one needs a comma.</summary>
        private int _hasElement;
        private int _depth;
        private bool _afterName;

        public int Length { get { return _length; } }
        public bool Overflowed { get { return _overflowed; } }

        public void Reset(byte[] buffer)
        {
            _buffer = buffer;
            _length = 0;
            _overflowed = false;
            _hasElement = 0;
            _depth = 0;
            _afterName = false;
        }

        public void BeginObject() { BeforeValue(); Put('{'); Push(); }
        public void EndObject() { Pop(); Put('}'); }
        public void BeginArray() { BeforeValue(); Put('['); Push(); }
        public void EndArray() { Pop(); Put(']'); }

        public void Name(string name)
        {
            BeforeValue();
            WriteQuoted(name);
            Put(':');
            _afterName = true;
        }

        public void String(string value)
        {
            BeforeValue();
            if (value == null) PutText("null");
            else WriteQuoted(value);
        }

        public void Number(long value)
        {
            BeforeValue();
            if (value < 0)
            {
                Put('-');
                value = -value;
            }
            int end = Ascii.WriteDecimal(_buffer, _length, value);
            if (end < 0) _overflowed = true;
            else _length = end;
        }

        public void Bool(bool value)
        {
            BeforeValue();
            PutText(value ? "true" : "false");
        }

        public void Property(string name, string value) { Name(name); String(value); }
        public void Property(string name, long value) { Name(name); Number(value); }
        public void Property(string name, bool value) { Name(name); Bool(value); }

        /// <summary>An IPv4 address as a dotted-quad string ("" for 0), written without making a string.</summary>
        public void PropertyAddress(string name, uint address)
        {
            Name(name);
            BeforeValue();
            Put('"');
            if (address != 0)
            {
                for (int shift = 24; shift >= 0; shift -= 8)
                {
                    int end = Ascii.WriteDecimal(_buffer, _length, (address >> shift) & 0xFF);
                    if (end < 0) _overflowed = true;
                    else _length = end;
                    if (shift > 0) Put('.');
                }
            }
            Put('"');
        }

        /// <summary>A MAC address as "aa:bb:cc:dd:ee:ff", written without making a string.</summary>
        public void PropertyMac(string name, byte[] mac, int offset)
        {
            Name(name);
            BeforeValue();
            Put('"');
            for (int i = 0; i < 6; i++)
            {
                if (i > 0) Put(':');
                Put(Hex[mac[offset + i] >> 4]);
                Put(Hex[mac[offset + i] & 0xF]);
            }
            Put('"');
        }

        /// <summary>Printable ASCII bytes as a string (quotes, backslashes and markup characters escaped).</summary>
        public void PropertyAscii(string name, byte[] text, int offset, int length)
        {
            Name(name);
            BeforeValue();
            Put('"');
            for (int i = 0; i < length; i++)
            {
                char c = (char)text[offset + i];
                if (c == '"' || c == '\\') { Put('\\'); Put(c); }
                else if (c < 0x20 || c > 0x7E || c == '<' || c == '>' || c == '&') Put('?');
                else Put(c);
            }
            Put('"');
        }

        private void BeforeValue()
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }
            if (_depth == 0) return;
            int bit = 1 << _depth;
            if ((_hasElement & bit) != 0) Put(',');
            _hasElement |= bit;
        }

        private void Push()
        {
            if (_depth < MaxDepth) _depth++;
            _hasElement &= ~(1 << _depth);
        }

        private void Pop()
        {
            if (_depth > 0) _depth--;
        }

        private void WriteQuoted(string text)
        {
            Put('"');
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '"' || c == '\\')
                {
                    Put('\\');
                    Put(c);
                }
                else if (c == '\n') PutText("\\n");
                else if (c == '\r') PutText("\\r");
                else if (c == '\t') PutText("\\t");
                else if (c < 0x20 || c > 0x7E || c == '<' || c == '>' || c == '&')
                {
                    // Escaping <, > and & too keeps the JSON inert if a browser ever sniffs it as HTML.
                    PutText("\\u");
                    Put(Hex[(c >> 12) & 0xF]);
                    Put(Hex[(c >> 8) & 0xF]);
                    Put(Hex[(c >> 4) & 0xF]);
                    Put(Hex[c & 0xF]);
                }
                else Put(c);
            }
            Put('"');
        }

        private void PutText(string text)
        {
            for (int i = 0; i < text.Length; i++) Put(text[i]);
        }

        private void Put(char c)
        {
            if (_length >= _buffer.Length)
            {
                _overflowed = true;
                return;
            }
            _buffer[_length++] = (byte)c;
        }
    }
}
