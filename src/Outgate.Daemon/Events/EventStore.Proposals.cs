namespace Outgate.Daemon.Events;

public sealed partial class EventStore
{
    /// <summary>
    /// Every event of <paramref name="type"/> at or after <paramref name="since"/>, oldest first, streamed from one
    /// reader (not materialised): proposals and simulations walk millions of rows. At most <paramref name="max"/> rows.
    /// The connection stays open until the enumeration ends or is disposed.
    /// </summary>
    public IEnumerable<DaemonEvent> ReadSince(DateTimeOffset since, EventType type, long max = long.MaxValue)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM events WHERE time >= $since AND type = $type ORDER BY id LIMIT $max";
        cmd.Parameters.AddWithValue("$since", ToMicroseconds(since));
        cmd.Parameters.AddWithValue("$type", type.ToName());
        cmd.Parameters.AddWithValue("$max", max);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) yield return ReadEvent(reader);
    }
}
