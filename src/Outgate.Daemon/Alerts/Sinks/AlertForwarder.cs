using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Data.Sqlite;
using Outgate.Daemon.Events;
using Outgate.Daemon.Policy;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// Sends committed alerts to every registered <see cref="IAlertSink"/>. Follows events.db as <c>/v1/events/stream</c>
/// does (woken by <see cref="EventCommitSignal"/> after each commit), starting at the newest id at start so alerts from
/// before a restart are not sent twice. Alerts below <c>[alerts] min_severity</c> stay in the store. Each sink has its own
/// <see cref="SinkQueue"/>, so a slow collector delays only itself and the event writer never waits for any sink.
/// </summary>
public sealed partial class AlertForwarder(IEnumerable<IAlertSink> sinks, EventStore store, EventCommitSignal committed, LivePolicy policy,
    TimeProvider time, ILogger<AlertForwarder> logger) : BackgroundService
{
    private const int Page = 1000;

    private readonly SinkQueue[] _queues = [.. sinks.Select(s => new SinkQueue(s, () => policy.Current.Policy.Alerts, time, logger))];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One queue per sink, for status and tests.</summary>
    public IReadOnlyList<SinkQueue> Queues => _queues;

    /// <summary>Completes once the start cursor is taken: alerts committed after this are forwarded.</summary>
    public Task Started => _started.Task;

    /// <summary>The last event id looked at.</summary>
    public long Cursor { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // leave host start-up to the other services
        if (_queues.Length == 0)
        {
            _started.TrySetResult();
            return;
        }
        var loops = _queues.Select(q => q.RunAsync(stoppingToken)).ToArray();
        try
        {
            while (true)
            {
                try
                {
                    Cursor = store.LastId();
                    break;
                }
                catch (SqliteException ex)
                {
                    LogReadFailed(store.Path, ex.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                }
            }
            _started.TrySetResult();
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = committed.WaitAsync(); // taken before reading: a commit in between still wakes us
                int read;
                try
                {
                    read = ForwardPage();
                }
                catch (SqliteException ex)
                {
                    LogReadFailed(store.Path, ex.Message);
                    read = 0;
                }
                if (read == Page) continue;
                // The periodic wake is a safety net only (e.g. a read that failed); commits wake us at once.
                await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(30), time, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _started.TrySetResult();
            await Task.WhenAll(loops);
        }
    }

    /// <summary>Hands the alerts after <see cref="Cursor"/> to the sinks; returns how many events were read.</summary>
    internal int ForwardPage()
    {
        var last = store.LastId(); // before the query: everything up to it is committed and will be in the query
        var page = store.Query(new EventQuery(After: Cursor, Limit: Page, Type: EventType.Alert));
        var settings = policy.Current.Policy.Alerts;
        EventNames.TryParseSeverity(settings.MinSeverity, out var min);
        foreach (var alert in page)
        {
            Cursor = alert.Id;
            if (alert.Severity < min) continue;
            foreach (var queue in _queues)
            {
                if (queue.Sink.IsEnabled(settings)) queue.Offer(alert);
            }
        }
        // A short page means no alert up to `last` is left: skip the decisions in between instead of rescanning them.
        if (page.Count < Page) Cursor = Math.Max(Cursor, last);
        return page.Count;
    }
}
