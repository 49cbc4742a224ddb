using System.Text.Json.Nodes;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Decisions;

/// <summary>What happens when the daemon dies or someone edits our table.</summary>
public sealed class FailClosedTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Daemon_killed_blocks_unknown_programs_keeps_static_rules_and_established_flows_and_restart_restores()
    {
        await using var lab = await DecisionLab.CreateAsync("kill");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("allow", "out", "443/tcp");
        await lab.CliOkAsync("allow", "out", "app", DecisionLab.Python, "to", "any", "port", "80");
        await lab.CliOkAsync("enable");
        var daemon = await lab.StartDaemonAsync("--mode", "enforce");
        Assert.True(await lab.ConnectAsync(DecisionLab.Python, 80));
        var session = await lab.Lab.OpenSessionAsync(443);

        daemon.Process.Kill(); // SIGKILL: no cleanup
        await daemon.Process.WaitForExitAsync(Ct);

        Assert.False(await lab.ConnectAsync(DecisionLab.Python, 80, timeoutSeconds: 2), "with no daemon the app rule cannot be judged: fail closed");
        Assert.False(await lab.ConnectAsync(DecisionLab.Bash, 8080, timeoutSeconds: 2), "unknown program, no static rule: blocked");
        Assert.True(await lab.ConnectAsync(DecisionLab.Bash, 443), "static rules keep working without the daemon");
        Assert.True(await session.PingAsync(), "the established flow keeps working");

        await lab.StartDaemonAsync(); // mode comes back from the state directory
        Assert.Contains("enforce", await lab.Daemon!.GetStringAsync("v1/status", Ct), StringComparison.Ordinal);
        Assert.True(await lab.ConnectAsync(DecisionLab.Python, 80), "after the restart the app rule works again");
    }

    [Fact]
    public async Task Tamper_guard_restores_a_deleted_table_within_a_second_and_records_a_critical_event()
    {
        await using var lab = await DecisionLab.CreateAsync("tamp");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("allow", "out", "443/tcp");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce");
        var before = (await lab.Lab.Client.ExecCheckedAsync("nft", "list", "table", "inet", "outgate")).StdOut;

        await lab.Lab.Client.ExecCheckedAsync("nft", "delete", "table", "inet", "outgate");
        var restored = await DecisionLab.EventuallyAsync(async () => (await lab.Lab.Client.ExecAsync("nft", "list", "table", "inet", "outgate")).ExitCode == 0, 1.5);
        Assert.True(restored, "the table is back within a second");
        Assert.Equal(Normalize(before), Normalize((await lab.Lab.Client.ExecCheckedAsync("nft", "list", "table", "inet", "outgate")).StdOut));
        Assert.True(await DecisionLab.EventuallyAsync(async () => (await lab.EventsAsync("alert")).Any(e => (string?)e!["severity"] == "critical"), 3),
            "tampering is recorded as a critical alert");

        // A legitimate change through the CLI is not undone.
        await lab.CliOkAsync("allow", "out", "80/tcp");
        await Task.Delay(1500, Ct);
        Assert.Contains("80", (await lab.Lab.Client.ExecCheckedAsync("nft", "list", "table", "inet", "outgate")).StdOut, StringComparison.Ordinal);
        Assert.True(await lab.ConnectAsync(DecisionLab.Bash, 80));
    }

    [Fact]
    public async Task Queue_rules_flushed_by_someone_else_are_put_back_and_reported()
    {
        await using var lab = await DecisionLab.CreateAsync("qtamp");
        await lab.CliOkAsync("default", "allow", "outgoing");
        await lab.CliOkAsync("deny", "out", "app", DecisionLab.Bash, "to", "any", "port", "80");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce");
        Assert.False(await lab.ConnectAsync(DecisionLab.Bash, 80, timeoutSeconds: 2), "the app rule refuses bash");

        // What an intruder with root would do to slip past per-program rules.
        await lab.Lab.Client.ExecCheckedAsync("iptables", "-w", "-t", "mangle", "-F", "OUTGATE-QUEUE");
        Assert.True(await DecisionLab.EventuallyAsync(async () =>
            (await lab.Lab.Client.ExecAsync("iptables", "-w", "-t", "mangle", "-S", "OUTGATE-QUEUE")).StdOut.Split('\n').Count(l => l.StartsWith("-A ", StringComparison.Ordinal)) >= 4, 8),
            "the queue rules are back within a few seconds");
        Assert.True(await DecisionLab.EventuallyAsync(async () => (await lab.EventsAsync("alert")).Any(e =>
            (string?)e!["severity"] == "critical" && ((string?)e["message"] ?? "").Contains("queue rules", StringComparison.Ordinal)), 3),
            "the removal is recorded as a critical alert");
        Assert.False(await lab.ConnectAsync(DecisionLab.Bash, 80, timeoutSeconds: 2), "the app rule applies again");
    }

    private static string Normalize(string listing) =>
        System.Text.RegularExpressions.Regex.Replace(listing, @"packets \d+ bytes \d+", "packets N bytes N");
}
