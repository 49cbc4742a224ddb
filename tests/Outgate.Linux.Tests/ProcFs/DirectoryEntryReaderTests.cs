using System.Runtime.InteropServices;
using System.Text;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class DirectoryEntryReaderTests
{
    /// <summary>Builds linux_dirent64 records the way the kernel lays them out (8-byte aligned).</summary>
    private static byte[] Records(params (string Name, byte Type)[] entries)
    {
        var ms = new MemoryStream();
        ulong ino = 100;
        foreach (var (name, type) in entries)
        {
            var nameBytes = Encoding.ASCII.GetBytes(name);
            var recLen = (19 + nameBytes.Length + 1 + 7) & ~7;
            var rec = new byte[recLen];
            MemoryMarshal.Write(rec.AsSpan(0), ino++);
            MemoryMarshal.Write(rec.AsSpan(8), (long)ino);
            MemoryMarshal.Write(rec.AsSpan(16), (ushort)recLen);
            rec[18] = type;
            nameBytes.CopyTo(rec, 19);
            ms.Write(rec);
        }
        return ms.ToArray();
    }

    [Fact]
    public void Walks_names_and_types()
    {
        var buffer = Records((".", 4), ("..", 4), ("12", 4), ("self", 10), ("4194304", 4));
        var reader = new DirectoryEntryReader(buffer);
        var seen = new List<(string, byte)>();
        while (reader.MoveNext())
        {
            seen.Add((Encoding.ASCII.GetString(reader.Name), reader.Type));
            Assert.Equal(0, buffer[reader.NameStart + reader.Name.Length]); // NUL-terminated in place, for readlinkat
        }
        Assert.Equal([(".", 4), ("..", 4), ("12", 4), ("self", 10), ("4194304", 4)], seen);
    }

    [Fact]
    public void Truncated_record_stops_the_walk()
    {
        var buffer = Records(("12", 4), ("13", 4));
        var reader = new DirectoryEntryReader(buffer.AsSpan(0, buffer.Length - 3));
        Assert.True(reader.MoveNext());
        Assert.False(reader.MoveNext());
    }
}
