namespace Outgate.Policy;

/// <summary>
/// Durations in <c>[alerts]</c>: a whole number with a unit, <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, or a
/// bare integer meaning seconds (TOML <c>window = 60</c>). No fractions and no compound forms ("1h30m"): one way to write each
/// value keeps diffs and error messages simple.
/// </summary>
public static class AlertDurationSyntax
{
    public const string Examples = "\"500ms\", \"30s\", \"10m\", \"2h\", \"1d\" or an integer number of seconds";

    private static readonly (string Suffix, long Ms)[] Units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];

    /// <summary>Parses <paramref name="text"/>; <paramref name="error"/> says what is wrong (the caller adds where and the range).</summary>
    public static bool TryParse(string text, out TimeSpan duration, [NotNullWhen(false)] out string? error)
    {
        duration = default;
        var trimmed = text.Trim();
        var digitsEnd = 0;
        while (digitsEnd < trimmed.Length && char.IsAsciiDigit(trimmed[digitsEnd])) digitsEnd++;
        if (digitsEnd == 0)
        {
            error = $"'{Quote.Escape(text)}' is not a duration: expected {Examples}";
            return false;
        }

        var unit = trimmed[digitsEnd..].Trim();
        var ms = unit.Length == 0 ? 1000L : Array.Find(Units, u => string.Equals(u.Suffix, unit, StringComparison.OrdinalIgnoreCase)).Ms;
        if (ms == 0)
        {
            error = $"unknown duration unit '{Quote.Escape(unit)}' in '{Quote.Escape(text)}': use ms, s, m, h or d";
            return false;
        }

        // A year is far beyond any sane window; the cap keeps the multiplication from overflowing.
        if (!long.TryParse(trimmed.AsSpan(0, digitsEnd), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 365L * 86_400_000 / ms)
        {
            error = $"duration '{Quote.Escape(text)}' is too long: at most 365d";
            return false;
        }

        duration = TimeSpan.FromMilliseconds(value * ms);
        error = null;
        return true;
    }

    /// <summary>The largest unit that represents <paramref name="duration"/> exactly (<c>10m</c>, <c>90s</c>, <c>1500ms</c>); parses back to the same value.</summary>
    public static string Format(TimeSpan duration)
    {
        var ms = (long)duration.TotalMilliseconds;
        for (var i = Units.Length - 1; i > 0; i--)
        {
            if (ms != 0 && ms % Units[i].Ms == 0) return (ms / Units[i].Ms).ToString(CultureInfo.InvariantCulture) + Units[i].Suffix;
        }

        return ms == 0 ? "0s" : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
