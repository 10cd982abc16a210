using System.Text;

namespace Router.Web
{
    /// <summary>The page, stylesheet and script, encoded to UTF-8 once at start and sent from these arrays to every client.</summary>
    public sealed class StaticFiles
    {
        private readonly byte[] _index = Encoding.UTF8.GetBytes(WebAssets.IndexHtml);
        private readonly byte[] _css = Encoding.UTF8.GetBytes(WebAssets.AppCss);
        private readonly byte[] _js = Encoding.UTF8.GetBytes(WebAssets.AppJs);

        /// <summary>Answers a GET or HEAD for a known file; false if the path is not one.</summary>
        public bool TryServe(HttpRequest request, HttpResponse response)
        {
            if (request.PathIs("/") || request.PathIs("/index.html")) response.Send(HttpStatus.Ok, "text/html; charset=utf-8", _index, 0, _index.Length);
            else if (request.PathIs("/app.css")) response.Send(HttpStatus.Ok, "text/css; charset=utf-8", _css, 0, _css.Length);
            else if (request.PathIs("/app.js")) response.Send(HttpStatus.Ok, "text/javascript; charset=utf-8", _js, 0, _js.Length);
            else return false;
            return true;
        }

        public int TotalBytes { get { return _index.Length + _css.Length + _js.Length; } }
    }
}
