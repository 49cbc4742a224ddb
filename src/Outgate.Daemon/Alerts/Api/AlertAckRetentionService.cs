using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Alerts.Api;

/// <summary>
/// Removes acknowledgements of alerts that retention pruned (events.db keeps no foreign key on alert_acks), on the
/// event retention's own interval, so ids and acks never outlive their alert.
/// </summary>
public sealed partial class AlertAckRetentionService(EventStore store, DaemonOptions options, TimeProvider time, ILogger<AlertAckRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Events.MaxRows == 0 && options.Events.MaxAge == TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.Events.PruneInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var removed = store.PruneAlertAcks();
                    if (removed > 0) LogPruned(removed);
                }
                catch (SqliteException ex)
                {
                    LogPruneFailed(ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 7310, Level = LogLevel.Debug, Message = "Removed {Count} acknowledgements of pruned alerts")]
    private partial void LogPruned(long count);

    [LoggerMessage(EventId = 7311, Level = LogLevel.Warning, Message = "Cannot remove acknowledgements of pruned alerts: {Error}")]
    private partial void LogPruneFailed(string error);
}
