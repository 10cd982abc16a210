namespace Router.Web
{
    /// <summary>The status codes the server answers with, and their reason phrases.</summary>
    public static class HttpStatus
    {
        public const int Ok = 200;
        public const int NoContent = 204;
        public const int NotModified = 304;
        public const int BadRequest = 400;
        public const int Unauthorized = 401;
        public const int Forbidden = 403;
        public const int NotFound = 404;
        public const int MethodNotAllowed = 405;
        public const int RequestTimeout = 408;
        public const int Conflict = 409;
        public const int PayloadTooLarge = 413;
        public const int UriTooLong = 414;
        public const int UnsupportedMediaType = 415;
        public const int MisdirectedRequest = 421;
        public const int UnprocessableEntity = 422;
        public const int TooManyRequests = 429;
        public const int HeadersTooLarge = 431;
        public const int InternalError = 500;
        public const int NotImplemented = 501;
        public const int ServiceUnavailable = 503;
        public const int VersionNotSupported = 505;

        /// <summary>Reason phrases, indexed by <see cref="ReasonIndex"/> (one literal: see <see cref="TextTable"/>).</summary>
        public static readonly TextTable Reasons = new TextTable(
            "Internal Server Error|OK|Not Modified|No Content|Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|" +
            "Request Timeout|Conflict|Payload Too Large|URI Too Long|Unsupported Media Type|Misdirected Request|" +
            "Unprocessable Entity|Too Many Requests|Request Header Fields Too Large|Not Implemented|Service Unavailable|" +
            "HTTP Version Not Supported", '|');

        /// <summary>The word of <see cref="Reasons"/> for a status (an unknown one reads "Internal Server Error").</summary>
        public static int ReasonIndex(int status)
        {
            switch (status)
            {
                case Ok: return 1;
                case NotModified: return 2;
                case NoContent: return 3;
                case BadRequest: return 4;
                case Unauthorized: return 5;
                case Forbidden: return 6;
                case NotFound: return 7;
                case MethodNotAllowed: return 8;
                case RequestTimeout: return 9;
                case Conflict: return 10;
                case PayloadTooLarge: return 11;
                case UriTooLong: return 12;
                case UnsupportedMediaType: return 13;
                case MisdirectedRequest: return 14;
                case UnprocessableEntity: return 15;
                case TooManyRequests: return 16;
                case HeadersTooLarge: return 17;
                case NotImplemented: return 18;
                case ServiceUnavailable: return 19;
                case VersionNotSupported: return 20;
                default: return 0;
            }
        }
    }
}
