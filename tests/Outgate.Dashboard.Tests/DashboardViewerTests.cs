using System.Net;
using System.Text.Json.Nodes;
using Outgate.Testing;

namespace Outgate.Dashboard.Tests;

/// <summary>
/// The read-only viewer role against a real outgated (--no-kernel, its own port): the second token
/// (STATE_DIR/dashboard-viewer-token, from <c>outgate dashboard --viewer</c>), what its sessions may read, the 403 on
/// every change (HTTP level), rotation per role, and the page hiding its action buttons.
/// </summary>
public sealed class DashboardViewerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_viewer_token_is_made_by_outgate_dashboard_viewer_0600_and_never_by_a_login_attempt()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        var path = Path.Combine(daemon.StateDir, "dashboard-viewer-token");
        using var admin = await DashboardWeb.ForAsync(daemon);
        using (var guess = await admin.LoginAsync("not-a-token"))
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        Assert.False(File.Exists(path), "a failed login must not create the viewer token");

        var json = await daemon.CliAsync("dashboard", "--viewer", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var info = JsonNode.Parse(json.StdOut)!;
        Assert.Equal("viewer", (string?)info["role"]);
        Assert.Equal(path, (string?)info["tokenFile"]);
        var token = (string)info["token"]!;
        Assert.Equal(token, File.ReadAllText(path).Trim());
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.NotEqual(admin.Token, token);
        Assert.EndsWith("login#token=" + token, (string)info["loginUrl"]!);

        var text = await daemon.CliAsync("dashboard", "--viewer");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("Read-only: " + (string)info["loginUrl"]!, text.StdOut);
        Assert.Contains("changes nothing", text.StdOut);

        using var viewer = await DashboardWeb.ForAsync(daemon, viewer: true);
        using var login = await viewer.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("viewer", (string?)JsonNode.Parse(await login.Content.ReadAsStringAsync(Ct))!["role"]);
        await admin.LoginOkAsync();
        Assert.Equal("admin", (string?)JsonNode.Parse(await admin.Http.GetStringAsync("session", Ct))!["role"]);
    }

    [Fact]
    public async Task A_viewer_may_read_but_every_state_changing_request_is_refused_with_403()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var viewer = await DashboardWeb.ForAsync(daemon, viewer: true);
        await viewer.LoginOkAsync();

        foreach (var path in new[] { "/", "session", "v1/status", "v1/events?limit=5", "v1/alerts", "v1/prompts", "v1/rules", "v1/traffic",
                     "v1/stats/top", "v1/stats/destinations", "v1/policy/propose", "v1/fleet/status" })
        {
            using var r = await viewer.Http.GetAsync(path, Ct);
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"GET {path} as a viewer: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(Ct)}");
        }
        using (var stream = await viewer.Http.GetAsync("v1/events/stream", HttpCompletionOption.ResponseHeadersRead, Ct))
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode); // the live view's SSE is a GET

        var refused = new (HttpMethod Method, string Path, JsonNode? Body)[]
        {
            (HttpMethod.Post, "v1/mode", new JsonObject { ["mode"] = "lockdown" }),
            (HttpMethod.Post, "v1/rules", new JsonObject { ["command"] = "deny out 443" }),
            (HttpMethod.Delete, "v1/rules/1", null),
            (HttpMethod.Post, "v1/alerts/ack-all", new JsonObject()),
            (HttpMethod.Post, "v1/alerts/1/ack", new JsonObject()),
            (HttpMethod.Post, "v1/prompts/1/answer", new JsonObject { ["verdict"] = "allow" }),
            (HttpMethod.Post, "v1/policy/reload", new JsonObject()),
            (HttpMethod.Put, "v1/mode", new JsonObject { ["mode"] = "lockdown" }),
            (HttpMethod.Patch, "v1/rules", new JsonObject()),
            (HttpMethod.Get, "v1/dashboard", null), // and never a token
        };
        foreach (var (method, path, body) in refused)
        {
            using var r = await viewer.SendAsync(method, path, body, origin: viewer.Origin);
            var text = await r.Content.ReadAsStringAsync(Ct);
            Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} as a viewer: {(int)r.StatusCode} {text}");
            Assert.StartsWith("application/json", r.Content.Headers.ContentType?.ToString());
            var error = JsonNode.Parse(text)!;
            if (path != "v1/dashboard")
            {
                Assert.Contains("read-only dashboard session", (string)error["error"]!);
                Assert.Contains("sudo outgate dashboard", (string)error["hint"]!);
            }
        }
        Assert.Contains("\"mode\":\"learn\"", await daemon.GetStringAsync("v1/status", Ct));
        Assert.Contains("\"rules\":[]", await daemon.GetStringAsync("v1/rules", Ct));

        // The same requests from an admin session go through: the refusal is the role, not the request.
        using var admin = await DashboardWeb.ForAsync(daemon);
        await admin.LoginOkAsync();
        using (var change = await admin.SendAsync(HttpMethod.Post, "v1/mode", new JsonObject { ["mode"] = "enforce" }, origin: admin.Origin))
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);

        using var logout = await viewer.SendAsync(HttpMethod.Post, "logout", new JsonObject(), origin: viewer.Origin);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode); // a viewer may still log itself out
        using var after = await viewer.Http.GetAsync("v1/status", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Rotating_one_roles_token_logs_out_only_that_roles_browsers()
    {
        await using var daemon = await OutgateDaemon.StartAsync();
        using var admin = await DashboardWeb.ForAsync(daemon);
        using var viewer = await DashboardWeb.ForAsync(daemon, viewer: true);
        await admin.LoginOkAsync();
        await viewer.LoginOkAsync();

        var rotated = await daemon.CliAsync("dashboard", "--viewer", "--rotate", "--json");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        var freshViewer = (string)JsonNode.Parse(rotated.StdOut)!["token"]!;
        Assert.NotEqual(viewer.Token, freshViewer);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(daemon.StateDir, "dashboard-viewer-token")));
        using (var r = await viewer.Http.GetAsync("v1/status", Ct)) Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        using (var r = await admin.Http.GetAsync("v1/status", Ct)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var old = await viewer.LoginAsync()) Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await viewer.LoginOkAsync(freshViewer);

        var adminRotated = await daemon.CliAsync("dashboard", "--rotate");
        Assert.True(adminRotated.ExitCode == 0, adminRotated.ToString());
        Assert.Contains("viewers stay", adminRotated.StdOut);
        using (var r = await admin.Http.GetAsync("v1/status", Ct)) Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        using (var r = await viewer.Http.GetAsync("v1/status", Ct)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(freshViewer, File.ReadAllText(Path.Combine(daemon.StateDir, "dashboard-viewer-token")).Trim());
    }

    [Fact]
    public async Task The_page_hides_every_action_from_a_viewer_and_still_shows_the_data()
    {
        DashboardBrowser.SkipUnlessChromium();
        await using var daemon = await OutgateDaemon.StartAsync();
        using (var added = await daemon.PostJsonAsync("v1/rules", """{"command": "deny out 25"}""", Ct))
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync(Ct));
        await using var browser = await DashboardBrowser.LogInAsync(daemon, viewer: true);
        var page = browser.Page;

        Assert.True(await page.Locator("#role").IsVisibleAsync(), "the header says the session is read-only");
        Assert.Equal("read-only", (await page.InnerTextAsync("#role")).Trim());
        Assert.True(await page.Locator("#mode-select").IsDisabledAsync(), "a viewer cannot switch the mode");

        await browser.GoAsync("rules");
        var rule = page.Locator("#rules-table tbody tr", new() { HasText = "25" }).First;
        await rule.WaitForAsync();
        Assert.False(await page.Locator("#rule-form").IsVisibleAsync(), "no rule editor for viewers");
        Assert.True(await page.Locator("#view-rules .viewer-only").IsVisibleAsync(), "the page says why");
        Assert.Equal(0, await rule.Locator("button:visible").CountAsync());

        await browser.GoAsync("alerts");
        Assert.False(await page.Locator("#alerts-ack-all").IsVisibleAsync(), "no Acknowledge all for viewers");
        await browser.GoAsync("fleet");
        await page.Locator("#fleet-off:not([hidden])").WaitForAsync();
        Assert.Equal(0, await page.Locator("main button[data-admin]:visible, main form[data-admin]:visible").CountAsync());
    }
}
