using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Outgate.Daemon.Events;
using SQLitePCL;

namespace Outgate.Daemon.Simulation;

/// <summary>
/// Reads the recorded connections of events.db folded into <see cref="RecordedConnection"/> groups. The rows are
/// streamed in one pass and folded in a dictionary: a SQL <c>GROUP BY</c> over nine text columns sorted a million rows
/// through a temporary B-tree and took 15-30 s where this takes a few. Each row's key is the raw UTF-8 of its columns,
/// read through SQLitePCL without making a string per cell (that was half of the read's CPU); strings are made once per
/// group. Memory grows with the distinct connections, not with the events; repeated strings are shared.
/// </summary>
public static class RecordedConnectionReader
{
    // Only events that name a destination can be judged; mode changes, health and daemon events have none.
    // Flagged connections (alerts; tags no-dns, dot, doh) are suspicious like alerts: `policy propose`
    // leaves them for review, so a candidate refusing them breaks nothing; allowing them is reported. Notice alerts
    // (new-app, an interpreter dialling out) inform and are skipped: the decision event of that connection is judged.
    private const string Sql = """
        SELECT exe, uid, user, unit, container, proto, dst, dst_port, domain,
               type = 'alert' OR (tags IS NOT NULL AND (tags LIKE '%no-dns%' OR tags LIKE '%dot%' OR tags LIKE '%doh%')),
               verdict = 'allow', time
        FROM events
        WHERE time >= ?1 AND dst IS NOT NULL
          AND (type = 'decision' OR (type = 'alert' AND severity IN ('warning', 'error', 'critical')))
        """;

    /// <summary>The columns that make a group's key, in <see cref="Sql"/>'s order.</summary>
    private const int KeyColumns = 10;

    /// <summary>Every group of decision and alert events at or after <paramref name="since"/> (null: everything recorded).</summary>
    public static IReadOnlyCollection<RecordedConnection> Read(EventStore store, DateTimeOffset? since, CancellationToken ct = default)
    {
        var groups = new Dictionary<byte[], Tally>(RowKeyComparer.Instance);
        var lookup = groups.GetAlternateLookup<ReadOnlySpan<byte>>();
        var key = new byte[4096];
        using (var connection = store.Open())
        {
            var rc = raw.sqlite3_prepare_v2(connection.Handle, Sql, out var statement);
            if (rc != raw.SQLITE_OK) throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}", rc);
            using (statement)
            {
                raw.sqlite3_bind_int64(statement, 1, since is { } s ? EventStore.ToMicroseconds(s) : long.MinValue);
                var rows = 0;
                while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                    if ((++rows & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
                    var length = RowKey(statement, ref key);
                    var allowed = raw.sqlite3_column_int64(statement, 10) != 0;
                    var time = raw.sqlite3_column_int64(statement, 11);
                    if (lookup.TryGetValue(key.AsSpan(0, length), out var tally))
                    {
                        tally.Count++;
                        if (allowed) tally.Allowed++;
                        if (time < tally.First) tally.First = time;
                        if (time > tally.Last) tally.Last = time;
                    }
                    else
                    {
                        groups[key.AsSpan(0, length).ToArray()] = new Tally { Count = 1, Allowed = allowed ? 1 : 0, First = time, Last = time };
                    }
                }
                if (rc != raw.SQLITE_DONE) throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}", rc);
            }
        }
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<RecordedConnection>(groups.Count);
        foreach (var (k, t) in groups)
        {
            var f = new KeyFields(k, strings);
            result.Add(new RecordedConnection(f.Text(), (uint?)f.Integer(), f.Text(), f.Text(), f.Text(), f.Text(), f.Text(), (int?)f.Integer(), f.Text(), f.Integer() is not (null or 0),
                t.Count, t.Allowed, EventStore.FromMicroseconds(t.First), EventStore.FromMicroseconds(t.Last)));
        }
        return result;
    }

    /// <summary>
    /// Writes the key columns of the current row into <paramref name="key"/> (grown when needed) as a tag byte per
    /// column (0 null, 1 integer + 8 bytes, 2 text + 4-byte length + UTF-8); returns the length used.
    /// </summary>
    private static int RowKey(sqlite3_stmt statement, ref byte[] key)
    {
        var at = 0;
        for (var i = 0; i < KeyColumns; i++)
        {
            switch (raw.sqlite3_column_type(statement, i))
            {
                case raw.SQLITE_NULL:
                    Ensure(ref key, at + 1);
                    key[at++] = 0;
                    break;
                case raw.SQLITE_INTEGER:
                    Ensure(ref key, at + 9);
                    key[at++] = 1;
                    BinaryPrimitives.WriteInt64LittleEndian(key.AsSpan(at), raw.sqlite3_column_int64(statement, i));
                    at += 8;
                    break;
                default:
                    var bytes = raw.sqlite3_column_blob(statement, i);
                    Ensure(ref key, at + 5 + bytes.Length);
                    key[at++] = 2;
                    BinaryPrimitives.WriteInt32LittleEndian(key.AsSpan(at), bytes.Length);
                    at += 4;
                    bytes.CopyTo(key.AsSpan(at));
                    at += bytes.Length;
                    break;
            }
        }
        return at;
    }

    private static void Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length) Array.Resize(ref buffer, Math.Max(length, buffer.Length * 2));
    }

    /// <summary>Reads a row key back, column by column.</summary>
    private ref struct KeyFields(byte[] key, Dictionary<string, string> strings)
    {
        private int _at;

        public string? Text()
        {
            var tag = key[_at++];
            if (tag == 0) return null;
            if (tag == 1)
            {
                // A number stored in a text column (SQLite is loosely typed): its text is what a reader would have shown.
                var n = BinaryPrimitives.ReadInt64LittleEndian(key.AsSpan(_at));
                _at += 8;
                return n.ToString(CultureInfo.InvariantCulture);
            }
            var length = BinaryPrimitives.ReadInt32LittleEndian(key.AsSpan(_at));
            _at += 4;
            var s = Encoding.UTF8.GetString(key, _at, length);
            _at += length;
            if (strings.TryGetValue(s, out var shared)) return shared;
            // Bounded: a store full of unique strings must not double its memory here.
            if (strings.Count < 1_000_000) strings[s] = s;
            return s;
        }

        public long? Integer()
        {
            var tag = key[_at++];
            if (tag == 0) return null;
            if (tag == 1)
            {
                var n = BinaryPrimitives.ReadInt64LittleEndian(key.AsSpan(_at));
                _at += 8;
                return n;
            }
            var length = BinaryPrimitives.ReadInt32LittleEndian(key.AsSpan(_at));
            _at += 4 + length;
            return null;
        }
    }

    /// <summary>Byte-wise equality, also for a span, so a row is looked up without copying its key.</summary>
    private sealed class RowKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly RowKeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }

    private sealed class Tally
    {
        public long Count;
        public long Allowed;
        public long First;
        public long Last;
    }
}
