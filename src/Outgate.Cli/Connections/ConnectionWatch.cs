namespace Outgate.Cli.Connections;

/// <summary>
/// `--watch`: re-reads the table every interval. On a terminal it redraws the screen, new sockets
/// in green with "+", sockets closed since the last refresh in red with "-" (shown once). When the
/// output is not a terminal it prints the full table once, then only the changes, each line
/// prefixed with "+" or "-" and a timestamp, so the stream can be logged or piped.
/// </summary>
public sealed class ConnectionWatch(ConnectionReader reader, ConnectionQuery query, ConnectionTableWriter table, TextWriter output)
{
    public async Task<int> RunAsync(TimeSpan interval, int? count, CancellationToken ct)
    {
        var interactive = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
        Dictionary<string, ConnectionRow>? previous = null;
        for (var n = 0; count is null || n < count; n++)
        {
            if (n > 0)
            {
                try { await Task.Delay(interval, ct); }
                catch (OperationCanceledException) { return 130; }
            }
            var snapshot = reader.Read(query);
            var current = new Dictionary<string, ConnectionRow>(snapshot.Rows.Count);
            foreach (var r in snapshot.Rows) current.TryAdd(r.Key, r);
            var (added, closed) = Diff(previous, current);
            if (interactive) Redraw(snapshot, previous is null ? [] : added, closed);
            else Stream(snapshot, previous is null, added, closed);
            previous = current;
        }
        return 0;
    }

    /// <summary>Keys new in <paramref name="current"/>, and rows that left it. Pure, for tests.</summary>
    public static (HashSet<string> Added, List<ConnectionRow> Closed) Diff(Dictionary<string, ConnectionRow>? previous, Dictionary<string, ConnectionRow> current)
    {
        var added = new HashSet<string>();
        var closed = new List<ConnectionRow>();
        foreach (var key in current.Keys)
            if (previous is null || !previous.ContainsKey(key)) added.Add(key);
        if (previous is not null)
            foreach (var (key, row) in previous)
                if (!current.ContainsKey(key)) closed.Add(row);
        return (added, closed);
    }

    private void Redraw(ConnectionSnapshot snapshot, HashSet<string> added, List<ConnectionRow> closed)
    {
        var rows = new List<ConnectionRow>(snapshot.Rows);
        var markers = new List<string>(rows.Count + closed.Count);
        foreach (var r in rows) markers.Add(added.Contains(r.Key) ? "+" : " ");
        foreach (var r in closed) { rows.Add(r); markers.Add("-"); }
        var text = table.Render(rows, markers, (i, line) => markers[i] switch
        {
            "+" => "\e[32m" + line + "\e[0m",
            "-" => "\e[31m" + line + "\e[0m",
            _ => line,
        });
        output.Write("\e[H\e[2J");
        output.Write($"outgate connections — {DateTime.Now:HH:mm:ss}  {snapshot.Rows.Count} sockets, +{added.Count} new, -{closed.Count} closed  (Ctrl-C to stop)\n\n");
        output.Write(text);
        foreach (var w in snapshot.Warnings) output.Write("note: " + w + "\n");
        output.Flush();
    }

    private void Stream(ConnectionSnapshot snapshot, bool first, HashSet<string> added, List<ConnectionRow> closed)
    {
        if (first)
        {
            output.Write(table.Render(snapshot.Rows));
            output.Flush();
            return;
        }
        var stamp = DateTime.Now.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var r in snapshot.Rows)
            if (added.Contains(r.Key)) output.Write($"+ {stamp} {string.Join("  ", table.Cells(r))}\n");
        foreach (var r in closed)
            output.Write($"- {stamp} {string.Join("  ", table.Cells(r))}\n");
        output.Flush();
    }
}
