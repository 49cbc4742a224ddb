using System.Globalization;

namespace Outgate.Cli.Top;

/// <summary>
/// What <c>outgate top</c> shows, as pure functions: which applications match the filter, in which order, and
/// how each cell reads. The live view and <c>--once</c> both print these rows.
/// </summary>
public static class TopRows
{
    public static readonly string[] Headers = ["APP", "USER", "CONN", "OUT/S", "IN/S", "TOTAL OUT", "TOTAL IN", "TOP DESTINATION"];

    /// <summary>The applications matching <paramref name="filter"/> (case-insensitive, any shown text), sorted.</summary>
    public static List<AppTraffic> Select(IEnumerable<AppTraffic> apps, TopSort sort, string? filter)
    {
        var selected = apps.Where(a => Matches(a, filter)).ToList();
        selected.Sort((a, b) => Compare(a, b, sort));
        return selected;
    }

    /// <summary>Busiest first for numbers (ties by name), A to Z for names.</summary>
    public static int Compare(AppTraffic a, AppTraffic b, TopSort sort)
    {
        var c = sort switch
        {
            TopSort.Out => b.BytesOutPerSecond.CompareTo(a.BytesOutPerSecond) is var r && r != 0 ? r : b.BytesOut.CompareTo(a.BytesOut),
            TopSort.In => b.BytesInPerSecond.CompareTo(a.BytesInPerSecond) is var r && r != 0 ? r : b.BytesIn.CompareTo(a.BytesIn),
            TopSort.Connections => b.Connections.CompareTo(a.Connections),
            _ => 0,
        };
        if (c != 0) return c;
        c = string.Compare(Name(a), Name(b), StringComparison.OrdinalIgnoreCase);
        return c != 0 ? c : string.Compare(a.User, b.User, StringComparison.Ordinal);
    }

    public static bool Matches(AppTraffic app, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return true;
        var f = filter.Trim();
        bool Has(string? s) => s is not null && s.Contains(f, StringComparison.OrdinalIgnoreCase);
        return Has(app.Exe) || Has(app.Unit) || Has(app.Container) || Has(app.User)
            || (app.TopDestinations ?? []).Any(d => Has(d.Domain) || Has(d.Address));
    }

    /// <summary>The executable, else the systemd unit or container it runs in.</summary>
    public static string Name(AppTraffic app) =>
        app.Exe ?? app.Unit ?? (app.Container is { } c ? "container " + c : "(unknown program)");

    /// <summary>The destination it sent most to: domain when known, else the address, with the port.</summary>
    public static string TopDestination(AppTraffic app) =>
        app.TopDestinations is [var d, ..] ? $"{d.Domain ?? d.Address}:{d.Port.ToString(CultureInfo.InvariantCulture)}" : "-";

    public static string[] Cells(AppTraffic app) =>
    [
        Name(app),
        app.User ?? "-",
        app.Connections.ToString(CultureInfo.InvariantCulture),
        Rate(app.BytesOutPerSecond),
        Rate(app.BytesInPerSecond),
        Bytes(app.BytesOut),
        Bytes(app.BytesIn),
        TopDestination(app),
    ];

    /// <summary>Bytes in binary units as nethogs and top show them: 512 B, 1.5 KiB, 20.0 MiB.</summary>
    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {units[unit]}");
    }

    public static string Rate(double bytesPerSecond) => Bytes(bytesPerSecond) + "/s";

    /// <summary>
    /// A plain text table (no colour, no box drawing, never wrapped): what <c>--once</c> and a non-terminal get,
    /// so scripts and logs can read it.
    /// </summary>
    public static string Text(IReadOnlyList<AppTraffic> rows, DateTimeOffset time, TopSort sort, string? filter)
    {
        var cells = new List<string[]> { Headers };
        cells.AddRange(rows.Select(Cells));
        var widths = new int[Headers.Length];
        foreach (var row in cells)
            for (var i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"outgate top: {rows.Count} application{(rows.Count == 1 ? "" : "s")} at {time.ToLocalTime():yyyy-MM-dd HH:mm:ss}, by {sort.ToName()}");
        if (!string.IsNullOrWhiteSpace(filter)) text.Append(CultureInfo.InvariantCulture, $", filter \"{filter}\"");
        text.Append('\n');
        foreach (var row in cells)
        {
            for (var i = 0; i < row.Length; i++)
            {
                // Numbers right-aligned, text left; the last column is not padded.
                var numeric = i is >= 2 and <= 6;
                var cell = numeric ? row[i].PadLeft(widths[i]) : i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i]);
                text.Append(cell);
                if (i < row.Length - 1) text.Append("  ");
            }
            text.Append('\n');
        }
        if (rows.Count == 0) text.Append("(no traffic seen yet)\n");
        return text.ToString();
    }
}
