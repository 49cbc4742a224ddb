using Microsoft.Data.Sqlite;
using Npgsql;

namespace Outgate.EndToEnd.Tests.Fleet;

/// <summary>Reads what the tests compare: event ids per host in the fleet database and in a daemon's events.db.</summary>
internal static class FleetDatabaseCheck
{
    /// <summary>(rows, distinct ids, the ids) stored for <paramref name="hostId"/>.</summary>
    public static async Task<(long Rows, long Distinct, SortedSet<long> Ids)> FleetIdsAsync(string connectionString, Guid hostId)
    {
        await using var conn = new NpgsqlConnection(Unpooled(connectionString));
        await conn.OpenAsync();
        long rows, distinct;
        await using (var cmd = new NpgsqlCommand("SELECT count(*), count(DISTINCT event_id) FROM events WHERE host_id = $1", conn))
        {
            cmd.Parameters.AddWithValue(hostId);
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            (rows, distinct) = (r.GetInt64(0), r.GetInt64(1));
        }
        var ids = new SortedSet<long>();
        await using (var cmd = new NpgsqlCommand("SELECT event_id FROM events WHERE host_id = $1", conn))
        {
            cmd.Parameters.AddWithValue(hostId);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) ids.Add(r.GetInt64(0));
        }
        return (rows, distinct, ids);
    }

    /// <summary>The ids in a daemon's events.db up to <paramref name="upTo"/> (read-only; the daemon may still write).</summary>
    public static SortedSet<long> LocalIds(string eventDatabase, long upTo)
    {
        using var conn = new SqliteConnection($"Data Source={eventDatabase};Mode=ReadOnly;Pooling=false");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT id FROM events WHERE id <= $upTo";
        cmd.Parameters.AddWithValue("$upTo", upTo);
        using var r = cmd.ExecuteReader();
        var ids = new SortedSet<long>();
        while (r.Read()) ids.Add(r.GetInt64(0));
        return ids;
    }

    /// <summary>No pooling: the tests kill the server, and a pooled connection from before would be dead.</summary>
    private static string Unpooled(string connectionString) => connectionString + ";Pooling=false";

    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(Unpooled(connectionString));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
