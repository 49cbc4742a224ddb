using System.Text;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// Turns /proc/&lt;pid&gt;/cmdline (arguments separated and terminated by NUL) into one line a
/// person can read and paste into a shell: arguments that need it are single-quoted.
/// <code>
/// python3\0-c\0print('hi there')\0   →   python3 -c 'print('\''hi there'\'')'
/// </code>
/// A single argument with spaces and no NUL separators is a title the program set for itself
/// (setproctitle: <c>nginx: worker process</c>) and is returned verbatim.
/// </summary>
public static class CommandLineFormatter
{
    public static string Format(ReadOnlySpan<byte> cmdline)
    {
        // Kernel threads have an empty cmdline; a trailing NUL ends the last argument.
        cmdline = cmdline.TrimEnd((byte)0);
        if (cmdline.IsEmpty) return "";
        if (cmdline.IndexOf((byte)0) < 0) return Encoding.UTF8.GetString(cmdline);

        var sb = new StringBuilder(cmdline.Length + 16);
        foreach (var range in cmdline.Split((byte)0))
        {
            if (sb.Length > 0) sb.Append(' ');
            AppendQuoted(sb, Encoding.UTF8.GetString(cmdline[range]));
        }
        return sb.ToString();
    }

    private static void AppendQuoted(StringBuilder sb, string arg)
    {
        if (arg.Length > 0 && !NeedsQuotes(arg))
        {
            sb.Append(arg);
            return;
        }
        sb.Append('\'');
        foreach (var c in arg)
        {
            if (c == '\'') sb.Append("'\\''");
            else sb.Append(c);
        }
        sb.Append('\'');
    }

    private static bool NeedsQuotes(string arg)
    {
        foreach (var c in arg)
            if (char.IsWhiteSpace(c) || c is '\'' or '"' or '\\' or '$' or '`' or ';' or '&' or '|' or '<' or '>' or '(' or ')' or '*' or '?' or '!' or '#' or '~' or '{' or '}' or '[' or ']')
                return true;
        return false;
    }
}
