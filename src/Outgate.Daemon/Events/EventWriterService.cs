using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Events;

/// <summary>
/// The one writer of events.db: drains the <see cref="EventSink"/> channel in batches of up to
/// <see cref="EventStoreOptions.BatchSize"/> rows per transaction, at most one commit per
/// <see cref="CommitInterval"/> unless a full batch waits. On shutdown it writes everything
/// already accepted before it returns. A failed batch is counted (<see cref="EventCounters.Failed"/>)
/// and logged, and the writer carries on.
/// </summary>
public sealed partial class EventWriterService(EventSink sink, EventStore store, EventCommitSignal signal, DaemonOptions options, ILogger<EventWriterService> logger) : BackgroundService
{
    private readonly int _batchSize = options.Events.BatchSize;

    /// <summary>
    /// The shortest time between two commits while events keep coming. Without it, each wake of the writer committed
    /// the 1-3 events that had arrived: at 4,000 connections/s that was thousands of transactions per second (WAL
    /// append, fcntl locks, a commit signal that makes the alert forwarder and every event stream re-query the store),
    /// about 80 µs of pool-thread CPU per connection. An idle daemon still commits a lone event at once; under load an
    /// event becomes visible up to 10 ms later.
    /// </summary>
    internal static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // let the host finish starting; the loop below runs on the pool
        using var inserter = store.CreateInserter();
        var batch = new List<DaemonEvent>(_batchSize);
        var lastCommit = 0L;
        try
        {
            while (await sink.Reader.WaitToReadAsync(stoppingToken))
            {
                var since = Stopwatch.GetElapsedTime(lastCommit);
                if (since < CommitInterval && sink.Reader.Count < _batchSize)
                    await Task.Delay(CommitInterval - since, stoppingToken);
                Drain(inserter, batch);
                lastCommit = Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Stopping: what the channel accepted is written, not lost.
        Drain(inserter, batch);
        LogStopped(logger, sink.Counters.Written, sink.Counters.Dropped, sink.Counters.Failed);
    }

    private void Drain(EventBatchInserter inserter, List<DaemonEvent> batch)
    {
        while (sink.Reader.TryRead(out var e))
        {
            batch.Add(e);
            if (batch.Count == _batchSize) Flush(inserter, batch);
        }
        if (batch.Count > 0) Flush(inserter, batch);
    }

    private void Flush(EventBatchInserter inserter, List<DaemonEvent> batch)
    {
        try
        {
            inserter.Write(batch);
            sink.Counters.AddWritten(batch.Count);
        }
        catch (SqliteException ex)
        {
            sink.Counters.AddFailed(batch.Count);
            sink.Counters.LastError = $"{DateTimeOffset.UtcNow:u}: {ex.Message}";
            LogBatchFailed(logger, batch.Count, store.Path, ex.Message, ex);
        }
        batch.Clear();
        signal.Pulse();
    }
}
