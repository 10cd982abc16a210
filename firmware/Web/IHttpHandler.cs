namespace Router.Web
{
    /// <summary>Answers a complete, well-formed request. Read everything needed from the request before writing a body into Scratch.</summary>
    public interface IHttpHandler
    {
        void Handle(HttpRequest request, HttpResponse response);
    }
}
