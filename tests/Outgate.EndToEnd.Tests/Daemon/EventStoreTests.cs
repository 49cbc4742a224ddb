using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;

namespace Outgate.EndToEnd.Tests.Daemon;

public class EventStoreTests(ITestOutputHelper output)
{
    private static DaemonEvent Decision(int i, DateTimeOffset? time = null) => new()
    {
        Time = time ?? DateTimeOffset.UtcNow,
        Type = EventType.Decision,
        Verdict = "allow",
        Proto = "tcp",
        Src = "10.0.0.1",
        SrcPort = 40000 + (i % 20000),
        Dst = "93.184.216.34",
        DstPort = 443,
        Pid = 1000 + i,
        Exe = "/usr/bin/curl",
        Uid = 1000,
        User = "alice",
        Domain = "example.com",
        Rule = "learn",
    };

    private static (EventStore Store, EventSink Sink, EventWriterService Writer) CreateWriter(string stateDir, EventStoreOptions events)
    {
        var options = new DaemonOptions { StateDirectory = stateDir, Events = events };
        var store = new EventStore(options);
        store.Initialize();
        var sink = new EventSink(options, new EventCounters());
        return (store, sink, new EventWriterService(sink, store, new EventCommitSignal(), options, NullLogger<EventWriterService>.Instance));
    }

    [Fact]
    public async Task Writer_under_overload_counts_drops_and_loses_nothing_it_accepted()
    {
        using var dir = new TempStateDirectory();
        var (store, sink, writer) = CreateWriter(dir.Path, new EventStoreOptions { ChannelCapacity = 1024 });
        await writer.StartAsync(TestContext.Current.CancellationToken);

        const int total = 200_000;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < total; i++) sink.TryWrite(Decision(i));
        var pushed = sw.Elapsed;
        await writer.StopAsync(TestContext.Current.CancellationToken);

        var c = sink.Counters;
        output.WriteLine($"pushed {total} in {pushed.TotalMilliseconds:0} ms: accepted {c.Accepted}, dropped {c.Dropped}, written {c.Written}, failed {c.Failed}");
        Assert.Equal(total, c.Accepted + c.Dropped);
        Assert.True(c.Dropped > 0, "a 1024-event channel fed 200k events in a tight loop should overflow");
        Assert.Equal(0, c.Failed);
        Assert.Equal(c.Accepted, c.Written);
        Assert.Equal(c.Accepted, store.Count());
        Assert.Equal(0, sink.Pending);
    }

    [Fact]
    public async Task Writer_throughput_with_2000_rows_per_transaction()
    {
        using var dir = new TempStateDirectory();
        var (store, sink, writer) = CreateWriter(dir.Path, new EventStoreOptions { ChannelCapacity = 262_144 });
        const int total = 100_000;
        for (var i = 0; i < total; i++) Assert.True(sink.TryWrite(Decision(i)));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await writer.StartAsync(TestContext.Current.CancellationToken);
        while (sink.Counters.Written < total) await Task.Delay(5, TestContext.Current.CancellationToken);
        sw.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await writer.StopAsync(TestContext.Current.CancellationToken);
        output.WriteLine($"wrote {total} events in {sw.Elapsed.TotalMilliseconds:0} ms: {total / sw.Elapsed.TotalSeconds:0} rows/s wall, {total / cpu.TotalSeconds:0} rows per CPU-second (test process, all threads)");
        Assert.Equal(total, store.Count());
    }

    [Fact]
    public void Retention_prunes_oldest_rows_beyond_the_limit_and_rows_older_than_max_age()
    {
        using var dir = new TempStateDirectory();
        var store = new EventStore(new DaemonOptions { StateDirectory = dir.Path });
        store.Initialize();
        var now = DateTimeOffset.UtcNow;
        using (var inserter = store.CreateInserter())
        {
            inserter.Write(Enumerable.Range(0, 100).Select(i => Decision(i, now - TimeSpan.FromDays(2))).ToList());
            inserter.Write(Enumerable.Range(100, 400).Select(i => Decision(i, now - TimeSpan.FromMinutes(500 - i))).ToList());
        }
        Assert.Equal(500, store.Count());

        var deleted = store.Prune(maxRows: 250, maxAge: TimeSpan.FromDays(1), now);

        Assert.Equal(250, deleted);
        Assert.Equal(250, store.Count());
        var remaining = store.Query(new EventQuery(Since: DateTimeOffset.UnixEpoch, Limit: 10_000));
        Assert.Equal(251, remaining[0].Id);
        Assert.Equal(500, remaining[^1].Id);
        Assert.All(remaining, e => Assert.True(e.Time > now - TimeSpan.FromDays(1)));
        Assert.Equal(500, store.LastId()); // cursors survive pruning
    }

    [Fact]
    public void Retention_service_counts_what_it_pruned()
    {
        using var dir = new TempStateDirectory();
        var options = new DaemonOptions { StateDirectory = dir.Path, Events = new EventStoreOptions { MaxRows = 10, MaxAge = TimeSpan.Zero } };
        var store = new EventStore(options);
        store.Initialize();
        using (var inserter = store.CreateInserter())
            inserter.Write(Enumerable.Range(0, 35).Select(i => Decision(i)).ToList());
        var counters = new EventCounters();
        var retention = new EventRetentionService(store, counters, options, TimeProvider.System, NullLogger<EventRetentionService>.Instance);

        Assert.Equal(25, retention.PruneOnce());
        Assert.Equal(0, retention.PruneOnce());
        Assert.Equal(25, counters.Pruned);
        Assert.Equal(10, store.Count());
    }

    [Fact]
    public void Events_round_trip_every_field()
    {
        using var dir = new TempStateDirectory();
        var store = new EventStore(new DaemonOptions { StateDirectory = dir.Path });
        store.Initialize();
        var e = Decision(7) with { Time = new DateTimeOffset(2026, 11, 25, 12, 0, 0, 123, TimeSpan.Zero).AddTicks(4560), Severity = EventSeverity.Warning, Message = "m", Unit = "curl.service", Container = "web", BytesIn = 10, BytesOut = 20 };
        using (var inserter = store.CreateInserter()) inserter.Write([e]);
        var back = Assert.Single(store.Query(new EventQuery()));
        Assert.Equal(e with { Id = 1 }, back);
    }

    [Fact]
    public void Query_without_a_start_returns_the_newest_oldest_first_and_filters_by_type()
    {
        using var dir = new TempStateDirectory();
        var store = new EventStore(new DaemonOptions { StateDirectory = dir.Path });
        store.Initialize();
        using (var inserter = store.CreateInserter())
            inserter.Write(Enumerable.Range(0, 20).Select(i => Decision(i) with { Type = i % 2 == 0 ? EventType.Decision : EventType.Alert }).ToList());

        Assert.Equal([16L, 17, 18, 19, 20], store.Query(new EventQuery(Limit: 5)).Select(e => e.Id));
        Assert.Equal([12L, 14, 16, 18, 20], store.Query(new EventQuery(Limit: 5, Type: EventType.Alert)).Select(e => e.Id));
        Assert.Equal([4L, 5, 6], store.Query(new EventQuery(After: 3, Limit: 3)).Select(e => e.Id));
    }

    [Fact]
    public void Schema_is_versioned_and_a_newer_file_is_refused()
    {
        using var dir = new TempStateDirectory();
        var options = new DaemonOptions { StateDirectory = dir.Path };
        var store = new EventStore(options);
        store.Initialize();
        store.Initialize(); // idempotent
        using (var connection = store.Open())
        {
            Assert.Equal(EventStoreSchema.CurrentVersion, EventStoreSchema.ReadVersion(connection));
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", cmd.ExecuteScalar());
            cmd.CommandText = $"PRAGMA user_version = {EventStoreSchema.CurrentVersion + 1}";
            cmd.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        var ex = Assert.Throws<EventStoreException>(() => new EventStore(options).Initialize());
        Assert.Contains("newer than this outgated understands", ex.Message);
    }

    [Fact]
    public void Drops_become_one_health_event_per_check()
    {
        var options = new DaemonOptions { Events = new EventStoreOptions { ChannelCapacity = 16 } };
        var sink = new EventSink(options, new EventCounters());
        var health = new EventHealthService(sink, TimeProvider.System, NullLogger<EventHealthService>.Instance);
        Assert.False(health.Check());
        for (var i = 0; i < 20; i++) sink.TryWrite(Decision(i));
        Assert.Equal(4, sink.Counters.Dropped);
        // Full channel: the health event itself is dropped (and counted); drain a little first, as the writer would.
        for (var i = 0; i < 5; i++) Assert.True(sink.Reader.TryRead(out _));
        Assert.True(health.Check());
        Assert.False(health.Check());
        var events = new List<DaemonEvent>();
        while (sink.Reader.TryRead(out var e)) events.Add(e);
        var warning = Assert.Single(events, e => e.Type == EventType.Health);
        Assert.Equal(EventSeverity.Warning, warning.Severity);
        Assert.Contains("4 events dropped (queue of 16 full)", warning.Message);
    }
}
