using System.Globalization;

namespace Outgate.Cli.Daemon;

/// <summary>`--since` values: a relative age (<c>30s</c>, <c>10m</c>, <c>2h</c>, <c>7d</c>) or a time (<c>2026-01-31</c>, <c>2026-01-31T12:00:00Z</c>).</summary>
public static class LogSince
{
    public const string Examples = "10m, 2h, 7d, 2026-01-31 or 2026-01-31T12:00:00Z";

    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset since)
    {
        since = default;
        var s = text.Trim();
        if (s.Length >= 2 && char.IsAsciiDigit(s[0]) && s[^1] is 's' or 'm' or 'h' or 'd' &&
            long.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 100_000)
        {
            since = now - s[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
            return true;
        }
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out since);
    }
}
