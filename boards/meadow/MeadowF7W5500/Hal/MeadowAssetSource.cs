using System.IO;
using System.Reflection;
using Router.Hal;
using Router.Web;

namespace Router.MeadowF7W5500.Hal
{
    /// <summary>
    /// <see cref="IAssetSource"/> on Meadow: the web UI's gzipped files as Router.Firmware.dll carries them (manifest
    /// resources named <see cref="WebAssetBundle.ResourcePrefix"/> + file + ".gz"), read a slice at a time from the
    /// resource stream, so no file is held in RAM between slices.
    /// </summary>
    public sealed class MeadowAssetSource : IAssetSource
    {
        private readonly Assembly _assembly = typeof(WebAssetBundle).Assembly;
        private readonly string[] _names = new string[WebAssetBundle.AssetCount];
        private readonly int[] _lengths = new int[WebAssetBundle.AssetCount];

        public MeadowAssetSource()
        {
            Add(WebAssetBundle.AppCssAsset, WebAssetBundle.AppCssPath, WebAssetBundle.AppCssGzipLength);
            Add(WebAssetBundle.AppJsAsset, WebAssetBundle.AppJsPath, WebAssetBundle.AppJsGzipLength);
            Add(WebAssetBundle.IndexHtmlAsset, WebAssetBundle.IndexHtmlPath, WebAssetBundle.IndexHtmlGzipLength);
        }

        private void Add(int asset, string path, int gzipLength)
        {
            _names[asset] = WebAssetBundle.ResourcePrefix + path.Substring(1) + ".gz";
            _lengths[asset] = gzipLength;
        }

        public int Length(int asset) => _lengths[asset];

        public int Read(int asset, int offset, byte[] buffer, int bufferOffset, int count)
        {
            using (Stream stream = _assembly.GetManifestResourceStream(_names[asset]))
            {
                if (stream == null) return 0; // the server resets the connection rather than send a short file
                stream.Seek(offset, SeekOrigin.Begin);
                int total = 0;
                while (total < count)
                {
                    int n = stream.Read(buffer, bufferOffset + total, count - total);
                    if (n <= 0) break;
                    total += n;
                }
                return total;
            }
        }
    }
}
