using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Outgate.Daemon.Events;

namespace Outgate.Daemon.Web;

/// <summary>
/// The traffic page's aggregates, computed in SQLite over events.db (index on time): connections come
/// from decision events, bytes from flow-end events (conntrack accounting when the flow closed), blocked
/// attempts are decisions with verdict deny or reject. Every query reads one time window, at most a day.
/// </summary>
public sealed class DashboardStats(EventStore store, TimeProvider time)
{
    public const int MaxMinutes = 24 * 60;
    private const string Unknown = "(unknown program)";

    public TrafficResponse Traffic(int minutes, int maxApps = 8)
    {
        var now = time.GetUtcNow();
        var start = now.AddMinutes(-minutes);
        var bucketSeconds = Math.Max(60, minutes); // at most 60 buckets: a point per minute for the last hour
        var startMicros = start.ToUnixTimeMilliseconds() * 1000;
        var rows = new List<(string App, long Bucket, long Out, long In, long Connections)>();
        using (var connection = store.Open())
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"""
                SELECT coalesce(exe, '{Unknown}'), (time - $start) / $bucket,
                       sum(coalesce(bytes_out, 0)), sum(coalesce(bytes_in, 0)), sum(type = 'decision')
                FROM events WHERE time >= $start AND type IN ('decision', 'flow-end')
                GROUP BY 1, 2
                """;
            cmd.Parameters.AddWithValue("$start", startMicros);
            cmd.Parameters.AddWithValue("$bucket", bucketSeconds * 1_000_000L);
            using var r = cmd.ExecuteReader();
            while (r.Read()) rows.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));
        }
        var buckets = (int)Math.Ceiling(minutes * 60.0 / bucketSeconds);
        var apps = rows.GroupBy(x => x.App)
            .Select(g => new { App = g.Key, Out = g.Sum(x => x.Out), In = g.Sum(x => x.In), Connections = g.Sum(x => x.Connections), Rows = g.ToDictionary(x => x.Bucket) })
            .OrderByDescending(a => a.Out + a.In).ThenByDescending(a => a.Connections).ThenBy(a => a.App, StringComparer.Ordinal)
            .Take(maxApps)
            .Select(a => new AppTrafficSeries(a.App, a.Out, a.In, a.Connections, Enumerable.Range(0, buckets).Select(b =>
            {
                a.Rows.TryGetValue(b, out var x);
                return new TrafficPoint(start.AddSeconds((double)b * bucketSeconds), x.Out, x.In, x.Connections);
            }).ToList()))
            .ToList();
        return new TrafficResponse(minutes, bucketSeconds, start, apps);
    }

    public TopResponse Top(int minutes, int limit)
    {
        var talkers = new List<TopTalker>();
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT coalesce(exe, '{Unknown}'), max(user), sum(coalesce(bytes_out, 0)), sum(coalesce(bytes_in, 0)),
                   sum(type = 'decision'), sum(type = 'decision' AND verdict IN ('deny', 'reject')), count(DISTINCT dst)
            FROM events WHERE time >= $start AND type IN ('decision', 'flow-end')
            GROUP BY 1 ORDER BY 3 + 4 DESC, 5 DESC LIMIT $limit
            """;
        AddWindow(cmd, minutes);
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        while (r.Read())
            talkers.Add(new TopTalker(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)));
        return new TopResponse(minutes, talkers);
    }

    public BlockedResponse Blocked(int minutes, int limit)
    {
        var attempts = new List<BlockedAttempt>();
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT coalesce(exe, '{Unknown}'), coalesce(dst, '?'), dst_port, proto, max(domain), verdict, max(rule), count(*), max(time)
            FROM events WHERE time >= $start AND type = 'decision' AND verdict IN ('deny', 'reject')
            GROUP BY 1, 2, 3, 4, 6 ORDER BY 8 DESC, 9 DESC LIMIT $limit
            """;
        AddWindow(cmd, minutes);
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        while (r.Read())
            attempts.Add(new BlockedAttempt(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetInt64(7), FromMicros(r.GetInt64(8))));
        return new BlockedResponse(minutes, attempts);
    }

    public DestinationsResponse Destinations(int minutes, int limit)
    {
        var rows = new List<(string? Domain, string Dst, string App, long Connections, long Blocked, long Out, long In)>();
        using (var connection = store.Open())
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"""
                SELECT max(domain), dst, coalesce(exe, '{Unknown}'), sum(type = 'decision'), sum(type = 'decision' AND verdict IN ('deny', 'reject')),
                       sum(coalesce(bytes_out, 0)), sum(coalesce(bytes_in, 0))
                FROM events WHERE time >= $start AND type IN ('decision', 'flow-end') AND dst IS NOT NULL
                GROUP BY 2, 3 LIMIT 50000
                """;
            AddWindow(cmd, minutes);
            using var r = cmd.ExecuteReader();
            while (r.Read())
                rows.Add((r.IsDBNull(0) ? null : r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)));
        }
        // An address keeps the name any of its rows had (flow-end rows may lack it).
        var names = rows.Where(x => x.Domain is not null).GroupBy(x => x.Dst).ToDictionary(g => g.Key, g => g.First().Domain!);
        var groups = rows
            .GroupBy(x => names.TryGetValue(x.Dst, out var d) ? ("domain", DomainGroup(d)) : ("network", NetworkOf(x.Dst)))
            .Select(g => new DestinationGroup(g.Key.Item2, g.Key.Item1, g.Sum(x => x.Connections), g.Sum(x => x.Blocked), g.Sum(x => x.Out), g.Sum(x => x.In),
                g.Select(x => x.App).Distinct().Order(StringComparer.Ordinal).Take(20).ToList(),
                g.Select(x => x.Dst).Distinct().Order(StringComparer.Ordinal).Take(20).ToList()))
            .OrderByDescending(g => g.Connections).ThenByDescending(g => g.BytesOut + g.BytesIn).ThenBy(g => g.Name, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return new DestinationsResponse(minutes, groups);
    }

    /// <summary>The last two labels (api.github.com → github.com); a public-suffix list would be exact, this is good enough to group.</summary>
    internal static string DomainGroup(string domain)
    {
        var labels = domain.TrimEnd('.').Split('.');
        return labels.Length <= 2 ? domain.TrimEnd('.') : string.Join('.', labels[^2..]);
    }

    /// <summary>10.1.2.3 → 10.1.2.0/24; IPv6 → its /48.</summary>
    internal static string NetworkOf(string address)
    {
        if (!IPAddress.TryParse(address, out var ip)) return address;
        var bytes = ip.GetAddressBytes();
        var prefix = bytes.Length == 4 ? 24 : 48;
        for (var i = prefix / 8; i < bytes.Length; i++) bytes[i] = 0;
        return $"{new IPAddress(bytes)}/{prefix.ToString(CultureInfo.InvariantCulture)}";
    }

    private void AddWindow(SqliteCommand cmd, int minutes) =>
        cmd.Parameters.AddWithValue("$start", time.GetUtcNow().AddMinutes(-minutes).ToUnixTimeMilliseconds() * 1000);

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000);
}
