using Outgate.Daemon.Simulation;
using Outgate.EndToEnd.Tests.Daemon;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Simulation;

/// <summary>The simulation core over a real events.db: grouping in SQL, judging in enforce mode, the report.</summary>
public class PolicySimulatorTests
{
    private static readonly DateTimeOffset Now = RecordedTraffic.Start.AddDays(1);

    private static CandidatePolicy Load(string text)
    {
        var candidate = CandidatePolicy.TryLoad([new CandidateFile("candidate.toml", text)], out var errors);
        Assert.True(candidate is not null, string.Join("\n", errors));
        return candidate!;
    }

    [Fact]
    public void Identical_connections_fold_into_one_group_with_counts_and_first_and_last_seen()
    {
        using var dir = new TempStateDirectory();
        var store = RecordedTraffic.Seed(dir.Path);
        var groups = RecordedConnectionReader.Read(store, null, TestContext.Current.CancellationToken).ToList();
        // curl×2 destinations, ntpd, wget, nc alert; the mode change has no destination.
        Assert.Equal(5, groups.Count);
        var https = Assert.Single(groups, g => g.Dst == "93.184.216.34");
        Assert.Equal((5L, 5L), (https.Count, https.Allowed));
        Assert.Equal(RecordedTraffic.Start, https.FirstSeen);
        Assert.Equal(RecordedTraffic.Start.AddMinutes(4), https.LastSeen);
        Assert.Equal("example.com", https.Domain);
        Assert.True(Assert.Single(groups, g => g.Alert).Exe == "/opt/tools/uploader");
        Assert.Equal(0L, Assert.Single(groups, g => g.Exe == "/usr/bin/wget").Allowed);
    }

    [Fact]
    public void Since_leaves_out_older_connections()
    {
        using var dir = new TempStateDirectory();
        var store = RecordedTraffic.Seed(dir.Path);
        var groups = RecordedConnectionReader.Read(store, RecordedTraffic.Start.AddMinutes(15), TestContext.Current.CancellationToken).ToList();
        Assert.DoesNotContain(groups, g => g.Exe == "/usr/bin/curl");
        Assert.Contains(groups, g => g.Exe == "/usr/sbin/ntpd");
    }

    [Fact]
    public void A_candidate_that_refuses_curls_plain_http_breaks_curl_only()
    {
        using var dir = new TempStateDirectory();
        var store = RecordedTraffic.Seed(dir.Path);
        var report = PolicySimulator.Simulate(RecordedConnectionReader.Read(store, null, TestContext.Current.CancellationToken), Load(RecordedTraffic.BreakingCandidate), null, Now);

        Assert.True(report.Breaks);
        Assert.Equal(2, report.RefusedConnections);
        Assert.Equal(11, report.Connections);
        var curl = report.Apps[0];
        Assert.Equal("/usr/bin/curl", curl.App);
        Assert.Equal((7L, 2L), (curl.Connections, curl.Refused));
        var example = Assert.Single(curl.Examples);
        Assert.Equal("10.9.9.9:80/tcp", example.Destination);
        Assert.Equal(RecordedTraffic.Start.AddMinutes(10), example.FirstSeen);
        Assert.Equal(RecordedTraffic.Start.AddMinutes(11), example.LastSeen);
        Assert.Contains("default outgoing", example.DecidedBy);
        // wget was refused then too: refusing it again breaks nothing.
        Assert.Equal(0, report.Apps.Single(a => a.Exe == "/usr/bin/wget").Refused);
        Assert.Equal(0, report.Apps.Single(a => a.Exe == "/usr/sbin/ntpd").Refused);
        Assert.Equal("/usr/sbin/ntpd (ntp.service)", report.Apps.Single(a => a.Exe == "/usr/sbin/ntpd").App);

        var unused = Assert.Single(report.NeverUsedRules);
        Assert.Equal(4, unused.Number);
        Assert.Contains("/usr/bin/never-runs", unused.Rule);
        Assert.StartsWith("candidate.toml:", unused.Origin);

        var suspicious = Assert.Single(report.SuspiciousAllowed);
        Assert.Equal("/opt/tools/uploader", suspicious.App);
        Assert.Equal("10.6.6.6:4444/tcp", suspicious.Connection.Destination);
    }

    [Fact]
    public void A_candidate_that_allows_everything_seen_breaks_nothing_and_lists_its_unused_rule()
    {
        using var dir = new TempStateDirectory();
        var store = RecordedTraffic.Seed(dir.Path);
        var report = PolicySimulator.Simulate(RecordedConnectionReader.Read(store, null, TestContext.Current.CancellationToken), Load(RecordedTraffic.PermissiveCandidate), null, Now);
        Assert.False(report.Breaks);
        Assert.Equal(0, report.RefusedConnections);
        Assert.All(report.Apps, a => Assert.Empty(a.Examples));
        Assert.Equal(1, Assert.Single(report.NeverUsedRules).Number);
    }

    [Fact]
    public void Examples_are_bounded_and_most_frequent_first()
    {
        var connections = Enumerable.Range(1, 500).Select(i => new RecordedConnection(
            "/usr/bin/app", 1000, "alice", null, null, "tcp", $"10.0.{i / 250}.{i % 250 + 1}", 443, null, false, i, i,
            RecordedTraffic.Start, RecordedTraffic.Start.AddMinutes(i))).ToList();
        var deny = FirewallPolicy.Default with { Defaults = new Defaults { Outgoing = DefaultPolicy.Deny } };
        var report = PolicySimulator.Simulate(connections, deny, null, null, Now, examples: 3);
        var app = Assert.Single(report.Apps);
        Assert.Equal(Enumerable.Range(1, 500).Sum(i => (long)i), app.Refused);
        Assert.Equal([500L, 499L, 498L], app.Examples.Select(e => e.Count));
    }

    [Fact]
    public void Records_without_a_usable_address_are_counted_not_judged()
    {
        RecordedConnection[] connections =
        [
            new("/usr/bin/app", 0, null, null, null, "tcp", "not-an-address", 443, null, false, 4, 4, Now, Now),
            new("/usr/bin/app", 0, null, null, null, "carrier-pigeon", "10.0.0.1", 443, null, false, 2, 2, Now, Now),
        ];
        var report = PolicySimulator.Simulate(connections, FirewallPolicy.Default, null, null, Now);
        Assert.Equal(6, report.Unjudged);
        Assert.False(report.Breaks);
    }

    [Fact]
    public void Diff_reports_connections_newly_refused_and_newly_allowed_per_app()
    {
        using var dir = new TempStateDirectory();
        var store = RecordedTraffic.Seed(dir.Path);
        var a = Load(RecordedTraffic.PermissiveCandidate).Policy;
        var b = Load(RecordedTraffic.BreakingCandidate).Policy;
        var forward = PolicySimulator.Diff(RecordedConnectionReader.Read(store, null, TestContext.Current.CancellationToken), a, b, null, Now);
        // wget: refused by B's default, and allowed by A's.
        Assert.Equal(["/usr/bin/curl", "/usr/bin/wget"], forward.NewlyRefused.Select(e => e.App).Order());
        Assert.Equal(2, forward.NewlyRefused.Single(e => e.App == "/usr/bin/curl").Connections);
        Assert.Empty(forward.NewlyAllowed);
        var backward = PolicySimulator.Diff(RecordedConnectionReader.Read(store, null, TestContext.Current.CancellationToken), b, a, null, Now);
        Assert.Equal(forward.NewlyRefused.Select(e => (e.App, e.Connections)), backward.NewlyAllowed.Select(e => (e.App, e.Connections)));
    }

    [Fact]
    public void A_bad_candidate_names_the_senders_file_and_line()
    {
        var candidate = CandidatePolicy.TryLoad(
            [new CandidateFile("/home/ops/candidate.toml", "[defaults]\noutgoing = \"deny\"\n"), new CandidateFile("extra.toml", RecordedTraffic.BadCandidate)],
            out var errors);
        Assert.Null(candidate);
        // Every error is reported: the drop-in may not set defaults, and line 5 misspells the action.
        Assert.All(errors, e => Assert.Equal("extra.toml", e.File));
        Assert.Contains(errors, e => e.Line == 1 && e.Message.Contains("[defaults]"));
        Assert.Contains(errors, e => e.Line == 5 && e.Message.Contains("alow"));
    }

    [Theory]
    [InlineData("7d", -7 * 24 * 60)]
    [InlineData("12h", -12 * 60)]
    [InlineData("30m", -30)]
    public void Since_accepts_ages(string text, int minutes)
    {
        Assert.True(SimulationEndpoints.TryParseSince(text, Now, out var since));
        Assert.Equal(Now.AddMinutes(minutes), since);
    }

    [Fact]
    public void Since_accepts_iso_times_and_refuses_nonsense()
    {
        Assert.True(SimulationEndpoints.TryParseSince("2026-11-20T08:00:00Z", Now, out var since));
        Assert.Equal(RecordedTraffic.Start, since);
        Assert.True(SimulationEndpoints.TryParseSince(null, Now, out since));
        Assert.Null(since);
        Assert.False(SimulationEndpoints.TryParseSince("last tuesday", Now, out _));
    }
}
