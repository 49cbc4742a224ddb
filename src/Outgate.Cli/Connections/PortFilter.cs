using System.Globalization;

namespace Outgate.Cli.Connections;

/// <summary>`--port` values: "443", "80,443", "8000-8100" or "8000:8100", combined.</summary>
public sealed class PortFilter
{
    private readonly (ushort Low, ushort High)[] _ranges;

    private PortFilter((ushort, ushort)[] ranges) => _ranges = ranges;

    public bool Contains(ushort port)
    {
        foreach (var (low, high) in _ranges)
            if (port >= low && port <= high) return true;
        return false;
    }

    public static bool TryParse(string text, out PortFilter? filter, out string? error)
    {
        filter = null;
        var ranges = new List<(ushort, ushort)>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var sep = raw.IndexOfAny(['-', ':']);
            var lowText = sep < 0 ? raw : raw[..sep];
            var highText = sep < 0 ? raw : raw[(sep + 1)..];
            if (!TryParsePort(lowText, out var low) || !TryParsePort(highText, out var high))
            {
                error = $"bad port '{Printable.Escape(raw)}' in --port '{Printable.Escape(text)}': ports are numbers 1-65535, e.g. --port 443, --port 80,443 or --port 8000-8100";
                return false;
            }
            if (low > high)
            {
                error = $"bad port range '{Printable.Escape(raw)}' in --port: the first port must not be above the second (write {high}-{low})";
                return false;
            }
            ranges.Add((low, high));
        }
        filter = new PortFilter([.. ranges]);
        error = null;
        return true;
    }

    private static bool TryParsePort(string text, out ushort port) =>
        ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port != 0;
}
