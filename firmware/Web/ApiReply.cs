namespace Router.Web
{
    /// <summary>How API handlers finish: a JSON body from the writer, or an error naming the field it concerns.</summary>
    public static class ApiReply
    {
        /// <summary>The names and text of replies (one literal: see <see cref="TextTable"/>).</summary>
        private static readonly TextTable Texts = new TextTable("error|field|ok|message|response too large for the buffer|malformed JSON", '|');
        private const int ErrorName = 0, FieldName = 1, OkName = 2, MessageName = 3, TooLarge = 4, MalformedJson = 5;

        /// <summary>Starts a JSON body in the response's scratch buffer (the request has been read by now).</summary>
        public static JsonWriter Begin(WebContext web, HttpResponse response)
        {
            web.Json.Reset(response.Scratch);
            return web.Json;
        }

        public static void Send(WebContext web, HttpResponse response, int status)
        {
            if (web.Json.Overflowed) response.SendText(HttpStatus.InternalError, Texts, TooLarge);
            else response.SendScratch(status, HttpResponse.Json, web.Json.Length);
        }

        /// <summary>{"error": message, "field": field}; the page shows the message next to that field.</summary>
        public static void Error(WebContext web, HttpResponse response, int status, string field, string message)
        {
            JsonWriter w = Begin(web, response);
            w.BeginObject();
            w.Property(Texts, ErrorName, message);
            if (field != null) w.Property(Texts, FieldName, field);
            w.EndObject();
            Send(web, response, status);
        }

        /// <summary>An error whose field (-1 for none) and message are words of <paramref name="texts"/>: allocates nothing.</summary>
        public static void Error(WebContext web, HttpResponse response, int status, TextTable texts, int field, int message)
        {
            JsonWriter w = Begin(web, response);
            w.BeginObject();
            w.Property(Texts, ErrorName, texts, message);
            if (field >= 0) w.Property(Texts, FieldName, texts, field);
            w.EndObject();
            Send(web, response, status);
        }

        public static void Invalid(WebContext web, HttpResponse response, ValidationResult result)
        {
            Error(web, response, HttpStatus.UnprocessableEntity, result.Field, result.Message);
        }

        public static void Malformed(WebContext web, HttpResponse response)
        {
            Error(web, response, HttpStatus.BadRequest, Texts, -1, MalformedJson);
        }

        public static void Ok(WebContext web, HttpResponse response, string message)
        {
            JsonWriter w = Begin(web, response);
            w.BeginObject();
            w.Property(Texts, OkName, true);
            if (message != null) w.Property(Texts, MessageName, message);
            w.EndObject();
            Send(web, response, HttpStatus.Ok);
        }

        /// <summary>Points the reader at the request body and enters its top-level object; false if it is not one.</summary>
        public static bool OpenBody(WebContext web, HttpRequest request)
        {
            web.Reader.Reset(request.Buffer, request.BodyOffset, request.BodyLength);
            return web.Reader.ReadObjectStart();
        }
    }
}
