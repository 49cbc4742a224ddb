using Outgate.Daemon.Events;

namespace Outgate.Daemon.Simulation;

/// <summary>
/// Reads the recorded connections of events.db folded into <see cref="RecordedConnection"/> groups. The rows are
/// streamed in one pass and folded in a dictionary: a SQL <c>GROUP BY</c> over nine text columns sorted a million rows
/// through a temporary B-tree and took 15-30 s where this takes a few. Memory grows with the distinct connections,
/// not with the events; repeated strings (paths, users, addresses) are shared.
/// </summary>
public static class RecordedConnectionReader
{
    // Only events that name a destination can be judged; mode changes, health and daemon events have none.
    // Flagged connections (alerts; tags no-dns, dot, doh) are suspicious like alerts: `policy propose`
    // leaves them for review, so a candidate refusing them breaks nothing; allowing them is reported.
    private const string Sql = """
        SELECT exe, uid, user, unit, container, proto, dst, dst_port, domain,
               type = 'alert' OR (tags IS NOT NULL AND (tags LIKE '%no-dns%' OR tags LIKE '%dot%' OR tags LIKE '%doh%')),
               verdict = 'allow', time
        FROM events
        WHERE time >= $since AND type IN ('decision', 'alert') AND dst IS NOT NULL
        """;

    /// <summary>Every group of decision and alert events at or after <paramref name="since"/> (null: everything recorded).</summary>
    public static IReadOnlyCollection<RecordedConnection> Read(EventStore store, DateTimeOffset? since, CancellationToken ct = default)
    {
        var groups = new Dictionary<Key, Tally>();
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var connection = store.Open())
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = Sql;
            cmd.Parameters.AddWithValue("$since", since is { } s ? EventStore.ToMicroseconds(s) : long.MinValue);
            using var r = cmd.ExecuteReader();
            var rows = 0;
            while (r.Read())
            {
                if ((++rows & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
                var key = new Key(
                    Text(r, 0, strings), r.IsDBNull(1) ? null : (uint)r.GetInt64(1), Text(r, 2, strings), Text(r, 3, strings), Text(r, 4, strings),
                    Text(r, 5, strings), Text(r, 6, strings), r.IsDBNull(7) ? null : r.GetInt32(7), Text(r, 8, strings), r.GetInt64(9) != 0);
                var allowed = !r.IsDBNull(10) && r.GetInt64(10) != 0;
                var time = r.GetInt64(11);
                if (groups.TryGetValue(key, out var tally))
                {
                    tally.Count++;
                    if (allowed) tally.Allowed++;
                    if (time < tally.First) tally.First = time;
                    if (time > tally.Last) tally.Last = time;
                }
                else
                {
                    groups[key] = new Tally { Count = 1, Allowed = allowed ? 1 : 0, First = time, Last = time };
                }
            }
        }
        var result = new List<RecordedConnection>(groups.Count);
        foreach (var (k, t) in groups)
        {
            result.Add(new RecordedConnection(k.Exe, k.Uid, k.User, k.Unit, k.Container, k.Proto, k.Dst, k.DstPort, k.Domain, k.Alert,
                t.Count, t.Allowed, EventStore.FromMicroseconds(t.First), EventStore.FromMicroseconds(t.Last)));
        }
        return result;
    }

    private static string? Text(Microsoft.Data.Sqlite.SqliteDataReader r, int ordinal, Dictionary<string, string> strings)
    {
        if (r.IsDBNull(ordinal)) return null;
        var s = r.GetString(ordinal);
        if (strings.TryGetValue(s, out var shared)) return shared;
        // Bounded: a store full of unique strings must not double its memory here.
        if (strings.Count < 1_000_000) strings[s] = s;
        return s;
    }

    private readonly record struct Key(
        string? Exe, uint? Uid, string? User, string? Unit, string? Container, string? Proto, string? Dst, int? DstPort, string? Domain, bool Alert);

    private sealed class Tally
    {
        public long Count;
        public long Allowed;
        public long First;
        public long Last;
    }
}
