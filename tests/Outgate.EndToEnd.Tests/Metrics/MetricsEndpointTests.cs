using System.Text.RegularExpressions;
using Outgate.EndToEnd.Tests.Decisions;

namespace Outgate.EndToEnd.Tests.Metrics;

/// <summary>GET /metrics over the daemon's unix socket after real decisions in a namespace.</summary>
public sealed class MetricsEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_count_the_decisions_made_and_list_every_documented_metric()
    {
        await using var lab = await DecisionLab.CreateAsync("metr");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("allow", "out", "app", DecisionLab.Python, "to", "any", "port", "80");
        await lab.CliOkAsync("deny", "out", "app", DecisionLab.Bash);
        await lab.CliOkAsync("enable");
        var daemon = await lab.StartDaemonAsync("--mode", "enforce");

        for (var i = 0; i < 3; i++) Assert.True(await lab.ConnectAsync(DecisionLab.Python, 80), "python3 is allowed to port 80");
        Assert.False(await lab.ConnectAsync(DecisionLab.Bash, 80), "bash is denied by its app rule");
        Assert.False(await lab.ConnectAsync(DecisionLab.Python, 443), "no app rule for python3 to 443: the static default (deny) decides");

        using var response = await daemon.GetAsync("metrics", Ct);
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics: {(int)response.StatusCode}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var m = PrometheusText.Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.True(m.Value("outgate_decisions_total", "verdict=allow", "mode=enforce") >= 3, "three allowed connections");
        Assert.True(m.Value("outgate_decisions_total", "verdict=deny", "mode=enforce") >= 1, "one connection denied by an app rule");
        Assert.True(m.Value("outgate_decisions_total", "verdict=pass", "mode=enforce") >= 1, "one connection left to the static rules");
        Assert.Equal(0, m.Find("outgate_decisions_total", "mode=learn").Sum());
        Assert.True(m.Value("outgate_decisions_cached_total") + m.Value("outgate_decisions_fresh_total") >= 5);
        Assert.Equal(1, m.Value("outgate_mode", "mode=enforce"));
        Assert.Equal(1, m.Value("outgate_queue_running"));
        Assert.Equal(0, m.Value("outgate_prompts_open"));
        Assert.True(m.Value("outgate_decision_duration_seconds_count") >= 4, "each queued connection records its decision time");
        Assert.True(m.Value("outgate_decision_duration_seconds_bucket", "le=+Inf") == m.Value("outgate_decision_duration_seconds_count"));
        Assert.True(m.Value("outgate_decision_duration_seconds_sum") > 0);
        Assert.True(m.Value("outgate_attribution_duration_seconds_count") >= 4);
        Assert.True(m.Value("outgate_events_total", "outcome=written") >= 1);
        Assert.Equal(0, m.Value("outgate_events_total", "outcome=dropped"));

        // The queues of the served namespace, read from its /proc/net/netfilter/nfnetlink_queue.
        var queues = m.Samples.Where(s => s.Name == "outgate_queue_depth").Select(s => s.Labels["queue"]).ToHashSet();
        Assert.Contains("10", queues);
        Assert.Contains("11", queues);
        Assert.Equal(0, m.Value("outgate_queue_dropped_total", "queue=10", "reason=full"));
        Assert.Equal(0, m.Value("outgate_queue_dropped_total", "queue=10", "reason=user"));

        // Every metric docs/metrics.md documents is served (alerts appear with the first alert: see HealthAlertTests).
        var documented = DocumentedMetrics();
        Assert.NotEmpty(documented);
        Assert.All(documented.Where(n => n != "outgate_alerts_total"), name => Assert.True(m.Has(name) || m.Has(name + "_count"), $"{name} is documented but not served"));
        Assert.All(m.Samples.Select(s => s.Name).Where(n => n.StartsWith("outgate_", StringComparison.Ordinal)).Distinct(),
            name => Assert.True(documented.Contains(name) || documented.Contains(Regex.Replace(name, "_(bucket|count|sum)$", "")), $"{name} is served but not documented"));
    }

    /// <summary>Metric names in the table of docs/metrics.md (first column, in backticks).</summary>
    internal static IReadOnlyList<string> DocumentedMetrics()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "metrics.md"))) dir = dir.Parent;
        Assert.True(dir is not null, "docs/metrics.md not found above the test directory");
        return Regex.Matches(File.ReadAllText(Path.Combine(dir.FullName, "docs", "metrics.md")), @"^\| `(outgate_[a-z_]+)`", RegexOptions.Multiline)
            .Select(x => x.Groups[1].Value).Distinct().ToList();
    }
}
