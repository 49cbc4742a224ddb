using Microsoft.Extensions.Hosting;
using Outgate.Daemon.Events;
using Outgate.Daemon.Metrics;
using Outgate.Daemon.Options;
using Outgate.Daemon.Queue;

namespace Outgate.Daemon.Alerts.Health;

/// <summary>
/// The daemon's own health as alerts (detector id <c>health</c>): events dropped under overload, event writes failing,
/// packets the kernel dropped from our queues, the queue not running. Looks every <see cref="Interval"/>; repeats are
/// held back by <see cref="AlertRaiser"/>'s dedup window (key = the kind of problem, per queue for drops).
/// </summary>
public sealed class HealthAlertService(
    DaemonOptions options, EventSink events, QueueState queue, QueueStatsReader queueStats, AlertRaiser alerts, TimeProvider time) : BackgroundService
{
    /// <summary>How often the counters are compared (2 s): an overload is reported while it is still going on.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public const string Detector = "health";

    private HealthReading? _previous;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) Check();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One comparison; returns the findings raised (not suppressed).</summary>
    public IReadOnlyList<HealthFinding> Check()
    {
        var c = events.Counters;
        var kernel = options.Kernel;
        var now = new HealthReading(c.Dropped, c.Failed, events.Capacity, c.LastError,
            kernel ? queue.Error : null,
            kernel && queue.Queues.Count > 0 ? queueStats.Read().Where(s => queue.Queues.Contains(s.Queue) || (options.Dns && s.Queue == options.EffectiveDnsQueue)).ToList() : []);
        var findings = HealthJudge.Judge(_previous, now);
        _previous = now;
        var raised = new List<HealthFinding>();
        foreach (var f in findings)
        {
            if (alerts.Raise(Detector, f.Key, new DaemonEvent
            {
                Time = time.GetUtcNow(),
                Type = EventType.Alert,
                Severity = f.Severity,
                Message = f.Message,
                Details = f.Details,
            })) raised.Add(f);
        }
        return raised;
    }
}
