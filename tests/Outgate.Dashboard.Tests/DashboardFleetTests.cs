using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Npgsql;
using NpgsqlTypes;
using Outgate.EndToEnd.Tests.Decisions;
using Outgate.Testing;

namespace Outgate.Dashboard.Tests;

/// <summary>
/// The dashboard's Fleet page in Chromium. Hosts, heartbeats, modes and digests come from real daemons (--no-kernel,
/// host namespace, nothing enforced) shipping to a private PostgreSQL; the connections and the alert that search, top
/// and alerts show are rows inserted straight into the fleet database's <c>events</c> table under those hosts' ids
/// (--no-kernel daemons decide no connections; FleetShippingTests covers real traffic reaching the database).
/// </summary>
public sealed class DashboardFleetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fleet_page_shows_hosts_marks_drift_and_stale_and_search_finds_the_host_that_talked_to_the_domain()
    {
        DashboardBrowser.SkipUnlessChromium();
        PostgresServer.SkipUnlessAvailable();
        await using var pg = await PostgresServer.StartNewAsync();
        // Two policies: web-a allows 443, web-b also denies 25 (a host that drifted).
        var rootA = await RootWithRulesAsync(["allow", "out", "443"]);
        var rootB = await RootWithRulesAsync(["allow", "out", "443"], ["deny", "out", "25"]);
        await using var a = await OutgateDaemon.StartAsync(["--fleet-db", pg.ConnectionString, "--host-name", "web-a"], root: rootA);
        await using var b = await OutgateDaemon.StartAsync(["--fleet-db", pg.ConnectionString, "--host-name", "web-b", "--mode", "enforce"], root: rootB);

        JsonArray hosts = [];
        Assert.True(await DecisionLab.EventuallyAsync(async () =>
        {
            hosts = JsonNode.Parse(await a.GetStringAsync("v1/fleet/hosts", Ct))!["hosts"]!.AsArray();
            return hosts.Count == 2 && hosts.All(h => h!["policyDigest"] is not null && h["mode"] is not null);
        }, seconds: 40), $"both hosts heartbeat with a digest: {hosts.ToJsonString()}\n{a.Output}\n{b.Output}");
        var hostA = hosts.Single(h => (string)h!["name"]! == "web-a")!;
        var hostB = hosts.Single(h => (string)h!["name"]! == "web-b")!;
        var digestA = (string)hostA["policyDigest"]!;
        Assert.NotEqual(digestA, (string)hostB["policyDigest"]!);

        // A third host, silent for two hours, on web-a's policy: web-a's digest is now the most common, web-b drifted.
        await SqlAsync(pg, """
            INSERT INTO hosts (host_id, name, last_heartbeat, mode, policy_digest, version)
            VALUES (gen_random_uuid(), 'web-old', now() - interval '2 hours', 'learn', $1, '0.9')
            """, digestA);
        // web-a talked to updates.example.org (twice, and to a subdomain), web-b to mirror.other.test; web-b raised an alert.
        var idA = Guid.Parse((string)hostA["hostId"]!);
        var idB = Guid.Parse((string)hostB["hostId"]!);
        await InsertDecisionAsync(pg, idA, 1, "/usr/bin/curl", "192.0.2.10", "updates.example.org");
        await InsertDecisionAsync(pg, idA, 2, "/usr/bin/curl", "192.0.2.10", "updates.example.org");
        await InsertDecisionAsync(pg, idA, 3, "/usr/bin/wget", "192.0.2.11", "cdn.updates.example.org");
        await InsertDecisionAsync(pg, idB, 1, "/usr/bin/apt", "198.51.100.7", "mirror.other.test");
        await InsertDecisionAsync(pg, idB, 2, "/usr/lib/apt/methods/http", "198.51.100.8", "security.other.test");
        await SqlAsync(pg, """
            INSERT INTO events (host_id, event_id, time, type, severity, message, exe, dst, domain, rule)
            VALUES ($1, 1000000003, now(), 'alert', 'critical', 'bash opened an outbound connection (connect-back shell?)', '/usr/bin/bash', '198.51.100.9', NULL, 'connect-back')
            """, idB);

        await using var browser = await DashboardBrowser.LogInAsync(a);
        var page = browser.Page;
        await browser.GoAsync("fleet");

        await page.Locator("#fleet-status dd", new() { HasText = "yes" }).WaitForAsync();
        Assert.Contains("web-a", await page.InnerTextAsync("#fleet-status"));
        Assert.True(await page.Locator("#fleet-off").IsHiddenAsync());

        var rowA = page.Locator("#fleet-hosts tbody tr[data-host='web-a']");
        var rowB = page.Locator("#fleet-hosts tbody tr[data-host='web-b']");
        var rowOld = page.Locator("#fleet-hosts tbody tr[data-host='web-old']");
        await rowB.WaitForAsync();
        Assert.Contains("DRIFT", await rowB.InnerTextAsync());
        Assert.Contains("enforce", await rowB.InnerTextAsync());
        Assert.Contains("ok", await rowA.InnerTextAsync());
        Assert.Contains(digestA[..12], await rowA.InnerTextAsync());
        Assert.Matches("s ago", await rowA.InnerTextAsync());
        Assert.DoesNotContain("stale", await rowA.InnerTextAsync());
        Assert.Contains("stale", await rowOld.InnerTextAsync());
        Assert.Contains("2 h ago", await rowOld.InnerTextAsync());
        Assert.Contains("1 of 3 drifted", await page.InnerTextAsync("#fleet-expected"));

        await page.FillAsync("#fleet-search-value", "example.org");
        await page.SelectOptionAsync("#fleet-search-field", "domain");
        await page.SelectOptionAsync("#fleet-search-since", "1d");
        await page.ClickAsync("#fleet-search-submit");
        await page.Locator("#fleet-search-note", new() { HasText = "1 host" }).WaitForAsync();
        var found = page.Locator("#fleet-search-table tbody tr");
        Assert.Equal(2, await found.CountAsync()); // curl → updates.example.org (2), wget → cdn.updates.example.org (1)
        Assert.Equal(2, await page.Locator("#fleet-search-table tbody tr[data-host='web-a']").CountAsync());
        Assert.Contains("/usr/bin/curl", await found.First.InnerTextAsync());
        Assert.Contains("updates.example.org", await found.First.InnerTextAsync());

        await page.Locator("#fleet-top-apps tbody tr", new() { HasText = "curl" }).WaitForAsync();
        Assert.Contains("updates.example.org", await page.InnerTextAsync("#fleet-top-dests"));
        var alert = page.Locator("#fleet-alerts tbody tr[data-host='web-b']");
        await alert.WaitForAsync();
        Assert.Contains("critical", await alert.InnerTextAsync());
        Assert.Contains("connect-back", await alert.InnerTextAsync());

        await page.SetViewportSizeAsync(1366, 1150);
        await browser.ScreenshotAsync("fleet");

        // Names come from every host: one with markup is shown as text, never parsed.
        await InsertDecisionAsync(pg, idB, 3, "/opt/<img src=x onerror=alert(1)>", "198.51.100.8", "<b>evil</b>.other.test");
        await page.ClickAsync("#fleet-refresh");
        await page.Locator("#fleet-top-apps tbody tr", new() { HasText = "<img src=x onerror=alert(1)>" }).WaitForAsync();
        Assert.Contains("<b>evil</b>.other.test", await page.InnerTextAsync("#fleet-top-dests"));
        Assert.Equal(0, await page.Locator("#view-fleet img, #view-fleet tbody b").CountAsync());

        // An expected digest given by the admin (the bundle everyone should run): now web-a and web-old drifted.
        await page.FillAsync("#fleet-expect", (string)hostB["policyDigest"]!);
        await page.PressAsync("#fleet-expect", "Enter");
        await page.Locator("#fleet-expected", new() { HasText = "2 of 3 drifted" }).WaitForAsync();
        Assert.Contains("DRIFT", await rowA.InnerTextAsync());
        Assert.DoesNotContain("DRIFT", await rowB.InnerTextAsync());

        await page.FillAsync("#fleet-search-value", "other.test");
        await page.ClickAsync("#fleet-search-submit");
        await page.Locator("#fleet-search-table tbody tr[data-host='web-b']").First.WaitForAsync();
        Assert.Equal(0, await page.Locator("#fleet-search-table tbody tr[data-host='web-a']").CountAsync());
    }

    [Fact]
    public async Task Without_a_fleet_database_the_page_says_so_and_how_to_set_one()
    {
        DashboardBrowser.SkipUnlessChromium();
        await using var daemon = await OutgateDaemon.StartAsync();
        await using var browser = await DashboardBrowser.LogInAsync(daemon);
        var page = browser.Page;
        await browser.GoAsync("fleet");
        var off = page.Locator("#fleet-off:not([hidden])");
        await off.WaitForAsync();
        Assert.Contains("no fleet database", await off.InnerTextAsync());
        Assert.Contains("--fleet-db", await off.InnerTextAsync());
        await page.Locator("#fleet-off-hint", new() { HasText = Path.Combine(daemon.ConfigDir, "fleet.conf") }).WaitForAsync();
        Assert.True(await page.Locator("#fleet-body").IsHiddenAsync(), "no empty fleet tables without a database");
    }

    /// <summary>A daemon root whose policy is made by `outgate RULE` edits (files only: no daemon, no kernel).</summary>
    private static async Task<string> RootWithRulesAsync(params string[][] rules)
    {
        var root = OutgateDaemon.CreateRoot();
        foreach (var rule in rules)
        {
            var r = await OutgateCli.RunAsync(null, ["--config-dir", Path.Combine(root, "config"), "--state-dir", Path.Combine(root, "state"), .. rule]);
            Assert.True(r.ExitCode == 0, $"outgate {string.Join(' ', rule)}: {r}");
        }
        return root;
    }

    /// <summary>One allowed connection of <paramref name="exe"/>, at now(), under <paramref name="host"/> (event ids far above the shipper's).</summary>
    private static Task InsertDecisionAsync(PostgresServer pg, Guid host, int n, string exe, string dst, string domain) =>
        SqlAsync(pg, """
            INSERT INTO events (host_id, event_id, time, type, severity, exe, proto, dst, dst_port, domain, verdict)
            VALUES ($1, $2, now(), 'decision', 'info', $3, 'tcp', $4, 443, $5, 'allow')
            """, host, 1_000_000_000L + n, exe, dst, domain);

    private static async Task SqlAsync(PostgresServer pg, string sql, params object[] values)
    {
        await using var conn = new NpgsqlConnection(pg.ConnectionString + ";Pooling=false");
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var v in values)
            cmd.Parameters.Add(v is Guid g ? new NpgsqlParameter { Value = g, NpgsqlDbType = NpgsqlDbType.Uuid } : new NpgsqlParameter { Value = v });
        await cmd.ExecuteNonQueryAsync(Ct);
    }
}
