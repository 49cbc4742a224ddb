using Npgsql;
using NpgsqlTypes;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// Writes one batch of a host's events into the fleet database exactly once, moving the host's cursor
/// (<c>hosts.shipped_id</c>) in the same transaction as the rows.
/// <para>
/// Fast path: the cursor update comes first and is conditional on the cursor this copier last saw, which also locks the
/// host's row; then one binary COPY goes straight into the partitioned <c>events</c> table. A second shipper with the
/// same host id (a cloned state directory) or a commit whose acknowledgement was lost finds the cursor moved and starts
/// over from the database's cursor, so nothing is inserted twice. The primary key (host, event id, time) is the last
/// guard: a batch that still collides (events.db replaced, ids reused) is rolled back and sent again through a staging
/// table with <c>INSERT ... ON CONFLICT DO NOTHING</c>, which skips the rows already there.
/// </para>
/// </summary>
public sealed class EventCopier(NpgsqlConnection connection, Guid hostId)
{
    private const string UniqueViolation = "23505";

    private readonly HashSet<PartitionDay> _partitions = [];
    private bool _staging;
    private long _cursor = -1;

    /// <summary>Batches that collided with rows already stored and went through the staging table.</summary>
    public long SlowBatches { get; private set; }

    /// <summary>The cursor stored for this host (0 for a new host); creates the host row if missing.</summary>
    public async Task<long> ReadCursorAsync(string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO hosts (host_id, name) VALUES ($1, $2) ON CONFLICT (host_id) DO UPDATE SET name = EXCLUDED.name RETURNING shipped_id", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = hostId, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        _cursor = (long)(await cmd.ExecuteScalarAsync(ct))!;
        return _cursor;
    }

    /// <summary>Ships <paramref name="batch"/> (ids above the cursor, ascending); returns the rows inserted.</summary>
    /// <exception cref="InvalidOperationException"><see cref="ReadCursorAsync"/> was not called first.</exception>
    /// <exception cref="FleetDatabaseException">The host's cursor moved under this copier: reconnect and read it again.</exception>
    public async Task<long> ShipAsync(CopyBatch batch, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        if (_cursor < 0) throw new InvalidOperationException("read the host's cursor before shipping");
        var missing = batch.Days.Where(d => !_partitions.Contains(d)).ToList();
        if (missing.Count > 0)
        {
            await FleetSchema.EnsurePartitionsAsync(connection, missing, ct);
            _partitions.UnionWith(missing);
        }

        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await MoveCursorAsync(tx, batch.LastId, batch.Count, ct);
            try
            {
                await CopyAsync("events", batch, ct);
                await tx.CommitAsync(ct);
                _cursor = batch.LastId;
                return batch.Count;
            }
            catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
            {
                await tx.RollbackAsync(ct);
            }
        }
        SlowBatches++;
        return await ShipSkippingStoredAsync(batch, ct);
    }

    private async Task<long> ShipSkippingStoredAsync(CopyBatch batch, CancellationToken ct)
    {
        if (!_staging)
        {
            await using var create = new NpgsqlCommand(
                "CREATE TEMP TABLE IF NOT EXISTS fleet_staging (LIKE events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS", connection);
            await create.ExecuteNonQueryAsync(ct);
            _staging = true;
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        await CopyAsync("fleet_staging", batch, ct);
        long inserted;
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO events ({CopyBatch.Columns}) SELECT {CopyBatch.Columns} FROM fleet_staging ON CONFLICT DO NOTHING", connection, tx))
            inserted = await insert.ExecuteNonQueryAsync(ct);
        await MoveCursorAsync(tx, batch.LastId, inserted, ct);
        await tx.CommitAsync(ct);
        _cursor = batch.LastId;
        return inserted;
    }

    /// <summary>Moves the cursor from the value this copier saw; also locks the host row until the transaction ends.</summary>
    private async Task MoveCursorAsync(NpgsqlTransaction tx, long to, long shipped, CancellationToken ct)
    {
        await using var cursor = new NpgsqlCommand(
            "UPDATE hosts SET shipped_id = $2, events_shipped = events_shipped + $3 WHERE host_id = $1 AND shipped_id = $4", connection, tx);
        cursor.Parameters.Add(new NpgsqlParameter { Value = hostId, NpgsqlDbType = NpgsqlDbType.Uuid });
        cursor.Parameters.Add(new NpgsqlParameter { Value = to });
        cursor.Parameters.Add(new NpgsqlParameter { Value = shipped });
        cursor.Parameters.Add(new NpgsqlParameter { Value = _cursor });
        if (await cursor.ExecuteNonQueryAsync(ct) == 1) return;
        await tx.RollbackAsync(ct);
        _cursor = -1;
        throw new FleetDatabaseException(
            $"the fleet cursor of host {hostId} moved while this outgated shipped (another outgated with the same host id, or a lost commit acknowledgement); " +
            "reconnecting to read it again. If two hosts share STATE_DIR/host-id (a cloned disk), delete that file on one of them and restart it.");
    }

    private async Task CopyAsync(string table, CopyBatch batch, CancellationToken ct)
    {
        // Ending the raw stream ends the COPY; PostgreSQL's verdict on the rows (a key collision) comes with it.
        await using var stream = await connection.BeginRawBinaryCopyAsync($"COPY {table} ({CopyBatch.Columns}) FROM STDIN (FORMAT BINARY)", ct);
        await stream.WriteAsync(batch.Stream, ct);
    }
}
