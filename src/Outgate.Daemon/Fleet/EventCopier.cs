using Npgsql;
using NpgsqlTypes;
using Outgate.Daemon.Events;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// Writes one batch of a host's events into the fleet database exactly once: binary COPY into a session-local staging
/// table, then <c>INSERT ... SELECT ... ON CONFLICT DO NOTHING</c> into the partitioned <c>events</c> table and the
/// host's cursor (<c>hosts.shipped_id</c>) in the same transaction. A batch retried after a lost commit acknowledgement
/// inserts nothing twice (the key is host, event id, time); the cursor never moves without its rows.
/// </summary>
public sealed class EventCopier(NpgsqlConnection connection, Guid hostId)
{
    private const string Columns = "event_id, time, type, severity, message, pid, exe, uid, \"user\", unit, container, proto, src, src_port, dst, dst_port, domain, verdict, rule, bytes_out, bytes_in, tags, details";

    private readonly HashSet<PartitionDay> _partitions = [];
    private bool _staging;

    /// <summary>The cursor stored for this host (0 for a new host); creates the host row if missing.</summary>
    public async Task<long> ReadCursorAsync(string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO hosts (host_id, name) VALUES ($1, $2) ON CONFLICT (host_id) DO UPDATE SET name = EXCLUDED.name RETURNING shipped_id", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = hostId, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Ships <paramref name="batch"/> (ascending ids, all above the stored cursor); returns the rows inserted.</summary>
    public async Task<long> ShipAsync(IReadOnlyList<DaemonEvent> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        var missing = PartitionDay.Covering(batch.Select(e => e.Time)).Where(d => !_partitions.Contains(d)).ToList();
        if (missing.Count > 0)
        {
            await FleetSchema.EnsurePartitionsAsync(connection, missing, ct);
            _partitions.UnionWith(missing);
        }
        if (!_staging)
        {
            await using var create = new NpgsqlCommand(
                """
                CREATE TEMP TABLE IF NOT EXISTS fleet_staging (
                    event_id bigint, time timestamptz, type text, severity text, message text, pid integer, exe text,
                    uid bigint, "user" text, unit text, container text, proto text, src text, src_port integer, dst text,
                    dst_port integer, domain text, verdict text, rule text, bytes_out bigint, bytes_in bigint, tags text, details text
                ) ON COMMIT DELETE ROWS
                """, connection);
            await create.ExecuteNonQueryAsync(ct);
            _staging = true;
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY fleet_staging ({Columns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var e in batch)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(e.Id, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(e.Time.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(EventNames.ToName(e.Type), NpgsqlDbType.Text, ct);
                await writer.WriteAsync(EventNames.ToName(e.Severity), NpgsqlDbType.Text, ct);
                await Text(writer, e.Message, ct);
                await Int(writer, e.Pid, ct);
                await Text(writer, e.Exe, ct);
                await Long(writer, e.Uid, ct);
                await Text(writer, e.User, ct);
                await Text(writer, e.Unit, ct);
                await Text(writer, e.Container, ct);
                await Text(writer, e.Proto, ct);
                await Text(writer, e.Src, ct);
                await Int(writer, e.SrcPort, ct);
                await Text(writer, e.Dst, ct);
                await Int(writer, e.DstPort, ct);
                await Text(writer, e.Domain, ct);
                await Text(writer, e.Verdict, ct);
                await Text(writer, e.Rule, ct);
                await Long(writer, e.BytesOut, ct);
                await Long(writer, e.BytesIn, ct);
                await Text(writer, e.Tags, ct);
                await Text(writer, e.Details, ct);
            }
            await writer.CompleteAsync(ct);
        }
        long inserted;
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO events (host_id, {Columns}) SELECT $1, {Columns} FROM fleet_staging ON CONFLICT DO NOTHING", connection, tx))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = hostId, NpgsqlDbType = NpgsqlDbType.Uuid });
            inserted = await insert.ExecuteNonQueryAsync(ct);
        }
        await using (var cursor = new NpgsqlCommand(
            "UPDATE hosts SET shipped_id = $2, events_shipped = events_shipped + $3 WHERE host_id = $1", connection, tx))
        {
            cursor.Parameters.Add(new NpgsqlParameter { Value = hostId, NpgsqlDbType = NpgsqlDbType.Uuid });
            cursor.Parameters.Add(new NpgsqlParameter { Value = batch[^1].Id });
            cursor.Parameters.Add(new NpgsqlParameter { Value = inserted });
            await cursor.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return inserted;
    }

    private static Task Text(NpgsqlBinaryImporter w, string? v, CancellationToken ct) =>
        v is null ? w.WriteNullAsync(ct) : w.WriteAsync(v, NpgsqlDbType.Text, ct);

    private static Task Int(NpgsqlBinaryImporter w, int? v, CancellationToken ct) =>
        v is { } x ? w.WriteAsync(x, NpgsqlDbType.Integer, ct) : w.WriteNullAsync(ct);

    private static Task Long(NpgsqlBinaryImporter w, long? v, CancellationToken ct) =>
        v is { } x ? w.WriteAsync(x, NpgsqlDbType.Bigint, ct) : w.WriteNullAsync(ct);
}
