using System.Text.Json;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Tests.Daemon;

public class DaemonStatusSectionTests
{
    private const string OldStatus = """
        {"version":"0.1.0","mode":"learn","pid":812,"startedAt":"2026-11-25T20:00:00Z","uptimeSeconds":7500.5,"netns":"host",
         "socket":"/run/outgate/outgate.sock","configDir":"/etc/outgate","stateDir":"/var/lib/outgate","queue":"none","health":"ok",
         "healthReasons":[],"events":{"accepted":5,"written":5,"dropped":0,"failed":0,"pruned":0,"pending":0,"capacity":65536,"stored":5}}
        """;

    private static readonly string NewStatus = OldStatus[..OldStatus.LastIndexOf('}')] + """
        ,"failOpen":false,"decisions":{"allowed":120,"denied":3,"prompted":2,"cached":4000,"unattributed":1},
         "attribution":{"p50Micros":42.5,"p99Micros":310},"pendingPrompts":2,"tamper":{"restored":1,"lastAt":"2026-11-25T22:00:00Z"},
         "memory":{"residentBytes":48234496,"gcHeapBytes":6100000,"gcCommittedBytes":12000000,"gcFragmentedBytes":1000,"liveFlows":12345}}
        """;

    [Fact]
    public void An_older_daemons_status_still_reads_and_prints_only_what_it_has()
    {
        var status = JsonSerializer.Deserialize(OldStatus, CliDaemonJsonContext.Default.DaemonStatus)!;
        Assert.Null(status.Decisions);
        var text = DaemonStatusSection.Render(status);
        Assert.StartsWith("Daemon: running (outgated 0.1.0, pid 812, up 2h05m)\n", text);
        Assert.Contains("  Mode: learn\n", text);
        Assert.Contains("  Queue: none\n", text);
        Assert.Contains("  Health: ok\n", text);
        Assert.DoesNotContain("Decisions", text);
        Assert.DoesNotContain("fail-open", text);
        Assert.DoesNotContain("Tamper", text);
        Assert.DoesNotContain("Memory", text);
    }

    [Fact]
    public void The_queue_layers_fields_each_get_a_line()
    {
        var status = JsonSerializer.Deserialize(NewStatus, CliDaemonJsonContext.Default.DaemonStatus)!;
        var text = DaemonStatusSection.Render(status with { Queue = "native", HealthReasons = ["1 events dropped"], Health = "degraded" });
        Assert.Contains("  Queue: native; fail-open: no\n", text);
        Assert.Contains("  Decisions: 120 allowed, 3 denied, 2 prompted, 4000 cached, 1 unattributed\n", text);
        Assert.Contains("  Pending prompts: 2 (see `outgate prompts`", text);
        Assert.Contains("  Attribution: p50 42.5 µs, p99 310 µs\n", text);
        Assert.Contains("  Tamper: table restored 1 time, last ", text);
        Assert.Contains("  Memory: 48.2 MB resident (GC heap 6.1 MB, 12.0 MB committed), 12,345 live flows\n", text);
        Assert.Contains("  Health: degraded (1 events dropped)\n", text);
    }

    [Fact]
    public async Task No_socket_file_means_no_daemon_section_at_all()
    {
        Assert.Equal("", await DaemonStatusSection.ReadAsync("/tmp/og-no-such-dir/outgate.sock", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_running_daemon_is_asked_over_its_socket()
    {
        await using var daemon = new FakeDaemon().On("GET", "/v1/status", NewStatus);
        var text = await DaemonStatusSection.ReadAsync(daemon.SocketPath, TestContext.Current.CancellationToken);
        Assert.StartsWith("Daemon: running", text);
        Assert.Contains("Pending prompts: 2", text);
    }

    [Fact]
    public async Task A_socket_left_by_a_dead_daemon_gives_one_line_not_an_error()
    {
        using var stale = new StaleSocket();
        var text = await DaemonStatusSection.ReadAsync(stale.Path, TestContext.Current.CancellationToken);
        Assert.StartsWith("Daemon: not reachable (outgated is not running (nothing listens on", text);
        Assert.Single(text.TrimEnd().Split('\n'));
    }
}
