namespace Router.Web
{
    /// <summary>
    /// The page, stylesheet and script: files under Web/wwwroot, gzip-compressed at build time into
    /// <see cref="WebAssetBundle"/> (Web/WebAssets.targets) and sent as they are, with Content-Encoding: gzip and an
    /// ETag, from those arrays to every client. Nothing is encoded or compressed on the board.
    /// </summary>
    public sealed class StaticFiles
    {
        /// <summary>Static fields, not literals: an <c>ldstr</c> allocates each time it runs on nanoCLR.</summary>
        private static readonly string Root = "/";
        private static readonly string Html = "text/html; charset=utf-8";
        private static readonly string Css = "text/css; charset=utf-8";
        private static readonly string JavaScript = "text/javascript; charset=utf-8";

        /// <summary>Answers a GET or HEAD for a known file; false if the path is not one.</summary>
        public bool TryServe(HttpRequest request, HttpResponse response)
        {
            if (request.PathIs(Root) || request.PathIs(WebAssetBundle.IndexHtmlPath)) response.SendAsset(request, Html, WebAssetBundle.IndexHtmlGzip, WebAssetBundle.IndexHtmlETag);
            else if (request.PathIs(WebAssetBundle.AppCssPath)) response.SendAsset(request, Css, WebAssetBundle.AppCssGzip, WebAssetBundle.AppCssETag);
            else if (request.PathIs(WebAssetBundle.AppJsPath)) response.SendAsset(request, JavaScript, WebAssetBundle.AppJsGzip, WebAssetBundle.AppJsETag);
            else return false;
            return true;
        }

        /// <summary>Compressed bytes of every file (what the firmware holds).</summary>
        public static int TotalBytes
        {
            get { return WebAssetBundle.IndexHtmlGzip.Length + WebAssetBundle.AppCssGzip.Length + WebAssetBundle.AppJsGzip.Length; }
        }
    }
}
