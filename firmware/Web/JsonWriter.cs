namespace Router.Web
{
    /// <summary>
    /// Writes JSON straight into a fixed byte buffer (a connection's scratch buffer). Non-ASCII characters are written as
    /// \u escapes, so the output is ASCII. On overflow it stops writing and reports <see cref="Overflowed"/>.
    /// Names and fixed values can come from a <see cref="TextTable"/> and numbers and addresses are written digit by
    /// digit, also inside a string value (<see cref="BeginString"/>), so a response allocates nothing on nanoCLR.
    /// </summary>
    public sealed class JsonWriter
    {
        private static readonly string Hex = "0123456789abcdef";
        private static readonly TextTable Literals = new TextTable("null true false", ' ');
        private const int Null = 0, True = 1, False = 2;
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
            WriteQuoted(name, 0, name.Length);
            Put(':');
            _afterName = true;
        }

        /// <summary>A name from a table: word <paramref name="name"/> of <paramref name="names"/>.</summary>
        public void Name(TextTable names, int name)
        {
            BeforeValue();
            int start = names.Start(name);
            WriteQuoted(names.Text, start, names.LengthAt(start));
            Put(':');
            _afterName = true;
        }

        public void String(string value)
        {
            BeforeValue();
            if (value == null) PutWord(Literals, Null);
            else WriteQuoted(value, 0, value.Length);
        }

        /// <summary>A string value from a table.</summary>
        public void String(TextTable words, int word)
        {
            BeforeValue();
            int start = words.Start(word);
            WriteQuoted(words.Text, start, words.LengthAt(start));
        }

        public void Number(long value)
        {
            BeforeValue();
            Digits(value);
        }

        public void Bool(bool value)
        {
            BeforeValue();
            PutWord(Literals, value ? True : False);
        }

        public void Property(string name, string value) { Name(name); String(value); }
        public void Property(string name, long value) { Name(name); Number(value); }
        public void Property(string name, bool value) { Name(name); Bool(value); }
        public void Property(TextTable names, int name, string value) { Name(names, name); String(value); }
        public void Property(TextTable names, int name, long value) { Name(names, name); Number(value); }
        public void Property(TextTable names, int name, bool value) { Name(names, name); Bool(value); }
        public void Property(TextTable names, int name, TextTable words, int word) { Name(names, name); String(words, word); }

        /// <summary>
        /// Starts a string value whose text the caller writes in place with <see cref="Digits"/>, <see cref="Address"/>,
        /// <see cref="Word"/> and <see cref="Char"/> (e.g. "21, 2121" or "10 s"), then ends with <see cref="EndString"/>.
        /// </summary>
        public void BeginString()
        {
            BeforeValue();
            Put('"');
        }

        public void EndString() { Put('"'); }

        /// <summary>A whole number in decimal, at the current position (a value, or inside a string).</summary>
        public void Digits(long value)
        {
            if (value < 0)
            {
                Put('-');
                value = -value;
            }
            int end = Ascii.WriteDecimal(_buffer, _length, value);
            if (end < 0) _overflowed = true;
            else _length = end;
        }

        /// <summary>An IPv4 address in dotted-quad form (0 is "0.0.0.0"), inside a string.</summary>
        public void Address(uint address)
        {
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                Digits((address >> shift) & 0xFF);
                if (shift > 0) Put('.');
            }
        }

        /// <summary>A word of a table inside a string (escaped like any string text).</summary>
        public void Word(TextTable words, int word)
        {
            int start = words.Start(word);
            WriteEscaped(words.Text, start, words.LengthAt(start));
        }

        /// <summary>One printable ASCII character inside a string (not a quote or backslash).</summary>
        public void Char(char c) { Put(c); }

        /// <summary>An IPv4 address as a dotted-quad string ("" for 0), written without making a string.</summary>
        public void PropertyAddress(string name, uint address)
        {
            Name(name);
            AddressOrEmpty(address);
        }

        public void PropertyAddress(TextTable names, int name, uint address)
        {
            Name(names, name);
            AddressOrEmpty(address);
        }

        /// <summary>An IPv4 address as a dotted-quad string, "0.0.0.0" included.</summary>
        public void PropertyDottedQuad(TextTable names, int name, uint address)
        {
            Name(names, name);
            BeginString();
            Address(address);
            EndString();
        }

        private void AddressOrEmpty(uint address)
        {
            BeginString();
            if (address != 0) Address(address);
            EndString();
        }

        /// <summary>A MAC address as "aa:bb:cc:dd:ee:ff", written without making a string.</summary>
        public void PropertyMac(string name, byte[] mac, int offset)
        {
            Name(name);
            Mac(mac, offset);
        }

        public void PropertyMac(TextTable names, int name, byte[] mac, int offset)
        {
            Name(names, name);
            Mac(mac, offset);
        }

        private void Mac(byte[] mac, int offset)
        {
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
            AsciiText(text, offset, length);
        }

        public void PropertyAscii(TextTable names, int name, byte[] text, int offset, int length)
        {
            Name(names, name);
            AsciiText(text, offset, length);
        }

        private void AsciiText(byte[] text, int offset, int length)
        {
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

        private void WriteQuoted(string text, int start, int length)
        {
            Put('"');
            WriteEscaped(text, start, length);
            Put('"');
        }

        private void WriteEscaped(string text, int start, int length)
        {
            for (int i = start; i < start + length; i++)
            {
                char c = text[i];
                if (c == '"' || c == '\\')
                {
                    Put('\\');
                    Put(c);
                }
                else if (c == '\n') { Put('\\'); Put('n'); }
                else if (c == '\r') { Put('\\'); Put('r'); }
                else if (c == '\t') { Put('\\'); Put('t'); }
                else if (c < 0x20 || c > 0x7E || c == '<' || c == '>' || c == '&')
                {
                    // Escaping <, > and & too keeps the JSON inert if a browser ever sniffs it as HTML.
                    Put('\\');
                    Put('u');
                    Put(Hex[(c >> 12) & 0xF]);
                    Put(Hex[(c >> 8) & 0xF]);
                    Put(Hex[(c >> 4) & 0xF]);
                    Put(Hex[c & 0xF]);
                }
                else Put(c);
            }
        }

        private void PutWord(TextTable words, int word)
        {
            string text = words.Text;
            int start = words.Start(word), end = start + words.LengthAt(start);
            for (int i = start; i < end; i++) Put(text[i]);
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
