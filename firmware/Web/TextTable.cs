namespace Router.Web
{
    /// <summary>
    /// A list of short ASCII words (JSON names, header names, reason phrases) kept in ONE string literal, each found by
    /// its index. On nanoCLR every <c>ldstr</c> allocates a 12-byte header each time it runs, so text used per request
    /// must be loaded once, in a static constructor. A <c>static readonly string</c> per word would hold 24 bytes of heap
    /// each (its static slot and the literal's header); a table holds 60 bytes whatever its length (slot, this object,
    /// the literal's header; the text stays in flash). The price is CPU: a word is found by scanning the text from its
    /// start (tables are short, and nothing is cached, so any thread may read any table). Reading a word allocates nothing.
    /// </summary>
    public sealed class TextTable
    {
        private readonly string _text;
        private readonly char _separator;

        /// <param name="words">the words separated by <paramref name="separator"/>, which no word may contain</param>
        public TextTable(string words, char separator)
        {
            _text = words;
            _separator = separator;
        }

        /// <summary>The string holding every word (read a word with <see cref="Start"/> and <see cref="LengthAt"/>).</summary>
        public string Text { get { return _text; } }

        /// <summary>Where word <paramref name="word"/> starts in <see cref="Text"/>.</summary>
        public int Start(int word)
        {
            int i = 0;
            for (int w = 0; w < word; w++)
            {
                while (_text[i] != _separator) i++;
                i++;
            }
            return i;
        }

        /// <summary>The length of the word starting at <paramref name="start"/> (a value <see cref="Start"/> returned).</summary>
        public int LengthAt(int start)
        {
            int end = start;
            while (end < _text.Length && _text[end] != _separator) end++;
            return end - start;
        }

        /// <summary>The bytes start with the word.</summary>
        public bool IsPrefixOf(byte[] buffer, int offset, int length, int word)
        {
            int start = Start(word), wordLength = LengthAt(start);
            return length >= wordLength && Same(buffer, offset, start, wordLength, false);
        }

        /// <summary>The bytes contain the (lower-case) word, ignoring ASCII case.</summary>
        public bool ContainedLower(byte[] buffer, int offset, int length, int word)
        {
            int start = Start(word), wordLength = LengthAt(start);
            for (int i = 0; i + wordLength <= length; i++)
            {
                if (Same(buffer, offset + i, start, wordLength, true)) return true;
            }
            return false;
        }

        /// <summary>The index of the word the bytes equal, or -1.</summary>
        public int IndexOf(byte[] buffer, int offset, int length)
        {
            return Find(buffer, offset, length, false);
        }

        /// <summary>The index of the (lower-case) word the bytes equal ignoring ASCII case, or -1.</summary>
        public int IndexOfLower(byte[] buffer, int offset, int length)
        {
            return Find(buffer, offset, length, true);
        }

        /// <summary>Writes the word's characters as bytes; returns the new offset or -1 if it does not fit.</summary>
        public int Write(byte[] buffer, int offset, int word)
        {
            int start = Start(word);
            return Ascii.Write(buffer, offset, _text, start, LengthAt(start));
        }

        /// <summary>One pass over the words.</summary>
        private int Find(byte[] buffer, int offset, int length, bool ignoreCase)
        {
            int word = 0;
            for (int start = 0; start <= _text.Length; word++)
            {
                int wordLength = LengthAt(start);
                if (wordLength == length && Same(buffer, offset, start, length, ignoreCase)) return word;
                start += wordLength + 1;
            }
            return -1;
        }

        private bool Same(byte[] buffer, int offset, int start, int length, bool ignoreCase)
        {
            for (int i = 0; i < length; i++)
            {
                int c = buffer[offset + i];
                if (ignoreCase && c >= 'A' && c <= 'Z') c += 32;
                if (c != _text[start + i]) return false;
            }
            return true;
        }
    }
}
