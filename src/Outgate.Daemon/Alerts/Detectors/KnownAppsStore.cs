using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Events;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// Keeps <see cref="KnownApps"/> in events.db's <c>known_apps</c>: loads it before the queue starts deciding (so a
/// restart does not report every program as new) and writes the changes the queue threads queue, on this service's own
/// connection, in small transactions. The queue threads never touch the disk.
/// </summary>
public sealed partial class KnownAppsStore(KnownApps apps, EventStore store, ILogger<KnownAppsStore> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            apps.Load(Read(store));
        }
        catch (SqliteException ex)
        {
            // Not fatal: every app then looks new once.
            apps.Load([]);
            LogLoadFailed(logger, store.Path, ex.Message);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var batch = new List<KnownApp>();
        try
        {
            while (await apps.Writes.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 256 && apps.Writes.TryRead(out var app)) batch.Add(app);
                Write(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        while (apps.Writes.TryRead(out var app)) batch.Add(app);
        Write(batch);
    }

    private void Write(List<KnownApp> batch)
    {
        if (batch.Count == 0) return;
        try
        {
            Upsert(store, batch);
        }
        catch (SqliteException ex)
        {
            LogWriteFailed(logger, batch.Count, store.Path, ex.Message);
        }
        batch.Clear();
    }

    public static IReadOnlyList<KnownApp> Read(EventStore store)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT path, sha256, first_seen, last_seen FROM known_apps";
        using var reader = cmd.ExecuteReader();
        var apps = new List<KnownApp>();
        while (reader.Read())
            apps.Add(new KnownApp(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                EventStore.FromMicroseconds(reader.GetInt64(2)), EventStore.FromMicroseconds(reader.GetInt64(3))));
        return apps;
    }

    public static void Upsert(EventStore store, IReadOnlyList<KnownApp> apps)
    {
        using var connection = store.Open();
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO known_apps (path, sha256, first_seen, last_seen) VALUES ($path, $sha, $first, $last)
            ON CONFLICT (path) DO UPDATE SET sha256 = COALESCE(excluded.sha256, known_apps.sha256), last_seen = excluded.last_seen
            """;
        var path = cmd.Parameters.Add("$path", SqliteType.Text);
        var sha = cmd.Parameters.Add("$sha", SqliteType.Text);
        var first = cmd.Parameters.Add("$first", SqliteType.Integer);
        var last = cmd.Parameters.Add("$last", SqliteType.Integer);
        foreach (var app in apps)
        {
            path.Value = app.Path;
            sha.Value = (object?)app.Sha256 ?? DBNull.Value;
            first.Value = EventStore.ToMicroseconds(app.FirstSeen);
            last.Value = EventStore.ToMicroseconds(app.LastSeen);
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "known apps could not be read from {Path}: {Reason}; every program is new once")]
    private static partial void LogLoadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "{Count} known app(s) could not be written to {Path}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string path, string reason);
}
