using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
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
