using Npgsql;
using Outgate.Daemon.Events;
using Outgate.Daemon.Fleet;
using Outgate.Daemon.Options;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Fleet;

/// <summary>
/// events.db → <see cref="CopyBatch"/> → <see cref="EventCopier"/> → a private PostgreSQL: every column arrives as it
/// was stored, text PostgreSQL would refuse is repaired, a batch that collides with stored rows takes the staging path,
/// and a copier whose cursor moved is refused.
/// </summary>
public sealed class EventCopierTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-5);
    private readonly string _dir = Directory.CreateTempSubdirectory("og-copier-").FullName;
    private readonly EventStore _store;

    public EventCopierTests()
    {
        _store = new EventStore(new DaemonOptions { StateDirectory = _dir });
        _store.Initialize();
    }

    [Fact]
    public async Task Every_column_arrives_as_stored_and_the_cursor_moves()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await using var conn = await OpenAsync(pg);
        var time = new DateTimeOffset(2026, 11, 26, 23, 59, 59, TimeSpan.Zero).AddTicks(1234560); // µs precision, near midnight
        var full = new DaemonEvent
        {
            Time = time, Type = EventType.Alert, Severity = EventSeverity.Critical, Message = "bash → 10.9.0.2:4444 «ünïcode»",
            Pid = 4242, Exe = "/usr/bin/bash", Uid = 4_294_967_294, User = "nobody", Unit = "x.service", Container = "web",
            Proto = "tcp", Src = "10.0.0.1", SrcPort = 40001, Dst = "2001:db8::1", DstPort = 4444, Domain = "bücher.example",
            Verdict = "deny", Rule = "connect-back", BytesOut = 5_000_000_000, BytesIn = 7, Tags = "no-dns", Details = "a=1; b=2",
        };
        Write(full, new DaemonEvent { Time = time.AddDays(1), Type = EventType.Decision });
        var host = Guid.NewGuid();
        var copier = new EventCopier(conn, host);
        await copier.ReadCursorAsync("copier-a", TestContext.Current.CancellationToken);
        using (var batch = CopyBatch.Read(_store, host, after: 0, limit: 100))
        {
            Assert.Equal(2, batch.Count);
            Assert.Equal(2, batch.Days.Count); // the rows straddle midnight: two partitions
            Assert.Equal(2, await copier.ShipAsync(batch, TestContext.Current.CancellationToken));
        }
        Assert.Equal(0, copier.SlowBatches);

        await using var cmd = new NpgsqlCommand(
            $"SELECT {CopyBatch.Columns} FROM events WHERE host_id = $1 ORDER BY event_id", conn);
        cmd.Parameters.AddWithValue(host);
        await using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await r.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(host, r.GetGuid(0));
        Assert.Equal(1, r.GetInt64(1));
        Assert.Equal(time, new DateTimeOffset(r.GetDateTime(2), TimeSpan.Zero));
        object[] expected = ["alert", "critical", full.Message!, 4242, "/usr/bin/bash", 4_294_967_294L, "nobody", "x.service", "web", "tcp",
            "10.0.0.1", 40001, "2001:db8::1", 4444, "bücher.example", "deny", "connect-back", 5_000_000_000L, 7L, "no-dns", "a=1; b=2"];
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], r.GetValue(i + 3));
        Assert.True(await r.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal("decision", r.GetString(3));
        for (var i = 5; i < 24; i++) Assert.True(r.IsDBNull(i), $"column {i} of an event without it is NULL");
        await r.DisposeAsync();
        Assert.Equal(2, await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"SELECT shipped_id FROM hosts WHERE host_id = '{host}'"));
        Assert.Equal(2, await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"SELECT events_shipped FROM hosts WHERE host_id = '{host}'"));
    }

    [Fact]
    public async Task Text_postgres_would_refuse_is_repaired_not_stuck()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await using var conn = await OpenAsync(pg);
        Write(new DaemonEvent { Time = Start, Type = EventType.Decision, Message = "before\0after", Exe = "/tmp/a\0b" });
        var host = Guid.NewGuid();
        var copier = new EventCopier(conn, host);
        await copier.ReadCursorAsync("copier-nul", TestContext.Current.CancellationToken);
        using (var batch = CopyBatch.Read(_store, host, 0, 10))
            Assert.Equal(1, await copier.ShipAsync(batch, TestContext.Current.CancellationToken));
        await using var cmd = new NpgsqlCommand("SELECT message, exe FROM events WHERE host_id = $1", conn);
        cmd.Parameters.AddWithValue(host);
        await using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await r.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal("before\uFFFDafter", r.GetString(0));
        Assert.Equal("/tmp/a\uFFFDb", r.GetString(1));
    }

    [Fact]
    public async Task A_batch_that_overlaps_stored_rows_inserts_only_the_new_ones()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await using var conn = await OpenAsync(pg);
        Write(Decisions(25));
        var host = Guid.NewGuid();
        var first = new EventCopier(conn, host);
        await first.ReadCursorAsync("copier-b", TestContext.Current.CancellationToken);
        await ShipAsync(first, host, 0, 10);
        // As after events.db was replaced: the cursor says 0 again while rows 1..10 are stored.
        await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"UPDATE hosts SET shipped_id = 0 WHERE host_id = '{host}' RETURNING 0");

        var again = new EventCopier(conn, host);
        Assert.Equal(0, await again.ReadCursorAsync("copier-b", TestContext.Current.CancellationToken));
        Assert.Equal(10, await ShipAsync(again, host, 0, 20));
        Assert.Equal(1, again.SlowBatches);
        Assert.Equal(5, await ShipAsync(again, host, 20, 5));
        Assert.Equal(1, again.SlowBatches); // back on the direct path
        Assert.Equal(25, await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"SELECT count(*) FROM events WHERE host_id = '{host}'"));
        Assert.Equal(25, await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"SELECT shipped_id FROM hosts WHERE host_id = '{host}'"));
    }

    [Fact]
    public async Task A_second_shipper_with_the_same_host_id_is_refused_and_inserts_nothing()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await using var connA = await OpenAsync(pg);
        await using var connB = await OpenAsync(pg);
        Write(Decisions(15));
        var host = Guid.NewGuid();
        var a = new EventCopier(connA, host);
        var b = new EventCopier(connB, host);
        await a.ReadCursorAsync("clone", TestContext.Current.CancellationToken);
        await b.ReadCursorAsync("clone", TestContext.Current.CancellationToken);
        await ShipAsync(a, host, 0, 10);
        var refused = await Assert.ThrowsAsync<FleetDatabaseException>(() => ShipAsync(b, host, 0, 10));
        Assert.Contains("cursor", refused.Message);
        Assert.Contains("host-id", refused.Message);
        Assert.Equal(10, await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"SELECT count(*) FROM events WHERE host_id = '{host}'"));
        // After reading the cursor again, b goes on from where a stopped.
        Assert.Equal(10, await b.ReadCursorAsync("clone", TestContext.Current.CancellationToken));
        Assert.Equal(5, await ShipAsync(b, host, 10, 10));
    }

    private async Task<long> ShipAsync(EventCopier copier, Guid host, long after, int limit)
    {
        using var batch = CopyBatch.Read(_store, host, after, limit);
        return await copier.ShipAsync(batch, TestContext.Current.CancellationToken);
    }

    private void Write(params DaemonEvent[] events)
    {
        using var inserter = _store.CreateInserter();
        inserter.Write(events);
    }

    private static DaemonEvent[] Decisions(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new DaemonEvent
        {
            Time = Start.AddMilliseconds(i), Type = EventType.Decision, Exe = "/usr/bin/curl", Dst = "192.0.2.1", DstPort = 443, Verdict = "allow",
        })];

    private static async Task<NpgsqlConnection> OpenAsync(PostgresServer pg)
    {
        var conn = new NpgsqlConnection(pg.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await FleetSchema.MigrateAsync(conn, TestContext.Current.CancellationToken);
        return conn;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
