using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Decisions;

/// <summary>Issue 5's proof: per-program decisions by the real daemon on real traffic, in namespaces.</summary>
public sealed class AppRuleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_programs_to_the_same_port_one_allowed_by_app_rule_one_blocked()
    {
        await using var lab = await DecisionLab.CreateAsync("app");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("allow", "out", "app", DecisionLab.Python, "to", "any", "port", "80");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce");

        Assert.True(await lab.ConnectAsync(DecisionLab.Python, 80), "python3 is allowed to port 80 by its app rule");
        Assert.False(await lab.ConnectAsync(DecisionLab.Bash, 80), "bash has no rule: default deny outgoing");
        Assert.False(await lab.ConnectAsync(DecisionLab.Python, 443), "the app rule covers port 80 only");

        var decisions = await lab.EventsAsync("decision");
        Assert.Contains(decisions, e => (string?)e!["exe"] == DecisionLab.Python && (string?)e["verdict"] == "allow" && (int?)e["dstPort"] == 80);
        Assert.Contains(decisions, e => (string?)e!["exe"] == DecisionLab.Bash && (string?)e["verdict"] != "allow" && (int?)e["dstPort"] == 80);
    }

    [Fact]
    public async Task A_deny_app_rule_beats_a_static_port_allow()
    {
        await using var lab = await DecisionLab.CreateAsync("appd");
        await lab.CliOkAsync("allow", "out", "80/tcp");
        await lab.CliOkAsync("deny", "out", "app", "bash");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce");

        Assert.True(await lab.ConnectAsync(DecisionLab.Python, 80));
        var started = DateTime.UtcNow;
        Assert.False(await lab.ConnectAsync(DecisionLab.Bash, 80), "deny out app bash is more specific than allow out 80/tcp");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2.5), "a denied connection is refused at once (reset), not left to time out");
    }

    [Fact]
    public async Task Hash_pin_mismatch_is_blocked_and_reported()
    {
        await using var lab = await DecisionLab.CreateAsync("hash");
        var bashHash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(DecisionLab.Bash, Ct)));
        var pythonHash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(DecisionLab.Python, Ct)));
        await lab.CliOkAsync("default", "deny", "outgoing");
        // Pinned to the wrong binary: the path matches, the hash does not.
        await lab.CliOkAsync("allow", "out", "app", DecisionLab.Python, "hash", bashHash, "to", "any", "port", "80");
        await lab.CliOkAsync("allow", "out", "app", DecisionLab.Bash, "hash", bashHash, "to", "any", "port", "443");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce");

        Assert.False(await lab.ConnectAsync(DecisionLab.Python, 80), "python3 does not have the pinned hash");
        Assert.True(await lab.ConnectAsync(DecisionLab.Bash, 443), "bash has the pinned hash");
        Assert.True(await DecisionLab.EventuallyAsync(async () => (await lab.EventsAsync("alert")).Any(e =>
            (string?)e!["exe"] == DecisionLab.Python && ((string?)e["message"] ?? "").Contains(pythonHash, StringComparison.Ordinal))),
            "a hash mismatch is reported with the binary's new hash");
    }

    [Fact]
    public async Task User_rule_allows_that_user_only()
    {
        await using var lab = await DecisionLab.CreateAsync("user");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("allow", "out", "user", "nobody", "to", "any", "port", "80", "proto", "tcp");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce");

        Assert.True(await lab.ConnectAsync(DecisionLab.Python, 80, asUid: 65534), "nobody may connect to port 80");
        Assert.False(await lab.ConnectAsync(DecisionLab.Python, 80), "root may not");
    }

    [Fact]
    public async Task Unit_rule_allows_processes_of_that_unit_only()
    {
        await using var lab = await DecisionLab.CreateAsync("unit");
        var unit = $"og-test-{Random.Shared.Next(0x1000, 0xFFFF):x}.service";
        using var cgroup = CgroupSandbox.Create($"/og-test.slice/{unit}");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("allow", "out", "unit", unit, "to", "any", "port", "80", "proto", "tcp");
        await lab.CliOkAsync("enable");
        await lab.StartDaemonAsync("--mode", "enforce");

        // A python that waits for "go" so it can be moved into the unit's cgroup before connecting.
        var p = lab.Lab.Client.Start(DecisionLab.Python, "-u", "-c",
            $"import socket, sys; sys.stdin.readline(); s = socket.create_connection(('{lab.Lab.ServerV4}', 80), timeout=3); s.sendall(b'ping'); print('open' if s.recv(16) == b'ping' else 'bad', flush=True)");
        cgroup.Add(p.Id);
        await p.StandardInput.WriteLineAsync("go");
        await p.StandardInput.FlushAsync(Ct);
        var line = await p.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await p.WaitForExitAsync(Ct);
        Assert.Equal("open", line);
        Assert.False(await lab.ConnectAsync(DecisionLab.Python, 80), "the same program outside the unit is blocked");
    }

    [Fact]
    public async Task A_short_lived_process_is_attributed()
    {
        await using var lab = await DecisionLab.CreateAsync("short");
        await lab.StartDaemonAsync("--mode", "learn");
        // bash connects, writes and exits at once, without waiting for the reply.
        var r = await lab.Lab.Client.ExecAsync(DecisionLab.Bash, "-c", $"exec 3<>/dev/tcp/{lab.Lab.ServerV4}/8080; echo x >&3");
        Assert.Equal(0, r.ExitCode);
        Assert.True(await DecisionLab.EventuallyAsync(async () => (await lab.EventsAsync("decision")).Any(e =>
            (int?)e!["dstPort"] == 8080 && (string?)e["exe"] == DecisionLab.Bash && (int?)e["pid"] > 0)),
            $"the decision event names bash and its pid; decisions seen: {string.Join(" | ", (await lab.EventsAsync("decision")).Select(e => e!.ToJsonString()))}");
    }

    [Fact]
    public async Task Explain_names_the_deciding_rule()
    {
        await using var lab = await DecisionLab.CreateAsync("expl");
        await lab.CliOkAsync("default", "deny", "outgoing");
        await lab.CliOkAsync("allow", "out", "app", DecisionLab.Python, "to", "any", "port", "80");
        await lab.StartDaemonAsync("--mode", "enforce");
        var json = await lab.Daemon!.GetStringAsync($"v1/explain?exe={Uri.EscapeDataString(DecisionLab.Python)}&to={lab.Lab.ServerV4}&port=80&proto=tcp", Ct);
        var body = JsonNode.Parse(json)!;
        Assert.Equal("allow", (string?)body["verdict"]);
        Assert.Contains("rule 1", (string?)body["decidedBy"], StringComparison.Ordinal);
        json = await lab.Daemon!.GetStringAsync($"v1/explain?exe={Uri.EscapeDataString(DecisionLab.Bash)}&to={lab.Lab.ServerV4}&port=80&proto=tcp", Ct);
        Assert.Contains("default", (string?)JsonNode.Parse(json)!["decidedBy"], StringComparison.Ordinal);
    }
}
