namespace Router.Web
{
    /// <summary>
    /// A bounded pull reader for the small JSON bodies the pages send: objects, arrays, strings, integers, booleans and
    /// null, at most <see cref="MaxDepth"/> deep, strings at most <see cref="MaxStringLength"/> characters. Any syntax
    /// error or limit sets <see cref="Failed"/> (sticky) and every later read returns a neutral value.
    /// Typical use: ReadObjectStart, then while (NextProperty()) { if (NameIs("x")) x = ReadText(); else SkipValue(); }.
    /// </summary>
    public sealed class JsonReader
    {
        public const int MaxDepth = 8;
        public const int MaxStringLength = 256;

        private readonly char[] _chars = new char[MaxStringLength];
        private byte[] _buffer;
        private int _position;
        private int _end;
        private int _depth;
        /// <summary>Bit d set: the container at depth d has had an element (the next needs a comma).</summary>
        private int _hasElement;
        private int _nameOffset;
        private int _nameLength;
        private bool _failed;

        public bool Failed { get { return _failed; } }

        public void Reset(byte[] buffer, int offset, int length)
        {
            _buffer = buffer;
            _position = offset;
            _end = offset + length;
            _depth = 0;
            _hasElement = 0;
            _nameLength = 0;
            _failed = false;
        }

        /// <summary>True when the whole input was one well-formed value with only whitespace after it.</summary>
        public bool FinishedCleanly()
        {
            SkipWhitespace();
            return !_failed && _depth == 0 && _position == _end;
        }

        public bool ReadObjectStart() { return Open('{'); }
        public bool ReadArrayStart() { return Open('['); }

        /// <summary>Moves to the next property of the current object and reads its name; false at the closing brace.</summary>
        public bool NextProperty()
        {
            if (!NextElement('}')) return false;
            if (Peek() != '"' || !ScanString(out _nameOffset, out _nameLength)) return Fail();
            SkipWhitespace();
            if (Peek() != ':') return Fail();
            _position++;
            return true;
        }

        /// <summary>Moves to the next element of the current array; false at the closing bracket.</summary>
        public bool NextArrayElement()
        {
            return NextElement(']');
        }

        /// <summary>The current property name equals <paramref name="name"/> (names are ASCII, compared raw).</summary>
        public bool NameIs(string name)
        {
            return !_failed && Ascii.Equals(_buffer, _nameOffset, _nameLength, name);
        }

        /// <summary>Reads a string value (null for JSON null or on error).</summary>
        public string ReadString()
        {
            SkipWhitespace();
            if (TryLiteral("null")) return null;
            int offset, length;
            if (Peek() != '"' || !ScanString(out offset, out length)) { Fail(); return null; }
            return Decode(offset, length);
        }

        public bool ReadBool()
        {
            SkipWhitespace();
            if (TryLiteral("true")) return true;
            if (!TryLiteral("false")) Fail();
            return false;
        }

        /// <summary>
        /// Reads a scalar as text: a string's contents, a number's digits, "true"/"false", or null for JSON null. Form
        /// fields arrive as text, so callers parse and name the field in their own error messages.
        /// </summary>
        public string ReadText()
        {
            SkipWhitespace();
            int c = Peek();
            if (c == '"') return ReadString();
            if (TryLiteral("null")) return null;
            if (TryLiteral("true")) return "true";
            if (TryLiteral("false")) return "false";
            int start = _position;
            while (_position < _end && IsNumberChar(_buffer[_position])) _position++;
            if (_position == start) { Fail(); return null; }
            return Decode(start, _position - start);
        }

        /// <summary>Skips the current value whatever it is, nested containers included.</summary>
        public void SkipValue()
        {
            SkipWhitespace();
            int c = Peek();
            if (c == '{')
            {
                ReadObjectStart();
                while (NextProperty()) SkipValue();
            }
            else if (c == '[')
            {
                ReadArrayStart();
                while (NextArrayElement()) SkipValue();
            }
            else if (c == '"')
            {
                int offset, length;
                if (!ScanString(out offset, out length)) Fail();
            }
            else if (!TryLiteral("true") && !TryLiteral("false") && !TryLiteral("null"))
            {
                int start = _position;
                while (_position < _end && IsNumberChar(_buffer[_position])) _position++;
                if (_position == start) Fail();
            }
        }

        private bool Open(char bracket)
        {
            SkipWhitespace();
            if (_failed || Peek() != bracket || _depth >= MaxDepth) return Fail();
            _position++;
            _depth++;
            _hasElement &= ~(1 << _depth);
            return true;
        }

        private bool NextElement(char closing)
        {
            if (_failed) return false;
            SkipWhitespace();
            if (Peek() == closing)
            {
                _position++;
                _depth--;
                return false;
            }
            int bit = 1 << _depth;
            if ((_hasElement & bit) != 0)
            {
                if (Peek() != ',') return Fail();
                _position++;
                SkipWhitespace();
            }
            _hasElement |= bit;
            return true;
        }

        /// <summary>Finds the extent of a string's raw contents (escapes still in place) and moves past its closing quote.</summary>
        private bool ScanString(out int offset, out int length)
        {
            offset = ++_position;
            while (_position < _end)
            {
                byte b = _buffer[_position];
                if (b == '"')
                {
                    length = _position - offset;
                    _position++;
                    return true;
                }
                if (b < 0x20) break;
                if (b == '\\')
                {
                    if (_position + 1 >= _end) break;
                    int e = _buffer[_position + 1];
                    if ("\"\\/bfnrtu".IndexOf((char)e) < 0) break;
                    _position += e == 'u' ? 6 : 2; // \u digits are checked when decoded
                    continue;
                }
                _position++;
            }
            length = 0;
            return false;
        }

        /// <summary>Decodes raw string contents (UTF-8 with JSON escapes) into a string, or null and Failed.</summary>
        private string Decode(int offset, int length)
        {
            int n = 0, i = offset, end = offset + length;
            while (i < end)
            {
                if (n == MaxStringLength) { Fail(); return null; }
                int b = _buffer[i++];
                int c;
                if (b == '\\')
                {
                    c = Unescape(ref i, end);
                }
                else if (b < 0x80)
                {
                    c = b;
                }
                else
                {
                    c = DecodeUtf8(b, ref i, end);
                    if (c > 0xFFFF)
                    {
                        if (n + 2 > MaxStringLength) { Fail(); return null; }
                        c -= 0x10000;
                        _chars[n++] = (char)(0xD800 + (c >> 10));
                        c = 0xDC00 + (c & 0x3FF);
                    }
                }
                if (c < 0) { Fail(); return null; }
                _chars[n++] = (char)c;
            }
            return new string(_chars, 0, n);
        }

        private int Unescape(ref int i, int end)
        {
            if (i >= end) return -1;
            int e = _buffer[i++];
            switch (e)
            {
                case '"': return '"';
                case '\\': return '\\';
                case '/': return '/';
                case 'b': return '\b';
                case 'f': return '\f';
                case 'n': return '\n';
                case 'r': return '\r';
                case 't': return '\t';
                case 'u':
                    if (i + 4 > end) return -1;
                    int value = 0;
                    for (int k = 0; k < 4; k++)
                    {
                        int h = HexValue(_buffer[i++]);
                        if (h < 0) return -1;
                        value = value * 16 + h;
                    }
                    return value;
                default: return -1;
            }
        }

        private int DecodeUtf8(int lead, ref int i, int end)
        {
            int extra, value;
            if (lead >= 0xF0 && lead <= 0xF4) { extra = 3; value = lead & 0x07; }
            else if (lead >= 0xE0) { extra = 2; value = lead & 0x0F; }
            else if (lead >= 0xC2 && lead < 0xE0) { extra = 1; value = lead & 0x1F; }
            else return -1;
            if (lead > 0xF4 || i + extra > end) return -1;
            for (int k = 0; k < extra; k++)
            {
                int b = _buffer[i++];
                if ((b & 0xC0) != 0x80) return -1;
                value = (value << 6) | (b & 0x3F);
            }
            return value;
        }

        private static int HexValue(int c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }

        private static bool IsNumberChar(int c)
        {
            return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
        }

        private bool TryLiteral(string literal)
        {
            if (_end - _position < literal.Length || !Ascii.Equals(_buffer, _position, literal.Length, literal)) return false;
            _position += literal.Length;
            return true;
        }

        private int Peek()
        {
            return _position < _end ? _buffer[_position] : -1;
        }

        private void SkipWhitespace()
        {
            while (_position < _end)
            {
                byte b = _buffer[_position];
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') return;
                _position++;
            }
        }

        private bool Fail()
        {
            _failed = true;
            _position = _end;
            return false;
        }
    }
}
