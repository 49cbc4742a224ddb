using System.Buffers.Binary;
using System.Text;

namespace Outgate.EndToEnd.Tests.Health;

/// <summary>Reads journald's native datagram format back (what systemd-journald's server_process_native_message does).</summary>
internal static class JournalFields
{
    public static List<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> datagram)
    {
        var fields = new List<KeyValuePair<string, string>>();
        while (!datagram.IsEmpty)
        {
            var nl = datagram.IndexOf((byte)'\n');
            Assert.True(nl > 0, "every field ends with a newline");
            var line = datagram[..nl];
            var eq = line.IndexOf((byte)'=');
            if (eq >= 0)
            {
                fields.Add(new(Encoding.ASCII.GetString(line[..eq]), Encoding.UTF8.GetString(line[(eq + 1)..])));
                datagram = datagram[(nl + 1)..];
            }
            else
            {
                var name = Encoding.ASCII.GetString(line);
                var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(datagram.Slice(nl + 1, 8));
                var value = datagram.Slice(nl + 9, length);
                Assert.Equal((byte)'\n', datagram[nl + 9 + length]);
                fields.Add(new(name, Encoding.UTF8.GetString(value)));
                datagram = datagram[(nl + 10 + length)..];
            }
        }
        return fields;
    }
}
