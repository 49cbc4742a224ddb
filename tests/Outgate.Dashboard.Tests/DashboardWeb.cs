using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Outgate.Testing;

namespace Outgate.Dashboard.Tests;

/// <summary>
/// An HTTP client on a daemon's dashboard listener (TCP, with a cookie jar, no redirects followed), plus
/// what <c>GET /v1/dashboard</c> on the unix socket says: URL, login link, token.
/// </summary>
internal sealed class DashboardWeb : IDisposable
{
    private DashboardWeb(Uri url, string token, string loginUrl)
    {
        Url = url;
        Token = token;
        LoginUrl = loginUrl;
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = url };
    }

    public Uri Url { get; }
    public string Token { get; }
    public string LoginUrl { get; }
    public CookieContainer Cookies { get; } = new();
    public HttpClient Http { get; }
    public string? Csrf { get; private set; }

    /// <summary>The admin login, or with <paramref name="viewer"/> the read-only one (<c>GET /v1/dashboard/viewer</c>, which makes its token).</summary>
    public static async Task<DashboardWeb> ForAsync(OutgateDaemon daemon, bool viewer = false)
    {
        var info = JsonNode.Parse(await daemon.GetStringAsync(viewer ? "v1/dashboard/viewer" : "v1/dashboard"))!;
        var url = (string?)info["url"] ?? throw new InvalidOperationException($"the dashboard is not running: {info}");
        return new DashboardWeb(new Uri(url), (string)info["token"]!, (string)info["loginUrl"]!);
    }

    public async Task<HttpResponseMessage> LoginAsync(string? token = null)
    {
        var response = await Http.PostAsync("login", Json(new JsonObject { ["token"] = token ?? Token }));
        if (response.IsSuccessStatusCode)
            Csrf = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["csrf"];
        return response;
    }

    public async Task LoginOkAsync(string? token = null)
    {
        using var r = await LoginAsync(token);
        Assert.True(r.IsSuccessStatusCode, $"login failed: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    /// <summary>A request with the session's CSRF header unless told otherwise.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body = null, bool csrf = true, string? origin = null, string? host = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        if (csrf && Csrf is not null) request.Headers.Add("X-Outgate-CSRF", Csrf);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (host is not null) request.Headers.Host = host;
        return Http.SendAsync(request);
    }

    public static StringContent Json(JsonNode node)
    {
        var content = new StringContent(node.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public string Origin => $"{Url.Scheme}://{Url.Authority}";

    public void Dispose() => Http.Dispose();
}
