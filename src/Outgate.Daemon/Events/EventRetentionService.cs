using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Events;

/// <summary>
/// Keeps events.db within <see cref="EventStoreOptions.MaxRows"/> and <see cref="EventStoreOptions.MaxAge"/>:
/// prunes once at start and then every <see cref="EventStoreOptions.PruneInterval"/>. A <see cref="RetentionHold"/> (registered
/// when the fleet shipper is) keeps unshipped events up to its hard cap.
/// </summary>
public sealed partial class EventRetentionService(EventStore store, EventCounters counters, DaemonOptions options, TimeProvider time, ILogger<EventRetentionService> logger, RetentionHold? hold = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ev = options.Events;
        if (ev.MaxRows == 0 && ev.MaxAge == TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(ev.PruneInterval, time);
        do
        {
            PruneOnce();
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>One retention pass; returns the rows deleted.</summary>
    public long PruneOnce()
    {
        try
        {
            var deleted = store.Prune(options.Events.MaxRows, options.Events.MaxAge, time.GetUtcNow(), hold?.KeepAfterId ?? long.MaxValue, hold?.HardCapRows ?? 0);
            if (deleted > 0)
            {
                counters.AddPruned(deleted);
                LogPruned(logger, deleted, options.Events.MaxRows, options.Events.MaxAge);
            }
            return deleted;
        }
        catch (SqliteException ex)
        {
            LogPruneFailed(logger, store.Path, ex.Message, ex);
            return 0;
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }
}
