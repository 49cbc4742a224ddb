using Outgate.Daemon.Alerts.Health;
using Outgate.Daemon.Events;
using Outgate.Daemon.Metrics;

namespace Outgate.EndToEnd.Tests.Health;

public sealed class HealthJudgeTests
{
    private static HealthReading Reading(long dropped = 0, long failed = 0, string? queueError = null, params NfQueueStat[] queues) =>
        new(dropped, failed, 16, failed > 0 ? "disk I/O error" : null, queueError, queues);

    [Fact]
    public void A_quiet_daemon_has_no_findings()
    {
        var quiet = Reading(queues: new NfQueueStat(10, 1, 0, 0, 0));
        Assert.Empty(HealthJudge.Judge(null, quiet));
        Assert.Empty(HealthJudge.Judge(quiet, quiet));
    }

    [Fact]
    public void Growth_of_dropped_and_failed_events_is_reported_with_the_counts()
    {
        var findings = HealthJudge.Judge(Reading(dropped: 4, failed: 1), Reading(dropped: 10, failed: 3));
        var dropped = Assert.Single(findings, f => f.Key == "events-dropped");
        Assert.Equal(EventSeverity.Warning, dropped.Severity);
        Assert.Contains("6 events dropped", dropped.Message);
        Assert.Contains("dropped=6; dropped_total=10; capacity=16", dropped.Details);
        var failed = Assert.Single(findings, f => f.Key == "events-failed");
        Assert.Contains("disk I/O error", failed.Message);
        Assert.Empty(HealthJudge.Judge(Reading(dropped: 10, failed: 3), Reading(dropped: 10, failed: 3)));
    }

    [Fact]
    public void Kernel_queue_drops_are_reported_per_queue_and_a_rebound_queue_starts_from_zero()
    {
        var before = Reading(queues: [new NfQueueStat(10, 1, 0, 5, 0), new NfQueueStat(11, 2, 0, 0, 0)]);
        var after = Reading(queues: [new NfQueueStat(10, 1, 9, 8, 1), new NfQueueStat(11, 2, 0, 0, 0)]);
        var f = Assert.Single(HealthJudge.Judge(before, after));
        Assert.Equal("queue-dropped:10", f.Key);
        Assert.Equal(EventSeverity.Critical, f.Severity);
        Assert.Contains("queue=10; queue_dropped=3; user_dropped=1; queue_total=9", f.Details);

        // Queue 10 bound again by a new daemon socket (port id 7): its counters start over.
        var rebound = Reading(queues: new NfQueueStat(10, 7, 0, 2, 0));
        Assert.Contains("queue_dropped=2", Assert.Single(HealthJudge.Judge(after, rebound)).Details);
    }

    [Fact]
    public void A_queue_that_is_not_running_is_critical_at_every_look()
    {
        var down = Reading(queueError: "nfnetlink_queue: EPERM");
        var f = Assert.Single(HealthJudge.Judge(down, down));
        Assert.Equal("queue-not-running", f.Key);
        Assert.Equal(EventSeverity.Critical, f.Severity);
        Assert.Contains("EPERM", f.Message);
    }
}
