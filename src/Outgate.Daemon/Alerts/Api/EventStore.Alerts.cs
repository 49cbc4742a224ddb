using System.Globalization;
using Outgate.Daemon.Alerts.Api;

namespace Outgate.Daemon.Events;

// Kept with the alerts API (like EventStore.Proposals.cs with proposals): alert_acks is created by migration 3; only this
// part of the store reads or writes it.
public sealed partial class EventStore
{
    /// <summary>Alerts newest first with their acknowledgement, filtered as <paramref name="query"/> says.</summary>
    public IReadOnlyList<AlertEntry> QueryAlerts(AlertQuery query)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        var where = new List<string> { "e.type = 'alert'" };
        if (query.After is { } after) { where.Add("e.id > $after"); cmd.Parameters.AddWithValue("$after", after); }
        if (query.Since is { } since) { where.Add("e.time >= $since"); cmd.Parameters.AddWithValue("$since", ToMicroseconds(since)); }
        if (query.UnackedOnly) where.Add("a.event_id IS NULL");
        cmd.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, AlertQuery.MaxLimit));
        var columns = string.Join(", ", Columns.Split(", ").Select(c => "e." + c));
        cmd.CommandText = $"SELECT {columns}, a.time, a.by FROM events e LEFT JOIN alert_acks a ON a.event_id = e.id WHERE {string.Join(" AND ", where)} ORDER BY e.id DESC LIMIT $limit";
        using var reader = cmd.ExecuteReader();
        var alerts = new List<AlertEntry>();
        var ackColumn = reader.FieldCount - 2;
        while (reader.Read())
        {
            var ack = reader.IsDBNull(ackColumn) ? null
                : new AlertAck(FromMicroseconds(reader.GetInt64(ackColumn)), reader.IsDBNull(ackColumn + 1) ? null : reader.GetString(ackColumn + 1));
            alerts.Add(new AlertEntry(ReadEvent(reader), ack));
        }
        return alerts;
    }

    /// <summary>
    /// Acknowledges alert <paramref name="id"/>. Returns null when no alert has that id (never was, pruned, or not an
    /// alert), otherwise the acknowledgement and whether this call made it (false: it was already acknowledged, the
    /// earlier acknowledgement is kept and returned).
    /// </summary>
    public (AlertAck Ack, bool New)? AcknowledgeAlert(long id, DateTimeOffset time, string by)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$time", ToMicroseconds(time));
        cmd.Parameters.AddWithValue("$by", by);
        cmd.CommandText = "INSERT OR IGNORE INTO alert_acks (event_id, time, by) SELECT id, $time, $by FROM events WHERE id = $id AND type = 'alert'";
        var inserted = cmd.ExecuteNonQuery() == 1;
        cmd.CommandText = "SELECT a.time, a.by FROM alert_acks a JOIN events e ON e.id = a.event_id WHERE a.event_id = $id";
        using var reader = cmd.ExecuteReader();
        (AlertAck, bool)? result = reader.Read() ? (new AlertAck(FromMicroseconds(reader.GetInt64(0)), reader.IsDBNull(1) ? null : reader.GetString(1)), inserted) : null;
        reader.Close();
        tx.Commit();
        return result;
    }

    /// <summary>Acknowledges every unacknowledged alert with id up to <paramref name="upTo"/>; returns how many.</summary>
    public int AcknowledgeAllAlerts(long upTo, DateTimeOffset time, string by)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.Parameters.AddWithValue("$upTo", upTo);
        cmd.Parameters.AddWithValue("$time", ToMicroseconds(time));
        cmd.Parameters.AddWithValue("$by", by);
        cmd.CommandText = "INSERT OR IGNORE INTO alert_acks (event_id, time, by) SELECT id, $time, $by FROM events WHERE type = 'alert' AND id <= $upTo";
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Deletes acknowledgements whose alert was pruned; returns how many.</summary>
    public long PruneAlertAcks()
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM alert_acks WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.id = alert_acks.event_id)";
        return cmd.ExecuteNonQuery();
    }

    /// <summary>How many alerts are not acknowledged (for status and the dashboard badge).</summary>
    public long CountUnacknowledgedAlerts()
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM events e LEFT JOIN alert_acks a ON a.event_id = e.id WHERE e.type = 'alert' AND a.event_id IS NULL";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
