using System.Globalization;
using System.Text;
using Outgate.Cli.Connections;

namespace Outgate.Cli.Daemon;

/// <summary>
/// Pending prompts as aligned plain columns (grep/awk friendly, like <c>outgate connections</c>):
/// <c>ID AGE LEFT PROGRAM USER DESTINATION WAITING DEFAULT</c>. Names come from other users'
/// processes, so control characters are escaped.
/// </summary>
public static class PromptTableWriter
{
    private static readonly string[] Header = ["ID", "AGE", "LEFT", "PROGRAM", "USER", "DESTINATION", "WAITING", "DEFAULT"];

    public static string Render(IReadOnlyList<PendingPrompt> prompts, DateTimeOffset now)
    {
        var rows = new List<string[]> { Header };
        foreach (var p in prompts)
            rows.Add([
                p.Id.ToString(CultureInfo.InvariantCulture),
                DaemonText.Span(now - p.CreatedAt),
                p.ExpiresAt is { } e ? DaemonText.Span(e - now) : "-",
                Program(p),
                DaemonText.User(p.User, p.Uid),
                DaemonText.Destination(p.Dst, p.DstPort, p.Proto, p.Domain),
                p.Waiting.ToString(CultureInfo.InvariantCulture),
                Printable.Escape(p.DefaultVerdict) is { Length: > 0 } d ? d : "-",
            ]);
        var widths = new int[Header.Length];
        foreach (var r in rows)
            for (var i = 0; i < r.Length; i++) widths[i] = Math.Max(widths[i], r[i].Length);
        var sb = new StringBuilder();
        foreach (var r in rows)
        {
            for (var i = 0; i < r.Length; i++)
            {
                sb.Append(r[i]);
                if (i < r.Length - 1) sb.Append(' ', widths[i] - r[i].Length + 2);
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The executable, with the unit or container it runs in when known: <c>/usr/bin/curl (web)</c>.</summary>
    public static string Program(PendingPrompt p)
    {
        var exe = Printable.Escape(p.Exe) is { Length: > 0 } e ? e : p.Pid is { } pid ? $"pid {pid}" : "?";
        var where = Printable.Escape(p.Container) is { Length: > 0 } c ? c : Printable.Escape(p.Unit);
        return where is { Length: > 0 } ? $"{exe} ({where})" : exe;
    }
}
