using Microsoft.Data.Sqlite;

namespace Outgate.Daemon.Events;

/// <summary>
/// The writer's own connection and one prepared INSERT, reused for every row; a batch is one
/// transaction. Not thread-safe: owned by <see cref="EventWriterService"/>.
/// </summary>
public sealed class EventBatchInserter : IDisposable
{
    private const string Insert = """
        INSERT INTO events (time, type, severity, message, pid, exe, uid, user, unit, container, proto, src, src_port, dst, dst_port, domain, verdict, rule, bytes_out, bytes_in)
        VALUES ($time, $type, $severity, $message, $pid, $exe, $uid, $user, $unit, $container, $proto, $src, $src_port, $dst, $dst_port, $domain, $verdict, $rule, $bytes_out, $bytes_in)
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _p;

    internal EventBatchInserter(SqliteConnection connection)
    {
        _connection = connection;
        _command = connection.CreateCommand();
        _command.CommandText = Insert;
        string[] names = ["$time", "$type", "$severity", "$message", "$pid", "$exe", "$uid", "$user", "$unit", "$container", "$proto", "$src", "$src_port", "$dst", "$dst_port", "$domain", "$verdict", "$rule", "$bytes_out", "$bytes_in"];
        _p = new SqliteParameter[names.Length];
        for (var i = 0; i < names.Length; i++) _p[i] = _command.Parameters.Add(names[i], SqliteType.Text);
        _p[0].SqliteType = SqliteType.Integer;
        _command.Prepare();
    }

    /// <summary>Writes <paramref name="batch"/> in one transaction.</summary>
    public void Write(IReadOnlyList<DaemonEvent> batch)
    {
        using var tx = _connection.BeginTransaction();
        _command.Transaction = tx;
        foreach (var e in batch)
        {
            _p[0].Value = EventStore.ToMicroseconds(e.Time);
            _p[1].Value = e.Type.ToName();
            _p[2].Value = e.Severity.ToName();
            _p[3].Value = (object?)e.Message ?? DBNull.Value;
            _p[4].Value = e.Pid is { } pid ? pid : DBNull.Value;
            _p[5].Value = (object?)e.Exe ?? DBNull.Value;
            _p[6].Value = e.Uid is { } uid ? (long)uid : DBNull.Value;
            _p[7].Value = (object?)e.User ?? DBNull.Value;
            _p[8].Value = (object?)e.Unit ?? DBNull.Value;
            _p[9].Value = (object?)e.Container ?? DBNull.Value;
            _p[10].Value = (object?)e.Proto ?? DBNull.Value;
            _p[11].Value = (object?)e.Src ?? DBNull.Value;
            _p[12].Value = e.SrcPort is { } sp ? sp : DBNull.Value;
            _p[13].Value = (object?)e.Dst ?? DBNull.Value;
            _p[14].Value = e.DstPort is { } dp ? dp : DBNull.Value;
            _p[15].Value = (object?)e.Domain ?? DBNull.Value;
            _p[16].Value = (object?)e.Verdict ?? DBNull.Value;
            _p[17].Value = (object?)e.Rule ?? DBNull.Value;
            _p[18].Value = e.BytesOut is { } bo ? bo : DBNull.Value;
            _p[19].Value = e.BytesIn is { } bi ? bi : DBNull.Value;
            _command.ExecuteNonQuery();
        }
        tx.Commit();
        _command.Transaction = null;
    }

    public void Dispose()
    {
        _command.Dispose();
        _connection.Dispose();
    }
}
