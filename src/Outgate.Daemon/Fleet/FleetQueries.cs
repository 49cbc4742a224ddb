using Npgsql;
using NpgsqlTypes;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// The read side of the fleet database: hosts, search, top, alerts. Each query is bounded by a time window (partition
/// pruning) and a row limit, and uses the indexes <see cref="FleetSchema"/> creates.
/// </summary>
public sealed class FleetQueries(NpgsqlDataSource dataSource)
{
    public const int MaxRows = 10_000;

    public async Task<IReadOnlyList<FleetHost>> HostsAsync(string? expectedDigest, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT host_id, name, last_heartbeat, extract(epoch FROM now() - last_heartbeat)::float8, mode, policy_digest,
                   applied_digest, version, events_shipped, shipped_id
            FROM hosts ORDER BY name, host_id
            """);
        var rows = new List<(Guid, string, DateTimeOffset?, double?, string?, string?, string?, string?, long, long)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
                rows.Add((r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : new DateTimeOffset(r.GetDateTime(2), TimeSpan.Zero),
                    r.IsDBNull(3) ? null : Math.Round(r.GetDouble(3), 1), Str(r, 4), Str(r, 5), Str(r, 6), Str(r, 7), r.GetInt64(8), r.GetInt64(9)));
        }
        var expected = FleetDrift.Expected(rows.Select(x => x.Item6), expectedDigest);
        return [.. rows.Select(x => new FleetHost(x.Item1, x.Item2, x.Item3, x.Item4, x.Item5, x.Item6, x.Item7, x.Item8, x.Item9, x.Item10,
            FleetDrift.Drifted(x.Item6, expected)))];
    }

    /// <summary>Which hosts' programs talked to <paramref name="search"/> since <paramref name="since"/>, most connections first.</summary>
    public async Task<IReadOnlyList<FleetSearchRow>> SearchAsync(FleetSearch search, DateTimeOffset since, int limit, CancellationToken ct)
    {
        var filter = search.Field switch
        {
            // Index range on reverse(domain) (example.com and *.example.com, plus siblings like x-example.com that the
            // second condition removes): 'moc.elpmaxe' <= r < 'moc.elpmaxe/' ('/' follows '.').
            FleetSearchField.Domain => """
                e.domain IS NOT NULL AND reverse(e.domain) COLLATE "C" >= $2 AND reverse(e.domain) COLLATE "C" < $3
                AND (e.domain = $4 OR e.domain LIKE $5)
                """,
            FleetSearchField.Dst => "e.dst IS NOT NULL AND e.dst = $4",
            _ => "e.exe IS NOT NULL AND e.exe = $4",
        };
        await using var cmd = dataSource.CreateCommand($"""
            SELECT h.name, e.host_id, e.exe, e.dst, e.domain, count(*), min(e.time), max(e.time)
            FROM events e JOIN hosts h ON h.host_id = e.host_id
            WHERE e.time >= $1 AND e.type = 'decision' AND {filter}
            GROUP BY h.name, e.host_id, e.exe, e.dst, e.domain
            ORDER BY count(*) DESC, h.name, e.exe, e.dst
            LIMIT $6
            """);
        var reversed = FleetSearch.Reverse(search.Value);
        cmd.Parameters.Add(new NpgsqlParameter { Value = since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = reversed, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = reversed + "/", NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = search.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = "%." + FleetSearch.LikeLiteral(search.Value), NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit, 1, MaxRows) });
        var rows = new List<FleetSearchRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new FleetSearchRow(r.GetString(0), r.GetGuid(1), Str(r, 2), Str(r, 3), Str(r, 4), r.GetInt64(5), Utc(r, 6), Utc(r, 7)));
        return rows;
    }

    /// <summary>The most frequent programs and destinations (domain, else address) across hosts since <paramref name="since"/>.</summary>
    public async Task<(IReadOnlyList<FleetTopRow> Apps, IReadOnlyList<FleetTopRow> Destinations)> TopAsync(DateTimeOffset since, int limit, CancellationToken ct)
    {
        var apps = await TopOfAsync("e.exe", since, limit, ct);
        var destinations = await TopOfAsync("COALESCE(e.domain, e.dst)", since, limit, ct);
        return (apps, destinations);
    }

    private async Task<IReadOnlyList<FleetTopRow>> TopOfAsync(string expression, DateTimeOffset since, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT {expression} AS v, count(*), count(DISTINCT e.host_id)
            FROM events e
            WHERE e.time >= $1 AND e.type = 'decision' AND {expression} IS NOT NULL
            GROUP BY v ORDER BY count(*) DESC, v LIMIT $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit, 1, MaxRows) });
        var rows = new List<FleetTopRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) rows.Add(new FleetTopRow(r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        return rows;
    }

    /// <summary>Alerts from every host since <paramref name="since"/>, newest first.</summary>
    public async Task<IReadOnlyList<FleetAlert>> AlertsAsync(DateTimeOffset since, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT h.name, e.host_id, e.event_id, e.time, e.severity, e.rule, e.message, e.exe, e.dst, e.domain, e.details
            FROM events e JOIN hosts h ON h.host_id = e.host_id
            WHERE e.type = 'alert' AND e.time >= $1
            ORDER BY e.time DESC, h.name, e.event_id DESC
            LIMIT $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit, 1, MaxRows) });
        var rows = new List<FleetAlert>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new FleetAlert(r.GetString(0), r.GetGuid(1), r.GetInt64(2), Utc(r, 3), r.GetString(4), Str(r, 5), Str(r, 6), Str(r, 7), Str(r, 8), Str(r, 9), Str(r, 10)));
        return rows;
    }

    private static string? Str(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset Utc(NpgsqlDataReader r, int i) => new(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc));
}
