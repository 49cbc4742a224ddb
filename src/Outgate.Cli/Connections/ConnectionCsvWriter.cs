using System.Globalization;
using System.Text;

namespace Outgate.Cli.Connections;

/// <summary>RFC 4180 CSV with a header row; the columns are the JSON field names in the same order.</summary>
public static class ConnectionCsvWriter
{
    public static string Render(IEnumerable<ConnectionRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', ConnectionJson.FieldNames).Append("\r\n");
        foreach (var row in rows)
        {
            var j = ConnectionJson.From(row);
            string?[] cells =
            [
                j.Proto, j.Family, j.LocalAddress, Num(j.LocalPort), j.RemoteAddress, Num(j.RemotePort), j.State, Num(j.Uid), j.User,
                Num(j.Inode), j.Pid is { } p ? Num(p) : null, string.Join(' ', j.Pids.Select(Num)), j.Program, j.Exe, j.Cmdline, j.Cgroup,
                j.Unit, j.ContainerRuntime, j.ContainerId, j.ContainerName, j.Sha256,
                j.BytesSent is { } s ? Num(s) : null, j.BytesReceived is { } r ? Num(r) : null,
                j.RttMs is { } t ? t.ToString("0.###", CultureInfo.InvariantCulture) : null,
                j.Domain,
            ];
            for (var i = 0; i < cells.Length; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(Quote(cells[i]));
            }
            sb.Append("\r\n");
        }
        return sb.ToString();
    }

    private static string Num<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Quote(string? cell)
    {
        if (string.IsNullOrEmpty(cell)) return "";
        // A leading =,+,-,@ would run as a formula in a spreadsheet: prefix a quote (OWASP CSV injection).
        if (cell[0] is '=' or '+' or '-' or '@') cell = "'" + cell;
        return cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }
}
