using System.Text.Json.Nodes;
using Outgate.EndToEnd.Tests.Decisions;
using Outgate.EndToEnd.Tests.Metrics;

namespace Outgate.EndToEnd.Tests.Health;

/// <summary>Health and tamper-guard alerts raised by a real daemon serving a namespace, and counted in /metrics.</summary>
public sealed class HealthAlertTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Overflowing_the_event_queue_raises_a_health_alert()
    {
        await using var lab = await DecisionLab.CreateAsync("hlth");
        await lab.CliOkAsync("default", "allow", "outgoing");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce", "--event-queue", "16");

        // A burst of new UDP flows (each a queued connection and a decision event) against a 16-event channel.
        var script = $"import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nfor p in range(20000, 23000):\n    s.sendto(b'x', ('{lab.Lab.ServerV4}', p))\n";
        var sent = await lab.Lab.Client.ExecAsync("timeout", "20", DecisionLab.Python, "-c", script);
        Assert.True(sent.ExitCode == 0, $"the burst failed: {sent}");

        JsonNode? alert = null;
        Assert.True(await DecisionLab.EventuallyAsync(async () =>
        {
            alert = (await lab.EventsAsync("alert")).FirstOrDefault(e => (string?)e!["rule"] == "health" && ((string?)e["message"] ?? "").Contains("events dropped", StringComparison.Ordinal));
            return alert is not null;
        }, 10), "a health alert about dropped events is recorded");
        Assert.Equal("warning", (string?)alert!["severity"]);
        Assert.Contains("capacity=16", (string?)alert["details"]);

        var m = PrometheusText.Parse(await lab.Daemon!.GetStringAsync("metrics", Ct));
        Assert.True(m.Value("outgate_events_total", "outcome=dropped") > 0);
        Assert.True(m.Value("outgate_alerts_total", "detector=health", "outcome=raised") >= 1);
    }

    [Fact]
    public async Task Tampering_is_alerted_through_the_raiser_and_a_repeat_is_counted_as_suppressed()
    {
        await using var lab = await DecisionLab.CreateAsync("tmpa");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("allow", "out", "443/tcp");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce");

        await lab.Lab.Client.ExecCheckedAsync("nft", "delete", "table", "inet", "outgate");
        Assert.True(await DecisionLab.EventuallyAsync(async () => (await lab.EventsAsync("alert")).Any(e => (string?)e!["rule"] == "tamper-guard"), 5),
            "the tamper guard raises a tamper-guard alert");
        var alert = (await lab.EventsAsync("alert")).First(e => (string?)e!["rule"] == "tamper-guard")!;
        Assert.Equal("critical", (string?)alert["severity"]);
        Assert.Contains("change=deleted", (string?)alert["details"]);

        // Same change again within the dedup window: restored again, alert held back but counted.
        Assert.True(await DecisionLab.EventuallyAsync(async () => (await lab.Lab.Client.ExecAsync("nft", "list", "table", "inet", "outgate")).ExitCode == 0, 3));
        await lab.Lab.Client.ExecCheckedAsync("nft", "delete", "table", "inet", "outgate");
        PrometheusText? m = null;
        Assert.True(await DecisionLab.EventuallyAsync(async () =>
        {
            m = PrometheusText.Parse(await lab.Daemon!.GetStringAsync("metrics", Ct));
            return m.Value("outgate_tamper_restores_total") >= 2;
        }, 5), "the second deletion is restored too");
        Assert.Equal(1, m!.Value("outgate_alerts_total", "detector=tamper-guard", "outcome=raised"));
        Assert.Equal(1, m.Value("outgate_alerts_total", "detector=tamper-guard", "outcome=suppressed"));
        Assert.Single(await lab.EventsAsync("alert"), e => (string?)e!["rule"] == "tamper-guard");
    }
}
