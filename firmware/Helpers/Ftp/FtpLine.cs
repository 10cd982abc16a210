namespace Router.Helpers.Ftp
{
    /// <summary>
    /// One parsed control line (reused, so parsing allocates nothing): what it is, the data endpoint it names, and
    /// where in the buffer the text naming it lies, which is the text a rewrite replaces.
    /// </summary>
    public sealed class FtpLine
    {
        /// <summary>A line the helper does not act on.</summary>
        public const int Unknown = 0;
        /// <summary><c>PORT h1,h2,h3,h4,p1,p2</c> (RFC 959).</summary>
        public const int Port = 1;
        /// <summary><c>EPRT |1|a.b.c.d|port|</c> (RFC 2428).</summary>
        public const int Eprt = 2;
        /// <summary><c>EPRT</c> for another network protocol (IPv6): passes untouched.</summary>
        public const int EprtOtherProtocol = 3;
        /// <summary><c>227 ... h1,h2,h3,h4,p1,p2 ...</c>, the reply to PASV.</summary>
        public const int Passive = 4;
        /// <summary><c>229 ... (|||port|)</c>, the reply to EPSV (RFC 2428).</summary>
        public const int ExtendedPassive = 5;
        /// <summary><c>AUTH ...</c> (RFC 2228, RFC 4217).</summary>
        public const int Auth = 6;
        /// <summary><c>234</c>: the AUTH exchange succeeded; what follows is TLS.</summary>
        public const int AuthAccepted = 7;
        /// <summary>One of the verbs above with arguments that do not parse.</summary>
        public const int Garbled = 8;

        public int Kind;
        public uint Address;
        public int DataPort;
        /// <summary>First byte of the endpoint text (PORT/227: the first number; EPRT: the address; 229: the port).</summary>
        public int TextStart;
        /// <summary>One past the last byte of the endpoint text.</summary>
        public int TextEnd;
        /// <summary>The EPRT field delimiter, kept when the endpoint text is rewritten.</summary>
        public byte Delimiter;

        public void Clear()
        {
            Kind = Unknown;
            Address = 0;
            DataPort = 0;
            TextStart = 0;
            TextEnd = 0;
            Delimiter = 0;
        }
    }
}
