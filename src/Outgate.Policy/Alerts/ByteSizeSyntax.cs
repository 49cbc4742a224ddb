namespace Outgate.Policy;

/// <summary>
/// Byte counts in <c>[alerts]</c>: an integer number of bytes, or a number with a unit. SI units are powers of 1000
/// (<c>kB</c>/<c>KB</c>, <c>MB</c>, <c>GB</c>, <c>TB</c>), IEC units powers of 1024 (<c>KiB</c>, <c>MiB</c>, <c>GiB</c>, <c>TiB</c>), as
/// <c>ls --si</c> and <c>ls -h</c> print them. A fraction is allowed when the result is whole bytes ("1.5MB").
/// </summary>
public static class ByteSizeSyntax
{
    public const string Examples = "\"20MB\", \"512KiB\", \"1.5GB\" or an integer number of bytes";

    /// <summary>1 PB: bigger than any window's traffic, small enough that nothing overflows.</summary>
    public const long Max = 1_000_000_000_000_000;

    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("B", 1), ("kB", 1000), ("KB", 1000), ("MB", 1000_000), ("GB", 1000_000_000), ("TB", 1000_000_000_000),
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
    ];

    public static bool TryParse(string text, out long bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = 0;
        var trimmed = text.Trim();
        var numberEnd = 0;
        while (numberEnd < trimmed.Length && (char.IsAsciiDigit(trimmed[numberEnd]) || trimmed[numberEnd] == '.')) numberEnd++;
        if (numberEnd == 0 || !decimal.TryParse(trimmed.AsSpan(0, numberEnd), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            error = $"'{Quote.Escape(text)}' is not a size: expected {Examples}";
            return false;
        }

        var unit = trimmed[numberEnd..].Trim();
        long factor = 1;
        if (unit.Length > 0)
        {
            factor = Array.Find(Units, u => u.Suffix == unit).Factor;
            if (factor == 0)
            {
                // "mb" or "Mb" (megabits?) are ambiguous enough to refuse rather than guess; name the spelling we take.
                var near = Array.Find(Units, u => string.Equals(u.Suffix, unit, StringComparison.OrdinalIgnoreCase)).Suffix;
                error = $"unknown size unit '{Quote.Escape(unit)}' in '{Quote.Escape(text)}': "
                    + (near is null ? "use B, kB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024)" : $"did you mean '{near}'?");
                return false;
            }
        }

        if (number > Max / (decimal)factor)
        {
            error = $"size '{Quote.Escape(text)}' is too large: at most 1 PB";
            return false;
        }

        var exact = number * factor;
        if (exact != decimal.Truncate(exact))
        {
            error = $"size '{Quote.Escape(text)}' is not a whole number of bytes";
            return false;
        }

        bytes = (long)exact;
        error = null;
        return true;
    }

    /// <summary>The largest unit that represents <paramref name="bytes"/> exactly ("20MB", "512KiB", "1234B"); parses back to the same value.</summary>
    public static string Format(long bytes)
    {
        foreach (var (suffix, factor) in new[] { ("TiB", 1L << 40), ("TB", 1000_000_000_000L), ("GiB", 1L << 30), ("GB", 1000_000_000L), ("MiB", 1L << 20), ("MB", 1000_000L), ("KiB", 1L << 10), ("kB", 1000L) })
        {
            if (bytes != 0 && bytes % factor == 0) return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }
}
