using System.Text;
using System.Text.RegularExpressions;

namespace Router.Tests.Web;

/// <summary>Builds raw API requests over <see cref="RawHttp"/>, carrying the session cookie and CSRF token it was given.</summary>
public sealed class ApiClient
{
    private readonly int _port;

    public ApiClient(int port) { _port = port; }

    public string Cookie;
    public string Csrf;
    /// <summary>The Host header; by default the address the client connects to, as a browser sends it.</summary>
    public string Host;
    /// <summary>An Origin header to send, or null.</summary>
    public string Origin;
    /// <summary>The loopback address to connect from: 127.0.0.2 makes the bridge speak as a second LAN host.</summary>
    public System.Net.IPAddress From;

    public RawHttp.Response Send(string method, string path, string json = null, string contentType = "application/json", bool withCsrf = true)
    {
        var request = new StringBuilder();
        request.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\nHost: ").Append(Host ?? "127.0.0.1:" + _port).Append("\r\n");
        if (Origin != null) request.Append("Origin: ").Append(Origin).Append("\r\n");
        if (Cookie != null) request.Append("Cookie: sid=").Append(Cookie).Append("\r\n");
        if (withCsrf && Csrf != null) request.Append("X-CSRF-Token: ").Append(Csrf).Append("\r\n");
        byte[] body = json == null ? new byte[0] : Encoding.UTF8.GetBytes(json);
        if (json != null) request.Append("Content-Type: ").Append(contentType).Append("\r\nContent-Length: ").Append(body.Length).Append("\r\n");
        request.Append("Connection: close\r\n\r\n");
        using var client = new RawHttp(_port, From);
        byte[] head = Encoding.UTF8.GetBytes(request.ToString());
        var all = new byte[head.Length + body.Length];
        head.CopyTo(all, 0);
        body.CopyTo(all, head.Length);
        client.Send(all);
        var response = client.Read();
        var cookie = response.Header("Set-Cookie");
        if (cookie != null)
        {
            Match m = Regex.Match(cookie, "^sid=([0-9a-f]*);");
            if (m.Success) Cookie = m.Groups[1].Value.Length > 0 ? m.Groups[1].Value : null;
        }
        Match csrf = Regex.Match(response.Body ?? "", "\"csrf\":\"([0-9a-f]+)\"");
        if (csrf.Success) Csrf = csrf.Groups[1].Value;
        return response;
    }
}
