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
            r.Domain is { Length: > 0 } domain
                ? $"{Printable.Escape(domain)}({ConnectionFormat.Endpoint(r.RemoteAddress, r.RemotePort, peer: true)})"
                : ConnectionFormat.Endpoint(r.RemoteAddress, r.RemotePort, peer: true),
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
        var header = Header();
        var cells = new string[rows.Count][];
        var widths = new int[header.Length];
        for (var i = 0; i < header.Length; i++) widths[i] = header[i].Length;
        var total = 0;
        for (var n = 0; n < rows.Count; n++)
        {
            var c = cells[n] = Cells(rows[n]);
            for (var i = 0; i < c.Length; i++)
            {
                widths[i] = Math.Max(widths[i], c[i].Length);
                total += c[i].Length + 2;
            }
        }
        // One builder for the whole table (10,000 rows render in a few ms): pad with Append(' ', n), no per-cell strings.
        var sb = new StringBuilder(total + 256);
        var line = new StringBuilder(256);
        for (var n = -1; n < rows.Count; n++)
        {
            var l = n < 0 ? header : cells[n];
            line.Clear();
            if (markers is not null) line.Append(n < 0 ? " " : markers[n]).Append(' ');
            for (var i = 0; i < l.Length; i++)
            {
                line.Append(l[i]);
                if (i < l.Length - 1) line.Append(' ', widths[i] - l[i].Length + 2);
            }
            var end = line.Length;
            while (end > 0 && line[end - 1] == ' ') end--;
            line.Length = end;
            if (colour is not null && n >= 0) sb.Append(colour(n, line.ToString()));
            else sb.Append(line);
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
