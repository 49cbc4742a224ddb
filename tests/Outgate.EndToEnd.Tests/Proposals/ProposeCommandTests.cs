using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Policy;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Proposals;

/// <summary>
/// `outgate policy propose` against a real outgated (--no-kernel) whose events.db was filled before it started with a
/// small "workday": services, a container, a desktop app, and traffic that must only ever be listed for review.
/// </summary>
public class ProposeCommandTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<DaemonEvent> Workday(DateTimeOffset start)
    {
        DaemonEvent At(int minute, DaemonEvent e) => e with { Time = start.AddMinutes(minute) };
        var events = new List<DaemonEvent>();
        for (var i = 0; i < 20; i++)
        {
            events.Add(At(i, ProposalEvents.Decision("/usr/lib/systemd/systemd-resolved", "192.0.2.53", 53, i % 2 == 0 ? "udp" : "tcp", unit: "systemd-resolved.service", uid: 991, user: "systemd-resolve")));
            events.Add(At(i, ProposalEvents.Decision("/usr/bin/firefox", $"93.184.216.{i % 5}", 443, domain: $"s{i % 4}.cdn.example.com")));
        }

        events.Add(At(5, ProposalEvents.Decision("/usr/lib/apt/methods/http", "192.0.2.80", 80, domain: "deb.debian.org", uid: 42, user: "_apt")));
        events.Add(At(6, ProposalEvents.Decision("/usr/lib/apt/methods/http", "192.0.2.80", 443, domain: "deb.debian.org", uid: 42, user: "_apt")));
        events.Add(At(7, ProposalEvents.Decision("/usr/sbin/chronyd", "192.0.2.123", 123, "udp", domain: "0.debian.pool.ntp.org", unit: "chrony.service", uid: 102, user: "_chrony")));
        events.Add(At(8, ProposalEvents.Decision("/usr/local/bin/worker", "203.0.113.5", 5432, container: "billing-worker")));
        events.Add(At(9, ProposalEvents.Decision("/usr/bin/bash", "198.51.100.66", 4444, tags: "no-dns")));
        events.Add(At(10, ProposalEvents.Decision("/usr/bin/python3", "192.0.2.99", 443, domain: "paste.example")));
        events.Add(At(10, ProposalEvents.Alert("/usr/bin/python3", "192.0.2.99", 0, "upload volume anomaly: 800 MB in 2 min") with { Time = start.AddMinutes(11) }));
        events.Add(At(12, ProposalEvents.Decision("/usr/bin/curl", "127.0.0.1", 8080)));
        return events;
    }

    private static async Task<OutgateDaemon> StartWithWorkdayAsync()
    {
        var root = OutgateDaemon.CreateRoot();
        var store = new EventStore(new DaemonOptions { StateDirectory = Path.Combine(root, "state") });
        store.Initialize();
        using (var inserter = store.CreateInserter()) inserter.Write(Workday(DateTimeOffset.UtcNow.AddHours(-3)));
        SqliteConnection.ClearAllPools();
        return await OutgateDaemon.StartAsync(root: root);
    }

    [Fact]
    public async Task Propose_prints_a_policy_that_loads_and_lists_suspicious_traffic_on_stderr()
    {
        await using var daemon = await StartWithWorkdayAsync();
        var run = await daemon.CliAsync("policy", "propose", "--since", "1d");
        Assert.True(run.ExitCode == 0, run.ToString());

        var load = PolicyFileSet.FromFiles("/p", [new PolicyFile("/p/outgate.toml", run.StdOut)]);
        Assert.True(load.Succeeded, string.Join("\n", load.Errors) + "\n" + run.StdOut);
        var policy = load.FileSet!.Policy;
        Assert.Equal(DefaultPolicy.Deny, policy.Defaults.Outgoing);
        var rules = policy.Rules.Select(r => (r with { Comment = null }).ToUfwString()).ToList();
        Assert.Equal(
            [
                "allow out user _chrony unit chrony.service to domain 0.debian.pool.ntp.org port 123 proto udp",
                "allow out user systemd-resolve unit systemd-resolved.service to 192.0.2.53 port 53",
                "allow out container billing-worker to 203.0.113.5 port 5432 proto tcp",
                "allow out app /usr/bin/firefox to domain '*.cdn.example.com' port 443 proto tcp",
                "allow out app /usr/lib/apt/methods/http user _apt to domain deb.debian.org port 80,443 proto tcp",
            ],
            rules);
        output.WriteLine(run.StdOut);
        output.WriteLine(run.StdErr);
        Assert.DoesNotContain("bash", string.Join("\n", rules));
        Assert.DoesNotContain("python3", string.Join("\n", rules));
        Assert.Contains("Proposed 5 rules covering 44 of 47 connections", run.StdErr);
        Assert.Contains("(2 left for review, 1 loopback)", run.StdErr);
        Assert.Contains("/usr/bin/bash → 198.51.100.66:4444/tcp: tagged no-dns", run.StdErr);
        Assert.Contains("/usr/bin/python3 → paste.example (192.0.2.99):443/tcp: alert within 10 min", run.StdErr);
        Assert.Contains("# firefox", run.StdOut.Replace("# ── app /usr/bin/", "# ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_gives_rules_with_evidence_and_the_review_list()
    {
        await using var daemon = await StartWithWorkdayAsync();
        var run = await daemon.CliAsync("policy", "propose", "--json", "--since", "1d");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdOut);
        var root = doc.RootElement;
        Assert.Equal(47, root.GetProperty("connections").GetInt64());
        var firefox = root.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("subject").GetString() == "app /usr/bin/firefox");
        Assert.Equal(20, firefox.GetProperty("count").GetInt64());
        Assert.Contains(firefox.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("covers 4 names", StringComparison.Ordinal));
        Assert.Equal(2, root.GetProperty("review").GetArrayLength());
        Assert.StartsWith("# Proposed by", root.GetProperty("toml").GetString());
    }

    [Fact]
    public async Task Output_writes_a_file_and_refuses_to_overwrite_it_without_force()
    {
        await using var daemon = await StartWithWorkdayAsync();
        var file = Path.Combine(daemon.Root, "candidate.toml");
        var first = await daemon.CliAsync("policy", "propose", "--since", "1d", "--output", file);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("", first.StdOut);
        Assert.Contains("written to " + file, first.StdErr);
        var written = await File.ReadAllTextAsync(file, Ct);
        Assert.StartsWith("# Proposed by", written);

        await File.WriteAllTextAsync(file, "mine", Ct);
        var refused = await daemon.CliAsync("policy", "propose", "--since", "1d", "--output", file);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists: pick another --output or add --force", refused.StdErr);
        Assert.Equal("mine", await File.ReadAllTextAsync(file, Ct));

        var forced = await daemon.CliAsync("policy", "propose", "--since", "1d", "--output", file, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.StartsWith("# Proposed by", await File.ReadAllTextAsync(file, Ct));
    }

    [Fact]
    public async Task Since_narrows_the_window_and_bad_input_is_refused_with_a_hint()
    {
        await using var daemon = await StartWithWorkdayAsync();
        var recent = await daemon.CliAsync("policy", "propose", "--since", "1m");
        Assert.True(recent.ExitCode == 0, recent.ToString());
        Assert.Contains("Proposed 0 rules covering 0 of 0 connections", recent.StdErr);

        var bad = await daemon.CliAsync("policy", "propose", "--since", "yesterday-ish");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("bad --since 'yesterday-ish': give an age or a time", bad.StdErr);

        using var response = await daemon.GetAsync("v1/policy/propose?since=soon&hashes=maybe", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("since='soon' is neither an age nor a time", error.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_missing_daemon_is_exit_code_2()
    {
        var run = await OutgateCli.RunAsync(null, ["policy", "propose", "--socket", "/tmp/og-no-such-daemon.sock"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("outgate policy propose: outgated is not running", run.StdErr);
    }
}
