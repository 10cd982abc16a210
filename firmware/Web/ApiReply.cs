namespace Router.Web
{
    /// <summary>How API handlers finish: a JSON body from the writer, or an error naming the field it concerns.</summary>
    public static class ApiReply
    {
        /// <summary>Starts a JSON body in the response's scratch buffer (the request has been read by now).</summary>
        public static JsonWriter Begin(WebContext web, HttpResponse response)
        {
            web.Json.Reset(response.Scratch);
            return web.Json;
        }

        public static void Send(WebContext web, HttpResponse response, int status)
        {
            if (web.Json.Overflowed) response.SendText(HttpStatus.InternalError, "response too large for the buffer");
            else response.SendScratch(status, HttpResponse.Json, web.Json.Length);
        }

        /// <summary>{"error": message, "field": field}; the page shows the message next to that field.</summary>
        public static void Error(WebContext web, HttpResponse response, int status, string field, string message)
        {
            JsonWriter w = Begin(web, response);
            w.BeginObject();
            w.Property("error", message);
            if (field != null) w.Property("field", field);
            w.EndObject();
            Send(web, response, status);
        }

        public static void Invalid(WebContext web, HttpResponse response, ValidationResult result)
        {
            Error(web, response, HttpStatus.UnprocessableEntity, result.Field, result.Message);
        }

        public static void Malformed(WebContext web, HttpResponse response)
        {
            Error(web, response, HttpStatus.BadRequest, null, "malformed JSON");
        }

        public static void Ok(WebContext web, HttpResponse response, string message)
        {
            JsonWriter w = Begin(web, response);
            w.BeginObject();
            w.Property("ok", true);
            if (message != null) w.Property("message", message);
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
