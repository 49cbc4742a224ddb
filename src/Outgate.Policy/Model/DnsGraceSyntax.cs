namespace Outgate.Policy;

/// <summary><c>dns-grace</c> values: <c>3s</c>, <c>500ms</c>, <c>1m</c>; 0 to 1 hour.</summary>
public static class DnsGraceSyntax
{
    /// <summary>The largest grace accepted: a longer one would keep addresses long after their owners stopped using them.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromHours(1);

    public static bool TryParse(string text, out TimeSpan grace, [NotNullWhen(false)] out string? error)
    {
        grace = default;
        var trimmed = text.Trim();
        var (digits, unit) = trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (trimmed[..^2], 1L)
            : trimmed.EndsWith('s') || trimmed.EndsWith('S') ? (trimmed[..^1], 1000L)
            : trimmed.EndsWith('m') || trimmed.EndsWith('M') ? (trimmed[..^1], 60_000L)
            : (trimmed, 0L);
        if (unit == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > Max.TotalMilliseconds / unit)
        {
            error = $"bad dns-grace '{Quote.Escape(text)}': expected a duration of 0-1h such as 3s, 500ms or 1m";
            return false;
        }

        grace = TimeSpan.FromMilliseconds(value * unit);
        error = null;
        return true;
    }

    /// <summary><c>3s</c>, or <c>1500ms</c> when not whole seconds.</summary>
    public static string Format(TimeSpan grace)
        => grace.Ticks % TimeSpan.TicksPerSecond == 0
            ? ((long)grace.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : ((long)grace.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
