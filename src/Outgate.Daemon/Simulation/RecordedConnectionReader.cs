using Outgate.Daemon.Events;

namespace Outgate.Daemon.Simulation;

/// <summary>
/// Reads the recorded connections of events.db grouped in SQL (one row per <see cref="RecordedConnection"/>), so a
/// simulation over a million events judges only the distinct connections and never holds the events in memory.
/// </summary>
public static class RecordedConnectionReader
{
    // Only events that name a destination can be judged; mode changes, health and daemon events have none.
    private const string Sql = """
        SELECT exe, uid, user, unit, container, proto, dst, dst_port, domain, type = 'alert',
               count(*), sum(verdict = 'allow'), min(time), max(time)
        FROM events
        WHERE time >= $since AND type IN ('decision', 'alert') AND dst IS NOT NULL
        GROUP BY exe, uid, user, unit, container, proto, dst, dst_port, domain, type
        """;

    /// <summary>Every group of decision and alert events at or after <paramref name="since"/> (null: everything recorded).</summary>
    public static IEnumerable<RecordedConnection> Read(EventStore store, DateTimeOffset? since, CancellationToken ct = default)
    {
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.Parameters.AddWithValue("$since", since is { } s ? EventStore.ToMicroseconds(s) : long.MinValue);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            yield return new RecordedConnection(
                Exe: r.IsDBNull(0) ? null : r.GetString(0),
                Uid: r.IsDBNull(1) ? null : (uint)r.GetInt64(1),
                User: r.IsDBNull(2) ? null : r.GetString(2),
                Unit: r.IsDBNull(3) ? null : r.GetString(3),
                Container: r.IsDBNull(4) ? null : r.GetString(4),
                Proto: r.IsDBNull(5) ? null : r.GetString(5),
                Dst: r.GetString(6),
                DstPort: r.IsDBNull(7) ? null : r.GetInt32(7),
                Domain: r.IsDBNull(8) ? null : r.GetString(8),
                Alert: r.GetInt64(9) != 0,
                Count: r.GetInt64(10),
                Allowed: r.IsDBNull(11) ? 0 : r.GetInt64(11),
                FirstSeen: EventStore.FromMicroseconds(r.GetInt64(12)),
                LastSeen: EventStore.FromMicroseconds(r.GetInt64(13)));
        }
    }
}
