using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Outgate.Daemon.Alerts;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// Ships events.db to the fleet database in id order, in batches of <see cref="FleetOptions.BatchSize"/>, as fast as the
/// database takes them. events.db is the buffer: nothing is read into memory beyond one batch, so a database that is
/// down or slow only makes the backlog (lag) grow on disk, held from retention by <see cref="RetentionHold"/>. The cursor
/// comes from the database at every (re)connect; <see cref="EventCopier"/> moves it in the same transaction as the rows.
/// </summary>
public sealed partial class EventShipperService(
    FleetDatabase database, HostIdentity identity, ShipperState state, EventStore store, EventCommitSignal commits,
    RetentionHold hold, AlertRaiser alerts, DaemonOptions options, TimeProvider time, ILogger<EventShipperService> logger) : BackgroundService
{
    /// <summary>How often the backlog is compared with the retention limits (a count(*) on events.db).</summary>
    private static readonly TimeSpan BacklogCheckInterval = TimeSpan.FromSeconds(30);

    private readonly ShipCursorFile _cursorFile = new(Path.Combine(options.StateDirectory, ShipCursorFile.FileName));
    private DateTimeOffset _lastBacklogCheck;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.ConfigError is { } configError)
        {
            state.Failed(configError, time.GetUtcNow());
            LogRefused(logger, configError);
            return;
        }
        if (database.DataSource is not { } dataSource) return;
        try
        {
            state.HostId = identity.LoadOrCreateId();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Failed($"no host id: {ex.Message}", time.GetUtcNow());
            LogRefused(logger, ex.Message);
            return;
        }
        // Until the database says otherwise, keep everything after the last cursor this host saw.
        hold.HardCapRows = options.Fleet.MaxBacklogRows;
        hold.KeepAfterId = _cursorFile.TryRead() ?? 0;
        await Task.Yield();

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ShipWhileConnectedAsync(dataSource, () => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is DbException or IOException or TimeoutException or FleetDatabaseException or InvalidOperationException or OperationCanceledException)
            {
                if (stoppingToken.IsCancellationRequested) break;
                failures++;
                var delay = RetryDelay.After(failures, options.Fleet.MaxRetryDelay, Random.Shared.NextDouble());
                var message = Describe(ex);
                state.Failed(message, time.GetUtcNow());
                // Idle pooled connections died with the server too: start over with fresh ones.
                dataSource.Clear();
                LogShipFailed(logger, database.Target ?? "?", message, delay.TotalSeconds, failures == 1 ? ex : null);
                CheckBacklog(state.ShippedId < 0 ? hold.KeepAfterId : state.ShippedId, force: false);
                try { await Task.Delay(delay, time, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    private async Task ShipWhileConnectedAsync(NpgsqlDataSource dataSource, Action connected, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await FleetSchema.MigrateAsync(connection, ct);
        var copier = new EventCopier(connection, state.HostId);
        var cursor = await copier.ReadCursorAsync(identity.Name, ct);
        var local = store.LastId();
        if (cursor > local)
        {
            // events.db was replaced (ids start again): ship it all; rows already there are skipped by their key.
            LogStoreReset(logger, cursor, local);
            cursor = 0;
        }
        state.Connect(cursor);
        hold.KeepAfterId = cursor;
        _cursorFile.TryWrite(cursor);
        connected();
        LogConnected(logger, database.Target ?? "?", state.HostId, cursor, local - cursor);

        var batchSize = Math.Clamp(options.Fleet.BatchSize, 1, EventQuery.MaxLimit);
        CopyBatch? next = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var committed = commits.WaitAsync(); // before the read: a commit in between still wakes us
                using var batch = next ?? CopyBatch.Read(store, state.HostId, cursor, batchSize);
                next = null;
                if (batch.Count == 0)
                {
                    CheckBacklog(cursor, force: false);
                    await Task.WhenAny(committed, Task.Delay(TimeSpan.FromSeconds(1), time, ct));
                    ct.ThrowIfCancellationRequested();
                    continue;
                }
                // A full batch means a backlog: read the next one from events.db while PostgreSQL takes this one.
                var prefetch = batch.Count == batchSize
                    ? Task.Run(() => CopyBatch.Read(store, state.HostId, batch.LastId, batchSize), ct)
                    : null;
                long inserted;
                try
                {
                    inserted = await copier.ShipAsync(batch, ct);
                }
                catch when (prefetch is not null)
                {
                    // The connection is going; the batch read ahead is not needed (the next connection reads again).
                    _ = prefetch.ContinueWith(static t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); else _ = t.Exception; }, TaskScheduler.Default);
                    throw;
                }
                cursor = batch.LastId;
                state.Shipped(cursor, inserted, time.GetUtcNow());
                hold.KeepAfterId = cursor;
                _cursorFile.TryWrite(cursor);
                CheckBacklog(cursor, force: false);
                if (prefetch is not null) next = await prefetch;
            }
        }
        finally
        {
            next?.Dispose();
        }
    }

    /// <summary>
    /// Raises a "fleet" alert when unshipped events are close to being pruned: retention is already holding them beyond
    /// --max-events, or events.db is at 80 % of the hard cap past which they are pruned anyway.
    /// </summary>
    private void CheckBacklog(long cursor, bool force)
    {
        var now = time.GetUtcNow();
        if (!force && now - _lastBacklogCheck < BacklogCheckInterval) return;
        _lastBacklogCheck = now;
        try
        {
            var lag = store.LastId() - cursor;
            if (lag <= 0) return;
            var rows = store.Count();
            var verdict = BacklogLevel.Judge(rows, lag, options.Events.MaxRows, hold.HardCapRows);
            if (verdict is null) return;
            alerts.Raise("fleet", "backlog", new DaemonEvent
            {
                Time = now,
                Type = EventType.Alert,
                Severity = EventSeverity.Warning,
                Message = verdict,
                Details = $"unshipped={lag}; rows={rows}; max_rows={options.Events.MaxRows}; hard_cap={hold.HardCapRows}; last_error={state.LastError ?? "none"}",
            });
        }
        catch (SqliteException)
        {
            // The store's own health check reports an unreadable events.db.
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        NpgsqlException { InnerException: { } inner } npg when inner is not PostgresException => $"{npg.Message} ({inner.Message})",
        _ => ex.Message,
    };
}
