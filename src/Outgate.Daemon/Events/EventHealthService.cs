using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Outgate.Daemon.Events;

/// <summary>
/// Turns overload into a record: every <see cref="Interval"/>, if events were dropped or failed
/// since the last look, records one <see cref="EventType.Health"/> warning with the counts (and
/// logs it), so the gap is visible in <c>outgate log</c> and not only in <c>outgate status</c>.
/// </summary>
public sealed partial class EventHealthService(EventSink sink, TimeProvider time, ILogger<EventHealthService> logger) : BackgroundService
{
    /// <summary>How often the counters are compared (10 s).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private long _dropped, _failed;

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

    /// <summary>One comparison; true when a health event was recorded.</summary>
    public bool Check()
    {
        var c = sink.Counters;
        long dropped = c.Dropped, failed = c.Failed;
        long newDropped = dropped - _dropped, newFailed = failed - _failed;
        _dropped = dropped;
        _failed = failed;
        if (newDropped == 0 && newFailed == 0) return false;
        LogEventsLost(logger, newDropped, newFailed, sink.Capacity);
        sink.TryWrite(new DaemonEvent
        {
            Time = time.GetUtcNow(),
            Type = EventType.Health,
            Severity = EventSeverity.Warning,
            Message = $"event log incomplete: {newDropped} events dropped (queue of {sink.Capacity} full), {newFailed} failed to write since the last check; totals {dropped} dropped, {failed} failed",
        });
        return true;
    }
}
