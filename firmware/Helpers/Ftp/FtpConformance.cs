namespace Router.Helpers.Ftp
{
    /// <summary>
    /// Does a control line look like FTP? The helper inspects only connections that keep behaving as FTP, so a
    /// non-FTP service on a control port (an HTTP request, a server echoing what it is sent) can never make it open a
    /// hole: client lines must be commands of RFC 959 and its extensions, server lines replies of RFC 959 4.2.
    /// Works on bytes in place; nothing allocates.
    /// </summary>
    public static class FtpConformance
    {
        private const byte Iac = 0xFF;

        /// <summary>
        /// Every command verb the helper accepts: RFC 959; RFC 775 X-variants; RFC 2228 security (AUTH ADAT PROT PBSZ CCC
        /// MIC CONF ENC); RFC 2389 FEAT OPTS; RFC 2428 EPRT EPSV; RFC 2640 LANG; RFC 3659 MDTM SIZE MLST MLSD; RFC 7151 HOST;
        /// and verbs of drafts that real clients send when the server's FEAT lists them: PRET (lftp and FileZilla, before
        /// every PASV to pure-ftpd), CLNT, MFMT MFCT MFF (draft-somers-ftp-mfxx). Without PRET the lab's lftp switched
        /// inspection off (not_ftp) one line before the 227 it needed rewritten.
        /// </summary>
        // A static field, read with ldsfld: a const would be an ldstr, which allocates on nanoCLR each time it runs.
        private static readonly string Verbs =
            " USER PASS ACCT CWD CDUP SMNT REIN QUIT PORT PASV TYPE STRU MODE RETR STOR STOU APPE ALLO REST RNFR RNTO ABOR"
            + " DELE RMD MKD PWD LIST NLST SITE SYST STAT HELP NOOP XMKD XRMD XPWD XCUP XCWD AUTH ADAT PROT PBSZ CCC MIC"
            + " CONF ENC FEAT OPTS EPRT EPSV LANG MDTM SIZE MLST MLSD HOST PRET CLNT MFMT MFCT MFF ";

        /// <summary>
        /// True when [<paramref name="start"/>, <paramref name="end"/>) (a line without its CRLF) starts with a known verb
        /// followed by a space or the line end. Telnet IAC sequences in front (IAC IP IAC DM before ABOR, RFC 959 4.1.3) are skipped.
        /// </summary>
        public static bool IsKnownCommand(byte[] b, int start, int end)
        {
            int i = start;
            while (i + 1 < end && b[i] == Iac) i += 2;
            int verbEnd = i;
            while (verbEnd < end && verbEnd - i < 5 && IsLetter(b[verbEnd])) verbEnd++;
            int length = verbEnd - i;
            if (length < 3 || length > 4 || (verbEnd < end && b[verbEnd] != (byte)' ')) return false;
            // Find " VERB " in the list.
            string verbs = Verbs;
            for (int at = 0; at + length + 1 < verbs.Length; at++)
            {
                if (verbs[at] != ' ' || verbs[at + length + 1] != ' ') continue;
                int k = 0;
                while (k < length && verbs[at + 1 + k] == Upper(b[i + k])) k++;
                if (k == length) return true;
            }
            return false;
        }

        /// <summary>
        /// The reply code of a reply line (RFC 959 4.2: three digits, the first 1-5, the second 0-5, then a space, a hyphen
        /// opening a multi-line reply, or the line end), or -1 when the line is not one.
        /// </summary>
        public static int ReplyCode(byte[] b, int start, int end)
        {
            if (end - start < 3) return -1;
            byte c0 = b[start], c1 = b[start + 1], c2 = b[start + 2];
            if (c0 < (byte)'1' || c0 > (byte)'5' || c1 < (byte)'0' || c1 > (byte)'5' || c2 < (byte)'0' || c2 > (byte)'9') return -1;
            if (end - start > 3 && b[start + 3] != (byte)' ' && b[start + 3] != (byte)'-') return -1;
            return (c0 - '0') * 100 + (c1 - '0') * 10 + (c2 - '0');
        }

        /// <summary>True when the reply line opens a multi-line reply (<c>123-text</c>).</summary>
        public static bool OpensMultiline(byte[] b, int start, int end)
        {
            return end - start > 3 && b[start + 3] == (byte)'-';
        }

        private static bool IsLetter(byte c) { return (c >= (byte)'A' && c <= (byte)'Z') || (c >= (byte)'a' && c <= (byte)'z'); }

        private static char Upper(byte c) { return c >= (byte)'a' && c <= (byte)'z' ? (char)(c - 32) : (char)c; }
    }
}
