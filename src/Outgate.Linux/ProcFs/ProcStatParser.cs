using System.Buffers.Text;
using System.Text;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// Parses /proc/&lt;pid&gt;/stat (proc(5)). The command name sits in parentheses and may itself
/// contain spaces and parentheses, so it ends at the <em>last</em> ')':
/// <code>
/// 4242 (a) b (c) S 1 4242 4242 0 -1 ...
///      └─comm = "a) b (c"─┘ │ └ ppid = 1
///                          └ state
/// </code>
/// </summary>
public static class ProcStatParser
{
    /// <summary>Index of starttime among the fields after the closing ')': state is 0, ppid 1, starttime 19 (field 22 overall).</summary>
    private const int StartTimeField = 19;

    public static bool TryParse(ReadOnlySpan<byte> content, out ProcStat stat)
    {
        stat = default;
        var open = content.IndexOf((byte)'(');
        var close = content.LastIndexOf((byte)')');
        if (open <= 0 || close < open) return false;
        if (!TryParseInt(content[..open].TrimEnd((byte)' '), out var pid)) return false;
        var comm = Encoding.UTF8.GetString(content[(open + 1)..close]);

        var rest = content[(close + 1)..];
        int field = -1;
        char state = '\0';
        int ppid = 0;
        ulong start = 0;
        bool haveStart = false;
        while (!rest.IsEmpty)
        {
            rest = rest.TrimStart((byte)' ');
            if (rest.IsEmpty) break;
            var end = rest.IndexOfAny((byte)' ', (byte)'\n');
            var token = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (token.IsEmpty) continue;
            field++;
            switch (field)
            {
                case 0:
                    if (token.Length != 1 || token[0] is < 0x21 or > 0x7e) return false;
                    state = (char)token[0];
                    break;
                case 1:
                    if (!TryParseInt(token, out ppid) || ppid < 0) return false;
                    break;
                case StartTimeField:
                    if (!Utf8Parser.TryParse(token, out start, out var used) || used != token.Length) return false;
                    haveStart = true;
                    break;
            }
            if (haveStart) break;
        }
        if (field < 1) return false;
        stat = new ProcStat(pid, comm, state, ppid, start);
        return true;
    }

    private static bool TryParseInt(ReadOnlySpan<byte> s, out int value) =>
        Utf8Parser.TryParse(s, out value, out var used) && used == s.Length && s.Length > 0 && s[0] != (byte)'+';
}
