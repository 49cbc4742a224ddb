using Npgsql;
using Outgate.Daemon.Events;
using Outgate.Daemon.Fleet;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Fleet;

/// <summary>
/// <see cref="EventCopier"/> against a private PostgreSQL: the direct COPY path, the staging path taken when a batch
/// collides with stored rows, and the refusal when the host's cursor moved under the copier.
/// </summary>
public sealed class EventCopierTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-5);

    [Fact]
    public async Task Batches_go_straight_into_events_and_move_the_cursor()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await using var conn = await OpenAsync(pg);
        var host = Guid.NewGuid();
        var copier = new EventCopier(conn, host);
        Assert.Equal(0, await copier.ReadCursorAsync("copier-a", TestContext.Current.CancellationToken));
        Assert.Equal(10, await copier.ShipAsync(Events(1, 10), TestContext.Current.CancellationToken));
        Assert.Equal(5, await copier.ShipAsync(Events(11, 15), TestContext.Current.CancellationToken));
        Assert.Equal(0, copier.SlowBatches);
        Assert.Equal(15, await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"SELECT count(DISTINCT event_id) FROM events WHERE host_id = '{host}'"));
        Assert.Equal(15, await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"SELECT shipped_id FROM hosts WHERE host_id = '{host}'"));
        Assert.Equal(15, await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"SELECT events_shipped FROM hosts WHERE host_id = '{host}'"));
    }

    [Fact]
    public async Task A_batch_that_overlaps_stored_rows_inserts_only_the_new_ones()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await using var conn = await OpenAsync(pg);
        var host = Guid.NewGuid();
        var first = new EventCopier(conn, host);
        await first.ReadCursorAsync("copier-b", TestContext.Current.CancellationToken);
        await first.ShipAsync(Events(1, 10), TestContext.Current.CancellationToken);
        // As after events.db was replaced: the cursor says 0 again while rows 1..10 are stored.
        await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"UPDATE hosts SET shipped_id = 0 WHERE host_id = '{host}' RETURNING 0");

        var again = new EventCopier(conn, host);
        Assert.Equal(0, await again.ReadCursorAsync("copier-b", TestContext.Current.CancellationToken));
        Assert.Equal(10, await again.ShipAsync(Events(1, 20), TestContext.Current.CancellationToken));
        Assert.Equal(1, again.SlowBatches);
        Assert.Equal(5, await again.ShipAsync(Events(21, 25), TestContext.Current.CancellationToken));
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
        var host = Guid.NewGuid();
        var a = new EventCopier(connA, host);
        var b = new EventCopier(connB, host);
        await a.ReadCursorAsync("clone", TestContext.Current.CancellationToken);
        await b.ReadCursorAsync("clone", TestContext.Current.CancellationToken);
        await a.ShipAsync(Events(1, 10), TestContext.Current.CancellationToken);
        var refused = await Assert.ThrowsAsync<FleetDatabaseException>(() => b.ShipAsync(Events(1, 10), TestContext.Current.CancellationToken));
        Assert.Contains("cursor", refused.Message);
        Assert.Contains("host-id", refused.Message);
        Assert.Equal(10, await FleetDatabaseCheck.ScalarAsync(pg.ConnectionString, $"SELECT count(*) FROM events WHERE host_id = '{host}'"));
        // After reading the cursor again, b goes on from where a stopped.
        Assert.Equal(10, await b.ReadCursorAsync("clone", TestContext.Current.CancellationToken));
        Assert.Equal(5, await b.ShipAsync(Events(11, 15), TestContext.Current.CancellationToken));
    }

    private static async Task<NpgsqlConnection> OpenAsync(PostgresServer pg)
    {
        var conn = new NpgsqlConnection(pg.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await FleetSchema.MigrateAsync(conn, TestContext.Current.CancellationToken);
        return conn;
    }

    private static List<DaemonEvent> Events(long from, long to) =>
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => new DaemonEvent
        {
            Id = i,
            Time = Start.AddMilliseconds(i),
            Type = EventType.Decision,
            Severity = EventSeverity.Info,
            Exe = "/usr/bin/curl",
            Dst = "192.0.2.1",
            DstPort = 443,
            Verdict = "allow",
        })];
}
