using System.Globalization;
using System.Text;

namespace Outgate.Cli.Connections;

/// <summary>
/// The terminal table: aligned plain columns (grep/awk friendly, no box drawing), one socket per
/// line. Untrusted text (process names, command lines) is escaped.
/// </summary>
public sealed class ConnectionTableWriter(bool wide, bool hash)
{
    private string[] Header()
    {
        var h = new List<string> { "PROTO", "LOCAL", "REMOTE", "STATE", "USER", "PID", "PROGRAM", "EXE", "UNIT/CONTAINER", "INODE", "SENT", "RECV", "RTT" };
        if (hash) h.Add("SHA256");
        if (wide) h.Add("COMMAND");
        return [.. h];
    }

    public string[] Cells(ConnectionRow r)
    {
        var c = new List<string>
        {
            r.ProtocolName,
            ConnectionFormat.Endpoint(r.LocalAddress, r.LocalPort, peer: false),
            ConnectionFormat.Endpoint(r.RemoteAddress, r.RemotePort, peer: true),
            r.StateName,
            Printable.Escape(r.UserName) is { Length: > 0 } u ? u : r.Uid.ToString(CultureInfo.InvariantCulture),
            r.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            Printable.Escape(r.Program) is { Length: > 0 } p ? p : "-",
            Printable.Escape(r.ExecutablePath) is { Length: > 0 } e ? e : "-",
            Printable.Escape(r.UnitOrContainer) is { Length: > 0 } uc ? uc : "-",
            r.Inode.ToString(CultureInfo.InvariantCulture),
            ConnectionFormat.Bytes(r.BytesSent),
            ConnectionFormat.Bytes(r.BytesReceived),
            ConnectionFormat.Rtt(r.RttMilliseconds),
        };
        if (hash) c.Add(r.Sha256 ?? "-");
        if (wide) c.Add(Printable.Escape(r.CommandLine));
        return [.. c];
    }

    /// <summary>Renders rows; <paramref name="markers"/> (same length) prefixes each line, e.g. "+"/"-" in watch mode.</summary>
    public string Render(IReadOnlyList<ConnectionRow> rows, IReadOnlyList<string>? markers = null, Func<int, string, string>? colour = null)
    {
        var lines = new List<string[]>(rows.Count + 1) { Header() };
        foreach (var r in rows) lines.Add(Cells(r));
        var widths = new int[lines[0].Length];
        foreach (var l in lines)
            for (var i = 0; i < l.Length; i++) widths[i] = Math.Max(widths[i], l[i].Length);
        var sb = new StringBuilder();
        for (var n = 0; n < lines.Count; n++)
        {
            var line = new StringBuilder();
            if (markers is not null) line.Append(n == 0 ? "  " : markers[n - 1] + " ");
            var l = lines[n];
            for (var i = 0; i < l.Length; i++)
            {
                if (i == l.Length - 1) line.Append(l[i]);
                else line.Append(l[i].PadRight(widths[i] + 2));
            }
            var text = line.ToString().TrimEnd();
            sb.Append(colour is not null && n > 0 ? colour(n - 1, text) : text).Append('\n');
        }
        return sb.ToString();
    }
}
