using System.Globalization;
using Microsoft.Data.Sqlite;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Events;

/// <summary>
/// events.db under the state directory: SQLite in WAL mode with synchronous=NORMAL (a power loss
/// may lose the last commits, never corrupt the file). One writer (<see cref="EventBatchInserter"/>),
/// any number of readers on their own pooled connections.
/// </summary>
public sealed partial class EventStore
{
    private readonly string _connectionString;

    public EventStore(DaemonOptions options)
    {
        Path = options.EventDatabasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Creates the directory and file if needed, switches to WAL and migrates the schema.</summary>
    /// <exception cref="EventStoreException">The file cannot be opened or is from a newer version.</exception>
    public void Initialize()
    {
        try
        {
            var dir = System.IO.Path.GetDirectoryName(Path)!;
            if (!Directory.Exists(dir))
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            using var connection = Open();
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "PRAGMA journal_mode = WAL";
                var mode = cmd.ExecuteScalar() as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                    throw new EventStoreException($"{Path}: SQLite refused WAL mode (got '{mode}'); is the state directory on a network file system?");
            }
            EventStoreSchema.Migrate(connection, Path);
        }
        catch (SqliteException ex)
        {
            throw new EventStoreException($"cannot open the event store {Path}: {ex.Message} (SQLite error {ex.SqliteErrorCode}); check --state-dir and its permissions", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EventStoreException($"cannot create the event store {Path}: {ex.Message}; check --state-dir and its permissions", ex);
        }
    }

    /// <summary>
    /// Page cache of a reading connection, in KiB. Pooled connections keep their cache while idle, and the API, the
    /// dashboard, the alert forwarder and the fleet shipper each hold one: SQLite's default of 2 MiB apiece was a
    /// visible part of the daemon's resident memory. The writer keeps the default (<see cref="WriterCacheKib"/>).
    /// </summary>
    public const int ReaderCacheKib = 1024;

    /// <summary>The writer's page cache (SQLite's default), for the index pages every insert touches.</summary>
    public const int WriterCacheKib = 2000;

    /// <summary>A new open connection with the per-connection pragmas set.</summary>
    public SqliteConnection Open() => Open(ReaderCacheKib);

    private SqliteConnection Open(int cacheKib)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -{cacheKib};";
        cmd.ExecuteNonQuery();
        return connection;
    }

    public EventBatchInserter CreateInserter() => new(Open(WriterCacheKib));

    public IReadOnlyList<DaemonEvent> Query(EventQuery query)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        var where = new List<string>();
        if (query.Since is { } since) { where.Add("time >= $since"); cmd.Parameters.AddWithValue("$since", ToMicroseconds(since)); }
        if (query.After is { } after) { where.Add("id > $after"); cmd.Parameters.AddWithValue("$after", after); }
        if (query.Type is { } type) { where.Add("type = $type"); cmd.Parameters.AddWithValue("$type", type.ToName()); }
        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        var limit = Math.Clamp(query.Limit, 1, EventQuery.MaxLimit);
        cmd.Parameters.AddWithValue("$limit", limit);
        // Without a starting point, "the newest N" like tail; with one, "the next N" for paging.
        cmd.CommandText = query.Since is null && query.After is null
            ? $"SELECT * FROM (SELECT {Columns} FROM events {filter} ORDER BY id DESC LIMIT $limit) ORDER BY id"
            : $"SELECT {Columns} FROM events {filter} ORDER BY id LIMIT $limit";
        using var reader = cmd.ExecuteReader();
        var events = new List<DaemonEvent>();
        while (reader.Read()) events.Add(ReadEvent(reader));
        return events;
    }

    /// <summary>The largest id ever assigned (0 for an empty store): the cursor for "from now on".</summary>
    public long LastId()
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        // sqlite_sequence keeps the AUTOINCREMENT high-water mark even after pruning everything.
        cmd.CommandText = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public long Count()
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM events";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Deletes events beyond <paramref name="maxRows"/> (oldest first) and older than <paramref name="maxAge"/>, except
    /// those with an id above <paramref name="keepAfterId"/> (held for the fleet shipper), which go only when the store
    /// has more than <paramref name="hardCapRows"/> rows (0 = no cap); returns how many.
    /// </summary>
    public long Prune(long maxRows, TimeSpan maxAge, DateTimeOffset now, long keepAfterId = long.MaxValue, long hardCapRows = 0)
    {
        using var connection = Open();
        long deleted = 0;
        if (maxAge > TimeSpan.Zero)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "DELETE FROM events WHERE time < $cutoff AND id <= $hold";
            cmd.Parameters.AddWithValue("$cutoff", ToMicroseconds(now - maxAge));
            cmd.Parameters.AddWithValue("$hold", keepAfterId);
            deleted += cmd.ExecuteNonQuery();
        }
        if (maxRows > 0)
        {
            using var cmd = connection.CreateCommand();
            // ids only grow, so "all but the newest N" is "id <= the (N+1)-th newest id".
            cmd.CommandText = "DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET $keep) AND id <= $hold";
            cmd.Parameters.AddWithValue("$keep", maxRows);
            cmd.Parameters.AddWithValue("$hold", keepAfterId);
            deleted += cmd.ExecuteNonQuery();
        }
        if (hardCapRows > 0 && keepAfterId != long.MaxValue)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET $keep)";
            cmd.Parameters.AddWithValue("$keep", hardCapRows);
            deleted += cmd.ExecuteNonQuery();
        }
        return deleted;
    }

    private const string Columns = "id, time, type, severity, message, pid, exe, uid, user, unit, container, proto, src, src_port, dst, dst_port, domain, verdict, rule, bytes_out, bytes_in, tags, details";

    private static DaemonEvent ReadEvent(SqliteDataReader r)
    {
        EventNames.TryParseType(r.GetString(2), out var type);
        EventNames.TryParseSeverity(r.GetString(3), out var severity);
        return new DaemonEvent
        {
            Id = r.GetInt64(0),
            Time = FromMicroseconds(r.GetInt64(1)),
            Type = type,
            Severity = severity,
            Message = r.IsDBNull(4) ? null : r.GetString(4),
            Pid = r.IsDBNull(5) ? null : r.GetInt32(5),
            Exe = r.IsDBNull(6) ? null : r.GetString(6),
            Uid = r.IsDBNull(7) ? null : (uint)r.GetInt64(7),
            User = r.IsDBNull(8) ? null : r.GetString(8),
            Unit = r.IsDBNull(9) ? null : r.GetString(9),
            Container = r.IsDBNull(10) ? null : r.GetString(10),
            Proto = r.IsDBNull(11) ? null : r.GetString(11),
            Src = r.IsDBNull(12) ? null : r.GetString(12),
            SrcPort = r.IsDBNull(13) ? null : r.GetInt32(13),
            Dst = r.IsDBNull(14) ? null : r.GetString(14),
            DstPort = r.IsDBNull(15) ? null : r.GetInt32(15),
            Domain = r.IsDBNull(16) ? null : r.GetString(16),
            Verdict = r.IsDBNull(17) ? null : r.GetString(17),
            Rule = r.IsDBNull(18) ? null : r.GetString(18),
            BytesOut = r.IsDBNull(19) ? null : r.GetInt64(19),
            BytesIn = r.IsDBNull(20) ? null : r.GetInt64(20),
            Tags = r.IsDBNull(21) ? null : r.GetString(21),
            Details = r.IsDBNull(22) ? null : r.GetString(22),
        };
    }

    internal static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    internal static DateTimeOffset FromMicroseconds(long us) => DateTimeOffset.UnixEpoch.AddTicks(us * 10);
}
