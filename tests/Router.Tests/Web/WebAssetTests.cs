using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Router.Hal;
using Router.Hal.Desktop;
using Router.Web;
using HttpMethod = System.Net.Http.HttpMethod;
using Xunit;

namespace Router.Tests.Web;

/// <summary>
/// The UI's files (firmware/Web/wwwroot) as the firmware serves them: gzip on the wire, and once decompressed
/// byte-for-byte the files in the repository; an ETag that a revalidation answers with 304.
/// </summary>
public sealed class WebAssetTests
{
    public static string WebRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Router.sln"))) dir = dir.Parent;
            Assert.NotNull(dir);
            return Path.Combine(dir.FullName, "firmware", "Web", "wwwroot");
        }
    }

    [Theory]
    [InlineData("/", "index.html", "text/html; charset=utf-8")]
    [InlineData("/index.html", "index.html", "text/html; charset=utf-8")]
    [InlineData("/app.css", "app.css", "text/css; charset=utf-8")]
    [InlineData("/app.js", "app.js", "text/javascript; charset=utf-8")]
    public async Task Served_gzip_decompresses_to_the_file_in_the_repository(string path, string file, string contentType)
    {
        using var emulator = new RunningEmulator();
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
        using var response = await client.GetAsync(emulator.Url.TrimEnd('/') + path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { "gzip" }, response.Content.Headers.ContentEncoding.ToArray());
        Assert.Equal(contentType, response.Content.Headers.ContentType.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl.ToString());
        Assert.NotNull(response.Headers.ETag);

        byte[] wire = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(0x1f, wire[0]);
        Assert.Equal(0x8b, wire[1]);
        using var gzip = new GZipStream(new MemoryStream(wire), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        byte[] original = File.ReadAllBytes(Path.Combine(WebRoot, file));
        Assert.Equal(original, plain.ToArray());
        Assert.True(wire.Length < original.Length, $"{file}: {wire.Length} compressed bytes, {original.Length} plain");

        // Revalidation with the ETag: 304, no body; another tag: the full file again.
        using var again = new HttpRequestMessage(HttpMethod.Get, emulator.Url.TrimEnd('/') + path);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        using var other = new HttpRequestMessage(HttpMethod.Get, emulator.Url.TrimEnd('/') + path);
        other.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"0000\""));
        using var full = await client.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(wire, await full.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/app.js", "app.js")]
    [InlineData("/index.html", "index.html")]
    public async Task A_file_goes_out_in_slices_no_larger_than_the_tcp_send_buffer(string path, string file)
    {
        // esp32-eth's 1 KB send buffer: the file is read from its source a slice at a time, never whole.
        var source = new EmbeddedAssetSource(typeof(WebUi).Assembly, WebAssetBundle.ResourcePrefix);
        using var server = new RunningServer(new FilesOnly(new StaticFiles(source)), new HttpLimits { BufferBytes = 6144 }, connections: 1, tcpSendBytes: 1024);
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
        byte[] wire = await client.GetByteArrayAsync($"http://127.0.0.1:{server.Port}{path}");

        using var gzip = new GZipStream(new MemoryStream(wire), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        Assert.Equal(File.ReadAllBytes(Path.Combine(WebRoot, file)), plain.ToArray());
        Assert.InRange(source.LargestRead, 1, 1024);
        Assert.True(source.Reads >= (wire.Length + 1023) / 1024, $"{source.Reads} reads for {wire.Length} bytes");
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_ends_its_response_and_the_server_goes_on()
    {
        var broken = new BrokenAfterFirstSlice(new EmbeddedAssetSource(typeof(WebUi).Assembly, WebAssetBundle.ResourcePrefix));
        using var server = new RunningServer(new FilesOnly(new StaticFiles(broken)), new HttpLimits(), connections: 1, tcpSendBytes: 1024);
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromSeconds(20) };
        string url = $"http://127.0.0.1:{server.Port}/app.js";
        // A short body is never passed off as the file: the connection is reset before Content-Length is reached.
        await Assert.ThrowsAnyAsync<Exception>(() => client.GetByteArrayAsync(url));
        broken.Broken = false;
        Assert.Equal(WebAssetBundle.AppJsGzipLength, (await client.GetByteArrayAsync(url)).Length);
    }

    [Fact]
    public void The_embedded_files_are_the_ones_the_bundle_describes()
    {
        var source = new EmbeddedAssetSource(typeof(WebUi).Assembly, WebAssetBundle.ResourcePrefix);
        Assert.Equal(WebAssetBundle.AssetCount, source.Count);
        Assert.Equal(WebAssetBundle.AppCssGzipLength, source.Length(WebAssetBundle.AppCssAsset));
        Assert.Equal(WebAssetBundle.AppJsGzipLength, source.Length(WebAssetBundle.AppJsAsset));
        Assert.Equal(WebAssetBundle.IndexHtmlGzipLength, source.Length(WebAssetBundle.IndexHtmlAsset));
        Assert.Equal(StaticFiles.TotalBytes, source.Length(0) + source.Length(1) + source.Length(2));
        // Reads past the end copy nothing; a read across it stops there.
        var buffer = new byte[64];
        Assert.Equal(0, source.Read(WebAssetBundle.AppCssAsset, WebAssetBundle.AppCssGzipLength, buffer, 0, 64));
        Assert.Equal(10, source.Read(WebAssetBundle.AppCssAsset, WebAssetBundle.AppCssGzipLength - 10, buffer, 0, 64));
    }

    private sealed class FilesOnly(StaticFiles files) : IHttpHandler
    {
        public void Handle(HttpRequest request, HttpResponse response)
        {
            if (!files.TryServe(request, response)) response.SendText(HttpStatus.NotFound, "not found");
        }
    }

    private sealed class BrokenAfterFirstSlice(IAssetSource inner) : IAssetSource
    {
        public volatile bool Broken = true;
        public int Length(int asset) => inner.Length(asset);
        public int Read(int asset, int offset, byte[] buffer, int bufferOffset, int count) =>
            Broken && offset > 0 ? 0 : inner.Read(asset, offset, buffer, bufferOffset, count);
    }

    [Fact]
    public void Every_file_in_the_web_folder_is_in_the_bundle()
    {
        string[] files = Directory.GetFiles(WebRoot).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "app.css", "app.js", "index.html" }, files);
        Assert.Equal(Router.Web.WebAssetBundle.IndexHtmlLength, new FileInfo(Path.Combine(WebRoot, "index.html")).Length);
        Assert.Equal(Router.Web.WebAssetBundle.AppCssLength, new FileInfo(Path.Combine(WebRoot, "app.css")).Length);
        Assert.Equal(Router.Web.WebAssetBundle.AppJsLength, new FileInfo(Path.Combine(WebRoot, "app.js")).Length);
    }
}
