using System.Globalization;

namespace Outgate.Daemon.Options;

/// <summary>Durations as people type them: <c>500ms</c>, <c>90s</c>, <c>15m</c>, <c>12h</c>, <c>30d</c>, <c>0</c>.</summary>
public static class DurationSyntax
{
    public const string Examples = "500ms, 90s, 15m, 12h, 30d or 0";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s == "0") { value = TimeSpan.Zero; return true; }
        var unitStart = 0;
        while (unitStart < s.Length && char.IsAsciiDigit(s[unitStart])) unitStart++;
        if (unitStart == 0 || !long.TryParse(s.AsSpan(0, unitStart), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
        try
        {
            value = s[unitStart..] switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" or "min" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.MinValue,
            };
        }
        catch (OverflowException) { return false; }
        catch (ArgumentOutOfRangeException) { return false; }
        return value != TimeSpan.MinValue;
    }
}
