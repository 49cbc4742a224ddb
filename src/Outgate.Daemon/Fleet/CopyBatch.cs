using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Microsoft.Data.Sqlite;
using Outgate.Daemon.Events;
using SQLitePCL;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// The next events of events.db after a cursor, already encoded as one PostgreSQL binary COPY stream for
/// <c>COPY events (host_id, ...) FROM STDIN (FORMAT BINARY)</c>. The cells go from SQLite's UTF-8 straight into the
/// stream through SQLitePCL: no string or event object per row (that cost the shipper more CPU than PostgreSQL spent
/// storing the rows). The buffer is rented; <see cref="Dispose"/> returns it.
/// </summary>
public sealed class CopyBatch : IDisposable
{
    /// <summary>The target columns, in stream order (host_id first).</summary>
    public const string Columns = "host_id, event_id, time, type, severity, message, pid, exe, uid, \"user\", unit, container, proto, src, src_port, dst, dst_port, domain, verdict, rule, bytes_out, bytes_in, tags, details";

    private const string Sql = """
        SELECT id, time, type, severity, message, pid, exe, uid, user, unit, container, proto, src, src_port, dst, dst_port,
               domain, verdict, rule, bytes_out, bytes_in, tags, details
        FROM events WHERE id > ?1 ORDER BY id LIMIT ?2
        """;

    // What each selected column becomes in PostgreSQL (after id and time).
    private enum Cell : byte { Text, Int4, Int8 }
    private static readonly Cell[] Cells =
    [
        Cell.Text, Cell.Text, Cell.Text, Cell.Int4, Cell.Text, Cell.Int8, Cell.Text, Cell.Text, Cell.Text, Cell.Text,
        Cell.Text, Cell.Int4, Cell.Text, Cell.Int4, Cell.Text, Cell.Text, Cell.Text, Cell.Int8, Cell.Int8, Cell.Text, Cell.Text,
    ];

    /// <summary>Signature "PGCOPY\n\377\r\n\0", flags 0, header extension length 0.</summary>
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>PostgreSQL timestamps count microseconds from 2000-01-01 UTC; events.db from the Unix epoch.</summary>
    private const long PostgresEpochMicros = 946_684_800_000_000;

    private byte[] _buffer;
    private int _length;
    private readonly SortedSet<DateOnly> _days = [];
    private long _lastDay = long.MinValue;

    private CopyBatch(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    /// <summary>Rows encoded.</summary>
    public int Count { get; private set; }

    /// <summary>The last (largest) event id encoded; the cursor after this batch.</summary>
    public long LastId { get; private set; }

    /// <summary>The day partitions the rows fall in.</summary>
    public IReadOnlyList<PartitionDay> Days => [.. _days.Select(d => new PartitionDay(d))];

    /// <summary>The COPY stream: header, rows, trailer.</summary>
    public ReadOnlyMemory<byte> Stream => _buffer.AsMemory(0, _length);

    /// <summary>Reads up to <paramref name="limit"/> events with ids above <paramref name="after"/> for <paramref name="hostId"/>.</summary>
    /// <exception cref="SqliteException">events.db could not be read.</exception>
    public static CopyBatch Read(EventStore store, Guid hostId, long after, int limit)
    {
        var batch = new CopyBatch(Math.Clamp(limit, 1, 100_000) * 256);
        try
        {
            Span<byte> host = stackalloc byte[16];
            hostId.TryWriteBytes(host, bigEndian: true, out _);
            batch.Write(Header);
            using var connection = store.Open();
            var rc = raw.sqlite3_prepare_v2(connection.Handle, Sql, out var statement);
            if (rc != raw.SQLITE_OK) ThrowSqlite(connection, rc);
            using (statement)
            {
                raw.sqlite3_bind_int64(statement, 1, after);
                raw.sqlite3_bind_int64(statement, 2, limit);
                while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW) batch.Row(statement, host);
                if (rc != raw.SQLITE_DONE) ThrowSqlite(connection, rc);
            }
            batch.Int16(-1);
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    private void Row(sqlite3_stmt s, ReadOnlySpan<byte> host)
    {
        Int16(24);
        Int32(16);
        Write(host);
        var id = raw.sqlite3_column_int64(s, 0);
        Int32(8);
        Int64(id);
        var micros = raw.sqlite3_column_int64(s, 1);
        Int32(8);
        Int64(micros - PostgresEpochMicros);
        if (Math.DivRem(micros, 86_400_000_000L) is var (day, _) && day != _lastDay)
        {
            _lastDay = day;
            _days.Add(DateOnly.FromDateTime(EventStore.FromMicroseconds(micros).UtcDateTime));
        }
        for (var i = 0; i < Cells.Length; i++)
        {
            var column = i + 2;
            var type = raw.sqlite3_column_type(s, column);
            switch (Cells[i])
            {
                case Cell.Text when type is raw.SQLITE_TEXT or raw.SQLITE_BLOB:
                    Text(raw.sqlite3_column_blob(s, column));
                    break;
                case Cell.Int4 when type == raw.SQLITE_INTEGER && raw.sqlite3_column_int64(s, column) is var v and >= int.MinValue and <= int.MaxValue:
                    Int32(4);
                    Int32((int)v);
                    break;
                case Cell.Int8 when type == raw.SQLITE_INTEGER:
                    Int32(8);
                    Int64(raw.sqlite3_column_int64(s, column));
                    break;
                default:
                    // NULL, or a cell of an unexpected type (events.db is written only by outgated): no value.
                    Int32(-1);
                    break;
            }
        }
        Count++;
        LastId = id;
    }

    /// <summary>PostgreSQL refuses invalid UTF-8 and NUL in text, and a refused row would stop shipping for good.</summary>
    private void Text(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Contains((byte)0) || !Utf8.IsValid(utf8))
        {
            var repaired = Encoding.UTF8.GetString(utf8).Replace('\0', '\uFFFD');
            utf8 = Encoding.UTF8.GetBytes(repaired);
        }
        Int32(utf8.Length);
        Write(utf8);
    }

    private void Int16(short v) { BinaryPrimitives.WriteInt16BigEndian(Grow(2), v); _length += 2; }

    private void Int32(int v) { BinaryPrimitives.WriteInt32BigEndian(Grow(4), v); _length += 4; }

    private void Int64(long v) { BinaryPrimitives.WriteInt64BigEndian(Grow(8), v); _length += 8; }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Grow(bytes.Length));
        _length += bytes.Length;
    }

    private Span<byte> Grow(int needed)
    {
        if (_length + needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + needed));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        return _buffer.AsSpan(_length, needed);
    }

    private static void ThrowSqlite(SqliteConnection connection, int rc) =>
        throw new SqliteException(string.Create(CultureInfo.InvariantCulture, $"SQLite error {rc}: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}"), rc);

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }
}
