using System.Globalization;
using System.Text;
using Outgate.Cli.Connections;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Alerts;

/// <summary>
/// Alerts as aligned plain columns, newest first: <c>ID TIME SEVERITY DETECTOR PROGRAM DESTINATION ACK MESSAGE</c>.
/// ACK is <c>✓</c> once acknowledged. The message comes last and is never cut; text from other users' processes has its
/// control characters escaped.
/// </summary>
public static class AlertTableWriter
{
    public const string AckMark = "✓";

    private static readonly string[] Header = ["ID", "TIME", "SEVERITY", "DETECTOR", "PROGRAM", "DESTINATION", "ACK", "MESSAGE"];

    public static string Render(IReadOnlyList<AlertRow> rows, TimeZoneInfo zone)
    {
        var table = new List<string[]> { Header };
        foreach (var (e, ack, _) in rows)
            table.Add([
                e.Id.ToString(CultureInfo.InvariantCulture),
                TimeZoneInfo.ConvertTime(e.Time, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Printable.Escape(e.Severity) is { Length: > 0 } s ? s : "-",
                Printable.Escape(e.Rule) is { Length: > 0 } d ? d : "-",
                Program(e),
                e.Dst is null && e.Domain is null ? "-" : DaemonText.Destination(e.Dst, e.DstPort, e.Proto, e.Domain),
                ack is null ? "" : AckMark,
                Printable.Escape(e.Message),
            ]);
        var widths = new int[Header.Length];
        foreach (var r in table)
            for (var i = 0; i < r.Length; i++) widths[i] = Math.Max(widths[i], r[i].Length);
        var sb = new StringBuilder();
        foreach (var r in table)
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

    /// <summary>The executable's file name with its pid (<c>bash[4242]</c>), or "-" when the alert names no program.</summary>
    public static string Program(EventRecord e)
    {
        var exe = Printable.Escape(e.Exe);
        if (exe.Length == 0) return e.Pid is { } p ? $"pid {p}" : "-";
        var name = exe[(exe.LastIndexOf('/') + 1)..];
        return e.Pid is { } pid ? $"{name}[{pid.ToString(CultureInfo.InvariantCulture)}]" : name;
    }
}
