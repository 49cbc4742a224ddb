namespace Outgate.Policy;

/// <summary>Rule expiry times as written in policy files: RFC 3339 in UTC (<c>2026-01-02T03:04:05Z</c>), fractions only when present.</summary>
internal static class RuleTimestamp
{
    public static string Format(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses an RFC 3339 date-time with an offset (<c>Z</c> or <c>+02:00</c>); a time without one is refused as ambiguous.</summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        var t = text.Trim();
        var hasOffset = t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 6 && t[^6] is '+' or '-' && t[^3] == ':');
        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value) && hasOffset && t.Contains('T', StringComparison.OrdinalIgnoreCase);
    }
}
