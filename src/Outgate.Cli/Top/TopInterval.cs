using System.Globalization;

namespace Outgate.Cli.Top;

/// <summary><c>--interval</c>: seconds (<c>2</c>, <c>1.5</c>) or with a unit (<c>500ms</c>, <c>2s</c>, <c>1m</c>), 100 ms to 1 h.</summary>
public static class TopInterval
{
    public const string Examples = "1s, 500ms, 2, 1m";
    public static readonly TimeSpan Min = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Max = TimeSpan.FromHours(1);

    public static bool TryParse(string? text, out TimeSpan interval)
    {
        interval = default;
        var t = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(t)) return false;
        var (number, scale) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : (t, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
        var seconds = value * scale;
        if (double.IsNaN(seconds) || seconds < Min.TotalSeconds || seconds > Max.TotalSeconds) return false;
        interval = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
