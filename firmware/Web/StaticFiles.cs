using Router.Hal;

namespace Router.Web
{
    /// <summary>
    /// The page, stylesheet and script: files under Web/wwwroot, gzip-compressed at build time (Web/WebAssets.targets)
    /// and sent as they are, with Content-Encoding: gzip and an ETag, to every client. The bytes never sit on the heap:
    /// <see cref="WebAssetBundle"/> holds only their sizes, and the server copies each file a slice at a time from the
    /// board's <see cref="IAssetSource"/> (the application image in flash) into the connection's TCP send buffer.
    /// </summary>
    public sealed class StaticFiles
    {
        /// <summary>Static fields, not literals: an <c>ldstr</c> allocates each time it runs on nanoCLR.</summary>
        private static readonly string Root = "/";
        private static readonly string Html = "text/html; charset=utf-8";
        private static readonly string Css = "text/css; charset=utf-8";
        private static readonly string JavaScript = "text/javascript; charset=utf-8";

        private readonly IAssetSource _assets;

        public StaticFiles(IAssetSource assets)
        {
            _assets = assets;
        }

        /// <summary>Answers a GET or HEAD for a known file; false if the path is not one.</summary>
        public bool TryServe(HttpRequest request, HttpResponse response)
        {
            if (request.PathIs(Root) || request.PathIs(WebAssetBundle.IndexHtmlPath))
                response.SendAsset(request, Html, _assets, WebAssetBundle.IndexHtmlAsset, WebAssetBundle.IndexHtmlGzipLength, WebAssetBundle.IndexHtmlETag);
            else if (request.PathIs(WebAssetBundle.AppCssPath))
                response.SendAsset(request, Css, _assets, WebAssetBundle.AppCssAsset, WebAssetBundle.AppCssGzipLength, WebAssetBundle.AppCssETag);
            else if (request.PathIs(WebAssetBundle.AppJsPath))
                response.SendAsset(request, JavaScript, _assets, WebAssetBundle.AppJsAsset, WebAssetBundle.AppJsGzipLength, WebAssetBundle.AppJsETag);
            else return false;
            return true;
        }

        /// <summary>Compressed bytes of every file (what the board's image holds; none of it is on the heap).</summary>
        public const int TotalBytes = WebAssetBundle.IndexHtmlGzipLength + WebAssetBundle.AppCssGzipLength + WebAssetBundle.AppJsGzipLength;
    }
}
