using Npgsql;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// The fleet database's schema, versioned in <c>outgate_schema</c>. Every shipper migrates at connect, under an advisory
/// lock so a fleet starting together migrates once. To change it, append a migration; never edit a shipped one.
/// </summary>
public static class FleetSchema
{
    /// <summary>Advisory lock key for migrations and partition creation ("outgate" in ASCII, truncated).</summary>
    public const long LockKey = 0x6f75_7467_6174_65;

    /// <summary>Migration N (1-based) brings the schema from version N-1 to N.</summary>
    internal static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS hosts (
            host_id        uuid PRIMARY KEY,
            name           text NOT NULL,
            first_seen     timestamptz NOT NULL DEFAULT now(),
            last_heartbeat timestamptz,
            mode           text,
            policy_digest  text,   -- sha256 of the policy files as they are (what `outgate export` would bundle)
            applied_digest text,   -- sha256 of the last bundle `outgate apply` installed, if any
            version        text,
            shipped_id     bigint NOT NULL DEFAULT 0,  -- the cursor: highest event id stored below, per host
            events_shipped bigint NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS events (
            host_id   uuid        NOT NULL,
            event_id  bigint      NOT NULL,
            time      timestamptz NOT NULL,
            type      text        NOT NULL,
            severity  text        NOT NULL,
            message   text,
            pid       integer,
            exe       text,
            uid       bigint,
            "user"    text,
            unit      text,
            container text,
            proto     text,
            src       text,
            src_port  integer,
            dst       text,
            dst_port  integer,
            domain    text,
            verdict   text,
            rule      text,
            bytes_out bigint,
            bytes_in  bigint,
            tags      text,
            details   text,
            PRIMARY KEY (host_id, event_id, time)
        ) PARTITION BY RANGE (time);
        CREATE INDEX IF NOT EXISTS events_time ON events (time);
        CREATE INDEX IF NOT EXISTS events_dst_time ON events (dst, time) WHERE dst IS NOT NULL;
        CREATE INDEX IF NOT EXISTS events_exe_time ON events (exe, time) WHERE exe IS NOT NULL;
        -- Reversed so "example.com and its subdomains" is one index range (see FleetQueries.Search).
        CREATE INDEX IF NOT EXISTS events_rdomain_time ON events ((reverse(domain)) COLLATE "C", time) WHERE domain IS NOT NULL;
        CREATE INDEX IF NOT EXISTS events_alert_time ON events (time) WHERE type = 'alert';
        """,
        // 2: cheaper inserts (ingest was bound by index maintenance: six index inserts per row, text B-tree compares).
        // Events arrive in (nearly) time order, so a BRIN range index answers "since T" as well as the B-tree did at a
        // fraction of the cost. The search indexes lose their time column: every search aggregates all matching rows of
        // its window anyway (count, first, last), day partitions already bound the window, and without the time column
        // equal keys (the same program, address or domain, over and over) share one index entry (B-tree deduplication).
        """
        DROP INDEX IF EXISTS events_time, events_dst_time, events_exe_time, events_rdomain_time;
        CREATE INDEX IF NOT EXISTS events_time_brin ON events USING brin (time);
        CREATE INDEX IF NOT EXISTS events_dst ON events (dst) WHERE dst IS NOT NULL;
        CREATE INDEX IF NOT EXISTS events_exe ON events (exe) WHERE exe IS NOT NULL;
        CREATE INDEX IF NOT EXISTS events_rdomain ON events ((reverse(domain)) COLLATE "C") WHERE domain IS NOT NULL;
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the database to <see cref="CurrentVersion"/>; refuses a newer one.</summary>
    /// <exception cref="FleetDatabaseException">The database schema is newer than this outgated.</exception>
    public static async Task MigrateAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Exec(connection, tx, $"SELECT pg_advisory_xact_lock({LockKey})", ct);
        await Exec(connection, tx, "CREATE TABLE IF NOT EXISTS outgate_schema (version integer NOT NULL)", ct);
        int version;
        await using (var cmd = new NpgsqlCommand("SELECT COALESCE(max(version), 0) FROM outgate_schema", connection, tx))
            version = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
            throw new FleetDatabaseException($"the fleet database has schema version {version}, newer than this outgated understands ({CurrentVersion}): upgrade outgated on this host");
        for (var v = version; v < CurrentVersion; v++)
        {
            await Exec(connection, tx, Migrations[v], ct);
            await Exec(connection, tx, $"DELETE FROM outgate_schema; INSERT INTO outgate_schema VALUES ({v + 1})", ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Creates the day partitions <paramref name="days"/> (if missing) in one transaction under the advisory lock.</summary>
    public static async Task EnsurePartitionsAsync(NpgsqlConnection connection, IEnumerable<PartitionDay> days, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Two hosts creating the same partition at once would otherwise race on pg_type ("already exists").
        await Exec(connection, tx, $"SELECT pg_advisory_xact_lock({LockKey})", ct);
        foreach (var day in days) await Exec(connection, tx, day.CreateSql, ct);
        await tx.CommitAsync(ct);
    }

    private static async Task Exec(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
