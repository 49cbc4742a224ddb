using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Outgate.EndToEnd.Tests.Decisions;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Sinks;

/// <summary>
/// A real outgated (host namespace, serving a test namespace) with <c>[alerts.syslog]</c> and <c>[alerts.webhook]</c>
/// pointing at a private rsyslogd and an HTTP receiver on the host's loopback, where the daemon's own sockets live. The
/// simplest real alert: someone deletes <c>table inet outgate</c> inside the namespace and the tamper guard raises it.
/// </summary>
public sealed partial class AlertSinkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("""^<130>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|\+00:00) \S+ outgated \d+ tamper-guard \[outgate@32473 id="(?<id>\d+)" detector="tamper-guard"(?: [a-z_]+="(?:[^"\\\]]|\\.)*")*\] \uFEFF?table inet outgate was deleted""")]
    private static partial Regex TamperLine();

    private static async Task<DecisionLab> StartLabAsync(string tag, string alerts)
    {
        RsyslogCollector.SkipUnlessInstalled();
        var lab = await DecisionLab.CreateAsync(tag);
        try
        {
            await lab.CliOkAsync("default", "deny", "outgoing");
            await lab.CliOkAsync("allow", "out", "443/tcp");
            await lab.CliOkAsync("enable");
            await File.AppendAllTextAsync(Path.Combine(lab.Cli.ConfigDir, "outgate.toml"), "\n" + alerts, Ct);
            await lab.StartDaemonAsync("--mode", "enforce");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private static async Task TamperAsync(DecisionLab lab)
    {
        await lab.Lab.Client.ExecCheckedAsync("nft", "delete", "table", "inet", "outgate");
        Assert.True(await DecisionLab.EventuallyAsync(async () => (await lab.Lab.Client.ExecAsync("nft", "list", "table", "inet", "outgate")).ExitCode == 0, 3),
            "the tamper guard puts the table back");
    }

    [Fact]
    public async Task A_tamper_alert_reaches_rsyslog_over_udp_then_tcp_as_rfc5424_and_the_webhook_as_json()
    {
        await using var collector = await RsyslogCollector.StartAsync();
        await using var webhook = new WebhookReceiver();
        var config = $"""
            [alerts]
            dedup = 0

            [alerts.syslog]
            target = "udp://127.0.0.1:{collector.UdpPort}"

            [alerts.webhook]
            url = "{webhook.Url}"
            """;
        await using var lab = await StartLabAsync("sink", config);

        await TamperAsync(lab);
        Assert.True(await DecisionLab.EventuallyAsync(() => Task.FromResult(collector.Lines("imudp").Length > 0), 5),
            $"rsyslog got the alert over UDP; its file: {(File.Exists(collector.LogFile) ? File.ReadAllText(collector.LogFile) : "(none)")}\ndaemon: {lab.Daemon!.Output}");
        var udpLine = Assert.Single(collector.Lines("imudp"));
        Assert.Matches(TamperLine(), udpLine);
        Assert.True(await DecisionLab.EventuallyAsync(() => Task.FromResult(webhook.Received.Count > 0), 5), "the webhook got the alert");
        var (contentType, body) = Assert.Single(webhook.Received);
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        Assert.Equal("alert", (string?)body["type"]);
        Assert.Equal("critical", (string?)body["severity"]);
        Assert.Equal("tamper-guard", (string?)body["rule"]);
        Assert.Equal(System.Net.Dns.GetHostName(), (string?)body["host"]);
        Assert.Equal(TamperLine().Match(udpLine).Groups["id"].Value, ((long?)body["id"])?.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Same collector over TCP (octet-counted frames): switch the target and reload.
        var file = Path.Combine(lab.Cli.ConfigDir, "outgate.toml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file, Ct)).Replace($"udp://127.0.0.1:{collector.UdpPort}", $"tcp://127.0.0.1:{collector.TcpPort}", StringComparison.Ordinal), Ct);
        var reload = await lab.Daemon!.PostJsonAsync("v1/policy/reload", "{}", Ct);
        Assert.True(reload.IsSuccessStatusCode, await reload.Content.ReadAsStringAsync(Ct));
        await TamperAsync(lab);
        Assert.True(await DecisionLab.EventuallyAsync(() => Task.FromResult(collector.Lines("imtcp").Length > 0), 5),
            $"rsyslog got the alert over TCP; its file: {(File.Exists(collector.LogFile) ? File.ReadAllText(collector.LogFile) : "(none)")}\ndaemon: {lab.Daemon.Output}");
        Assert.Matches(TamperLine(), Assert.Single(collector.Lines("imtcp")));
        Assert.Single(collector.Lines("imudp"));
        Assert.True(await DecisionLab.EventuallyAsync(() => Task.FromResult(webhook.Received.Count == 2), 5), "the webhook got the second alert too");
    }

    [Fact]
    public async Task Outgate_alerts_lists_newest_first_and_acknowledges_by_id_or_all()
    {
        await using var lab = await StartLabAsync("alck", "[alerts]\ndedup = 0\n");
        await TamperAsync(lab);
        await TamperAsync(lab);
        Assert.True(await DecisionLab.EventuallyAsync(async () => (await lab.EventsAsync("alert")).Count >= 2, 5), "two tamper alerts are recorded");

        var list = await lab.CliAsync("alerts");
        Assert.True(list.ExitCode == 0, list.ToString());
        var rows = list.StdOut.Split('\n').Where(l => l.Contains("tamper-guard", StringComparison.Ordinal)).ToArray();
        Assert.True(rows.Length >= 2, list.StdOut);
        Assert.StartsWith("ID", list.StdOut, StringComparison.Ordinal);
        var ids = rows.Select(r => long.Parse(r.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.All(rows, r => Assert.Contains("critical", r, StringComparison.Ordinal));
        Assert.Contains("open alert", list.StdOut, StringComparison.Ordinal);

        var json = await lab.CliAsync("alerts", "--json", "-n", "1");
        Assert.True(json.ExitCode == 0, json.ToString());
        var only = JsonNode.Parse(Assert.Single(json.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal(ids[0], (long)only["id"]!);

        var ack = await lab.CliAsync("alerts", "ack", ids[^1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(ack.ExitCode == 0, ack.ToString());
        Assert.Contains($"Acknowledged alert {ids[^1]}", ack.StdOut, StringComparison.Ordinal);
        var again = await lab.CliAsync("alerts", "ack", ids[^1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("already acknowledged by root", again.StdOut, StringComparison.Ordinal);

        var unknown = await lab.CliAsync("alerts", "ack", "99999999");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no alert with id 99999999", unknown.StdErr, StringComparison.Ordinal);

        var open = await lab.CliAsync("alerts");
        Assert.DoesNotContain(rows[^1], open.StdOut, StringComparison.Ordinal);
        var all = await lab.CliAsync("alerts", "--all");
        Assert.Contains(all.StdOut.Split('\n'), l => l.StartsWith(ids[^1].ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", StringComparison.Ordinal) && l.Contains('✓'));

        var api = JsonNode.Parse(await lab.Daemon!.GetStringAsync("v1/alerts?limit=100", Ct))!;
        var acked = api["alerts"]!.AsArray().Single(a => (long)a!["id"]! == ids[^1])!;
        Assert.Equal("root", (string?)acked["acknowledged"]!["by"]);

        var ackAll = await lab.CliAsync("alerts", "ack", "--all");
        Assert.True(ackAll.ExitCode == 0, ackAll.ToString());
        Assert.Matches(@"Acknowledged \d+ alerts? as root", ackAll.StdOut);
        Assert.Contains("No open alerts", (await lab.CliAsync("alerts")).StdOut, StringComparison.Ordinal);
        Assert.Empty(JsonNode.Parse(await lab.Daemon.GetStringAsync("v1/alerts?unacked=true", Ct))!["alerts"]!.AsArray());
        var notFound = await lab.Daemon.PostJsonAsync("v1/alerts/99999999/ack", "{}", Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, notFound.StatusCode);
        var bad = await lab.Daemon.GetAsync("v1/alerts?limit=0", Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
