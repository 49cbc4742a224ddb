using System.Buffers.Text;

namespace Outgate.Linux.ProcFs;

/// <summary>Parses /proc/&lt;pid&gt;/status lines such as <c>Uid:\t1000\t1000\t1000\t1000</c> (real, effective, saved, fs).</summary>
public static class ProcStatusParser
{
    /// <summary>The real uid from the <c>Uid:</c> line.</summary>
    public static bool TryParseRealUid(ReadOnlySpan<byte> content, out uint uid)
    {
        uid = 0;
        while (!content.IsEmpty)
        {
            var nl = content.IndexOf((byte)'\n');
            var line = nl < 0 ? content : content[..nl];
            content = nl < 0 ? default : content[(nl + 1)..];
            if (!line.StartsWith("Uid:"u8)) continue;
            var values = line[4..].TrimStart("\t "u8);
            var end = values.IndexOfAny((byte)'\t', (byte)' ');
            var first = end < 0 ? values : values[..end];
            return first.Length > 0 && first[0] != (byte)'+' &&
                   Utf8Parser.TryParse(first, out uid, out var used) && used == first.Length;
        }
        return false;
    }
}
