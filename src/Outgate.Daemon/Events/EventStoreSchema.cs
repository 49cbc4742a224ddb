using Microsoft.Data.Sqlite;

namespace Outgate.Daemon.Events;

/// <summary>
/// The events.db schema, versioned with <c>PRAGMA user_version</c>. To change it, append a
/// migration (never edit a shipped one): <see cref="Migrate"/> runs those above the file's version,
/// each in its own transaction together with the version bump.
/// </summary>
public static class EventStoreSchema
{
    /// <summary>Migration N (1-based) brings the schema from version N-1 to N.</summary>
    internal static readonly string[] Migrations =
    [
        """
        CREATE TABLE events (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            time      INTEGER NOT NULL,  -- microseconds since the Unix epoch, UTC
            type      TEXT    NOT NULL,
            severity  TEXT    NOT NULL,
            message   TEXT,
            pid       INTEGER,
            exe       TEXT,
            uid       INTEGER,
            user      TEXT,
            unit      TEXT,
            container TEXT,
            proto     TEXT,
            src       TEXT,
            src_port  INTEGER,
            dst       TEXT,
            dst_port  INTEGER,
            domain    TEXT,
            verdict   TEXT,
            rule      TEXT,
            bytes_out INTEGER,
            bytes_in  INTEGER
        );
        CREATE INDEX events_time ON events (time);
        """,
        // 2: labels about the connection ("no-dns", "dot", "doh"), comma-separated.
        """
        ALTER TABLE events ADD COLUMN tags TEXT;
        """,
        // 3: an alert's evidence ("key=value; ..."), and which alerts an admin acknowledged.
        """
        ALTER TABLE events ADD COLUMN details TEXT;
        CREATE TABLE alert_acks (
            event_id INTEGER PRIMARY KEY,
            time     INTEGER NOT NULL,  -- microseconds since the Unix epoch, UTC
            by       TEXT
        );
        """,
        // 4: executables that connected out (new-app / hash-changed detectors), remembered across restarts.
        """
        CREATE TABLE known_apps (
            path       TEXT PRIMARY KEY,
            sha256     TEXT,
            first_seen INTEGER NOT NULL,  -- microseconds since the Unix epoch, UTC
            last_seen  INTEGER NOT NULL
        );
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the database to <see cref="CurrentVersion"/>; refuses a newer file.</summary>
    /// <exception cref="EventStoreException">The file is from a newer outgated.</exception>
    public static void Migrate(SqliteConnection connection, string path)
    {
        var version = ReadVersion(connection);
        if (version > CurrentVersion)
            throw new EventStoreException($"{path} has schema version {version}, newer than this outgated understands ({CurrentVersion}): upgrade outgated, or move the file away to start a new event log");
        for (var v = version; v < CurrentVersion; v++)
        {
            using var tx = connection.BeginTransaction();
            using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = Migrations[v] + $"\nPRAGMA user_version = {v + 1};";
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    public static int ReadVersion(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
