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
        public const int UnprocessableEntity = 422;
        public const int TooManyRequests = 429;
        public const int HeadersTooLarge = 431;
        public const int InternalError = 500;
        public const int NotImplemented = 501;
        public const int ServiceUnavailable = 503;
        public const int VersionNotSupported = 505;

        public static string Reason(int status)
        {
            switch (status)
            {
                case Ok: return "OK";
                case NotModified: return "Not Modified";
                case NoContent: return "No Content";
                case BadRequest: return "Bad Request";
                case Unauthorized: return "Unauthorized";
                case Forbidden: return "Forbidden";
                case NotFound: return "Not Found";
                case MethodNotAllowed: return "Method Not Allowed";
                case RequestTimeout: return "Request Timeout";
                case Conflict: return "Conflict";
                case PayloadTooLarge: return "Payload Too Large";
                case UriTooLong: return "URI Too Long";
                case UnsupportedMediaType: return "Unsupported Media Type";
                case UnprocessableEntity: return "Unprocessable Entity";
                case TooManyRequests: return "Too Many Requests";
                case HeadersTooLarge: return "Request Header Fields Too Large";
                case NotImplemented: return "Not Implemented";
                case ServiceUnavailable: return "Service Unavailable";
                case VersionNotSupported: return "HTTP Version Not Supported";
                default: return "Internal Server Error";
            }
        }
    }
}
