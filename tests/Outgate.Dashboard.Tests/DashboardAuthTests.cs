using System.Net;
using System.Text.Json.Nodes;
using Outgate.Testing;

namespace Outgate.Dashboard.Tests;

/// <summary>
/// The dashboard listener's gate against a real outgated (--no-kernel, its own free port): token login,
/// session cookie, CSRF, Origin and Host checks, rate limiting, security headers, the token file.
/// </summary>
public sealed class DashboardAuthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_request_needs_the_session_except_login_assets_and_metrics()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var web = await DashboardWeb.ForAsync(daemon);

        using var status = await web.Http.GetAsync("v1/status", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        using var page = await web.SendAsync(HttpMethod.Get, "/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", page.Headers.Location?.OriginalString);
        using var mode = await web.SendAsync(HttpMethod.Post, "v1/mode", new JsonObject { ["mode"] = "lockdown" });
        Assert.Equal(HttpStatusCode.Unauthorized, mode.StatusCode);

        using var login = await web.Http.GetAsync("login", Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("Log in", await login.Content.ReadAsStringAsync(Ct));
        using var css = await web.Http.GetAsync("assets/app.css", Ct);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        using var metrics = await web.Http.GetAsync("metrics", Ct);
        Assert.NotEqual(HttpStatusCode.Unauthorized, metrics.StatusCode); // exempt for Prometheus (404 until /metrics is mapped)

        Assert.Contains("\"mode\":\"learn\"", await daemon.GetStringAsync("v1/status", Ct));
    }

    [Fact]
    public async Task Login_with_the_token_sets_an_HttpOnly_SameSite_Strict_cookie_and_opens_the_API()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var web = await DashboardWeb.ForAsync(daemon);
        Assert.StartsWith(web.Url.ToString() + "login#token=", web.LoginUrl);

        using var login = await web.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrEmpty(web.Csrf));

        using var status = await web.Http.GetAsync("v1/status", Ct);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(web.Url.ToString(), (string?)JsonNode.Parse(await status.Content.ReadAsStringAsync(Ct))!["dashboard"]);
        using var page = await web.Http.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Live connections", await page.Content.ReadAsStringAsync(Ct));

        using var change = await web.SendAsync(HttpMethod.Post, "v1/mode", new JsonObject { ["mode"] = "enforce" }, origin: web.Origin);
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Contains("\"mode\":\"enforce\"", await daemon.GetStringAsync("v1/status", Ct));
    }

    [Fact]
    public async Task State_changing_requests_without_the_CSRF_header_or_from_another_origin_are_refused()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var web = await DashboardWeb.ForAsync(daemon);
        await web.LoginOkAsync();

        using var noHeader = await web.SendAsync(HttpMethod.Post, "v1/mode", new JsonObject { ["mode"] = "lockdown" }, csrf: false);
        Assert.Equal(HttpStatusCode.Forbidden, noHeader.StatusCode);
        Assert.Contains("X-Outgate-CSRF", await noHeader.Content.ReadAsStringAsync(Ct));

        var request = new HttpRequestMessage(HttpMethod.Post, "v1/mode") { Content = DashboardWeb.Json(new JsonObject { ["mode"] = "lockdown" }) };
        request.Headers.Add("X-Outgate-CSRF", "not-the-token");
        using var wrong = await web.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);

        using var evil = await web.SendAsync(HttpMethod.Post, "v1/mode", new JsonObject { ["mode"] = "lockdown" }, origin: "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
        Assert.Contains("Origin", await evil.Content.ReadAsStringAsync(Ct));

        using var rule = await web.SendAsync(HttpMethod.Post, "v1/rules", new JsonObject { ["command"] = "deny out 443" }, csrf: false);
        Assert.Equal(HttpStatusCode.Forbidden, rule.StatusCode);

        Assert.Contains("\"mode\":\"learn\"", await daemon.GetStringAsync("v1/status", Ct));
        Assert.Contains("\"rules\":[]", await daemon.GetStringAsync("v1/rules", Ct));
    }

    [Fact]
    public async Task A_foreign_Host_header_is_refused_even_with_a_session()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var web = await DashboardWeb.ForAsync(daemon);
        await web.LoginOkAsync();

        using var rebinding = await web.SendAsync(HttpMethod.Get, "v1/status", host: $"evil.example:{web.Url.Port}");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, rebinding.StatusCode);
        using var loginPage = await web.SendAsync(HttpMethod.Get, "login", host: "attacker.test");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, loginPage.StatusCode);
        using var localhost = await web.SendAsync(HttpMethod.Get, "v1/status", host: $"localhost:{web.Url.Port}");
        Assert.Equal(HttpStatusCode.OK, localhost.StatusCode);
    }

    [Fact]
    public async Task Wrong_tokens_are_refused_and_repeated_failures_are_rate_limited()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var web = await DashboardWeb.ForAsync(daemon);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < Outgate.Daemon.Web.LoginThrottle.MaxFailures + 2; i++)
        {
            using var r = await web.LoginAsync("wrong-" + i);
            codes.Add(r.StatusCode);
        }
        Assert.All(codes.Take(Outgate.Daemon.Web.LoginThrottle.MaxFailures), c => Assert.Equal(HttpStatusCode.Unauthorized, c));
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[^1]);
        using var right = await web.LoginAsync(); // even the right token waits: the throttle does not tell guesses apart
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.NotNull(right.Headers.RetryAfter);
    }

    [Fact]
    public async Task Answers_carry_CSP_without_inline_script_frame_denial_and_no_store()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var web = await DashboardWeb.ForAsync(daemon);
        await web.LoginOkAsync();
        foreach (var path in new[] { "login", "/", "v1/status" })
        {
            using var r = await web.Http.GetAsync(path, Ct);
            var csp = string.Join(";", r.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("DENY", Assert.Single(r.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("nosniff", Assert.Single(r.Headers.GetValues("X-Content-Type-Options")));
            Assert.True(r.Headers.CacheControl?.NoStore, $"{path} is not no-store");
        }
    }

    [Fact]
    public async Task The_token_is_handed_out_on_the_unix_socket_only()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var web = await DashboardWeb.ForAsync(daemon);
        await web.LoginOkAsync();
        using var info = await web.Http.GetAsync("v1/dashboard", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, info.StatusCode);
        Assert.DoesNotContain(web.Token, await info.Content.ReadAsStringAsync(Ct));
        using var rotate = await web.SendAsync(HttpMethod.Post, "v1/dashboard/rotate", new JsonObject());
        Assert.Equal(HttpStatusCode.Forbidden, rotate.StatusCode);
    }

    [Fact]
    public async Task The_token_file_is_0600_kept_across_restarts_and_rotation_logs_everyone_out()
    {
        var root = OutgateDaemon.CreateRoot();
        // Not disposed before the restart: disposing removes the directory.
        await using var first = await OutgateDaemon.StartAsync(root: root);
        var path = Path.Combine(first.StateDir, "dashboard-token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var token = File.ReadAllText(path).Trim();
        Assert.True(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=").Length >= 16, "at least 128 bits");
        await first.StopAsync();

        await using var daemon = await OutgateDaemon.StartAsync(root: root);
        using var web = await DashboardWeb.ForAsync(daemon);
        Assert.Equal(token, web.Token);
        await web.LoginOkAsync();

        var rotated = await daemon.CliAsync("dashboard", "--rotate", "--json");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        var fresh = (string)JsonNode.Parse(rotated.StdOut)!["token"]!;
        Assert.NotEqual(token, fresh);
        Assert.Equal(fresh, File.ReadAllText(Path.Combine(daemon.StateDir, "dashboard-token")).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(daemon.StateDir, "dashboard-token")));

        using var afterRotate = await web.Http.GetAsync("v1/status", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRotate.StatusCode);
        await web.LoginOkAsync(fresh);
        using var stream = await web.Http.GetAsync("v1/events/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var body = await stream.Content.ReadAsStreamAsync(Ct);
        await daemon.CliAsync("dashboard", "--rotate");
        using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        var ended = false;
        try { while (await body.ReadAsync(buffer, cut.Token) > 0) { } ended = true; }
        catch (IOException) { ended = true; } // aborted by the server
        catch (HttpRequestException) { ended = true; }
        Assert.True(ended, "rotating the token closes the open event stream of the old session");
        fresh = File.ReadAllText(Path.Combine(daemon.StateDir, "dashboard-token")).Trim();
        using var oldToken = await web.LoginAsync(token);
        Assert.Equal(HttpStatusCode.Unauthorized, oldToken.StatusCode);
        using var newToken = await web.LoginAsync(fresh);
        Assert.Equal(HttpStatusCode.OK, newToken.StatusCode);
    }
}
