namespace Router.Web
{
    /// <summary>The request methods the server understands; anything else is answered 501.</summary>
    public static class HttpMethod
    {
        public const int Unknown = 0;
        public const int Get = 1;
        public const int Head = 2;
        public const int Post = 3;
        public const int Put = 4;
        public const int Delete = 5;

        /// <summary>The methods' names, indexed by the constants above (Unknown is "?", which no request can send).</summary>
        public static readonly TextTable Names = new TextTable("? GET HEAD POST PUT DELETE", ' ');

        /// <summary>The method a request line names (its first <paramref name="length"/> bytes), or Unknown.</summary>
        public static int Parse(byte[] buffer, int offset, int length)
        {
            int method = Names.IndexOf(buffer, offset, length);
            return method < 0 ? Unknown : method;
        }

        /// <summary>Methods that change state and therefore need a session and a CSRF token.</summary>
        public static bool IsStateChanging(int method)
        {
            return method == Post || method == Put || method == Delete;
        }
    }
}
