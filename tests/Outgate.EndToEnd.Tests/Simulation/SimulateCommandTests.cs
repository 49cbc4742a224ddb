using Microsoft.Data.Sqlite;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Simulation;

/// <summary>
/// The real CLI against a real outgated (no kernel rules: pure API) whose events.db was filled before it started.
/// </summary>
public sealed class SimulateCommandTests : IAsyncLifetime
{
    private OutgateDaemon? _daemon;
    private string _root = "";

    private OutgateDaemon Daemon => _daemon!;

    public async ValueTask InitializeAsync()
    {
        _root = OutgateDaemon.CreateRoot();
        RecordedTraffic.Seed(Path.Combine(_root, "state"));
        SqliteConnection.ClearAllPools();
        _daemon = await OutgateDaemon.StartAsync(root: _root);
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Simulate_exits_1_and_names_the_program_a_candidate_would_break()
    {
        var candidate = Write("breaking.toml", RecordedTraffic.BreakingCandidate);
        var r = await Daemon.CliAsync("policy", "simulate", candidate);
        Assert.True(r.ExitCode == 1, r.StdOut + r.StdErr);
        Assert.Contains("/usr/bin/curl: 2 of 7 connections refused", r.StdOut);
        Assert.Contains("10.9.9.9:80/tcp", r.StdOut);
        Assert.DoesNotContain("/usr/sbin/ntpd (ntp.service):", r.StdOut);
        Assert.Contains("[4] allow out", r.StdOut);
        Assert.Contains("Suspicious allowed", r.StdOut);
        Assert.Contains("/opt/tools/uploader", r.StdOut);
    }

    [Fact]
    public async Task Simulate_exits_0_for_a_candidate_that_allows_everything_seen_and_lists_unused_rules()
    {
        var candidate = Write("permissive.toml", RecordedTraffic.PermissiveCandidate);
        var r = await Daemon.CliAsync("policy", "simulate", candidate, "--since", "3650d");
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("Would break: nothing", r.StdOut);
        Assert.Contains("Never used: 1 rule(s)", r.StdOut);
        Assert.Contains("/usr/bin/never-runs", r.StdOut);
        Assert.Contains("permissive.toml:", r.StdOut);
    }

    [Fact]
    public async Task Simulate_json_carries_the_report()
    {
        var candidate = Write("breaking-json.toml", RecordedTraffic.BreakingCandidate);
        var r = await Daemon.CliAsync("policy", "simulate", candidate, "--json", "--examples", "1");
        Assert.True(r.ExitCode == 1, r.StdOut + r.StdErr);
        using var doc = System.Text.Json.JsonDocument.Parse(r.StdOut);
        Assert.True(doc.RootElement.GetProperty("breaks").GetBoolean());
        Assert.Equal(2, doc.RootElement.GetProperty("refusedConnections").GetInt64());
    }

    [Fact]
    public async Task Simulate_exits_2_with_file_and_line_for_a_bad_candidate_and_sends_nothing()
    {
        var candidate = Write("bad.toml", RecordedTraffic.BadCandidate);
        var r = await Daemon.CliAsync("policy", "simulate", candidate);
        Assert.True(r.ExitCode == 2, r.StdOut + r.StdErr);
        Assert.Contains($"{candidate}:5:", r.StdErr);
        Assert.Contains("alow", r.StdErr);
        Assert.Equal("", r.StdOut);
    }

    [Fact]
    public async Task Simulate_exits_2_for_a_bad_since_and_a_missing_file()
    {
        var r = await Daemon.CliAsync("policy", "simulate", Path.Combine(_root, "missing.toml"), "--since", "yesterday-ish");
        Assert.True(r.ExitCode == 2, r.StdOut + r.StdErr);
        Assert.Contains("bad --since", r.StdErr);
    }

    [Fact]
    public async Task Simulate_exits_3_when_no_daemon_answers()
    {
        var candidate = Write("permissive-nodaemon.toml", RecordedTraffic.PermissiveCandidate);
        var r = await OutgateCli.RunAsync(null, ["policy", "simulate", candidate, "--socket", Path.Combine(_root, "nobody.sock")]);
        Assert.True(r.ExitCode == 3, r.StdOut + r.StdErr);
        Assert.Contains("outgated is not running", r.StdErr);
    }

    [Fact]
    public async Task Diff_shows_rule_changes_and_the_connections_newly_refused()
    {
        var a = Write("a.toml", RecordedTraffic.PermissiveCandidate);
        var b = Write("b.toml", RecordedTraffic.BreakingCandidate);
        var r = await Daemon.CliAsync("policy", "diff", a, b);
        Assert.True(r.ExitCode == 1, r.StdOut + r.StdErr);
        Assert.Contains("~ default outgoing: allow → deny", r.StdOut);
        Assert.Contains("+ [1] allow out", r.StdOut);
        Assert.Contains("Newly refused (A allows, B refuses): 3 connections of 2 program(s)", r.StdOut);
        Assert.Contains("/usr/bin/curl: 2", r.StdOut);
        Assert.Contains("Newly allowed (A refuses, B allows): none", r.StdOut);
    }

    [Fact]
    public async Task Diff_without_a_daemon_shows_only_the_rule_changes_and_says_so()
    {
        var a = Write("a2.toml", RecordedTraffic.PermissiveCandidate);
        var r = await OutgateCli.RunAsync(null, ["policy", "diff", a, a, "--socket", Path.Combine(_root, "nobody.sock")]);
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("No rule, default or switch changes.", r.StdOut);
        Assert.Contains("not shown, outgated could not be asked", r.StdOut);
        Assert.Contains("unavailable", r.StdErr);
    }
}
