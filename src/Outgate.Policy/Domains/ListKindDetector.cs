namespace Outgate.Policy.Domains;

/// <summary>
/// Tells a domain list from an IP/CIDR list by the first line that is not blank or a comment (<c>#</c>, <c>!</c>, <c>;</c>,
/// <c>[Adblock Plus]</c>): when that whole line is an address, a network or a range it is an address list. A hosts line
/// (<c>0.0.0.0 ads.example.com</c>) starts with an address but goes on with a name, so it is a domain list.
/// </summary>
public static class ListKindDetector
{
    /// <summary>Reads the start of <paramref name="path"/>; false with the reason (path included) when it cannot be read.</summary>
    public static bool TryDetect(string path, out ListKind kind, [NotNullWhen(false)] out string? error)
    {
        kind = ListKind.Domains;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            kind = Detect(stream);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read the list {path}: {ex.Message}";
            return false;
        }
    }

    /// <summary>The kind of the list in <paramref name="stream"/>; an empty list counts as a domain list.</summary>
    public static ListKind Detect(Stream stream)
    {
        var reader = new ListLineReader(stream);
        // Bounded: a file of only comments is read to its end, but one line decides any real list.
        while (reader.TryReadLine(out var line))
        {
            if (reader.LineTooLong)
            {
                return ListKind.Domains;
            }

            var comment = line.IndexOfAny("#;"u8);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            line = line.Trim(" \t"u8);
            if (line.IsEmpty || line[0] == (byte)'!' || (line[0] == (byte)'[' && line[^1] == (byte)']'))
            {
                continue;
            }

            return IsAddressEntry(line) ? ListKind.Addresses : ListKind.Domains;
        }

        return ListKind.Domains;
    }

    private static bool IsAddressEntry(ReadOnlySpan<byte> entry)
    {
        if (entry.IndexOfAny(" \t"u8) >= 0)
        {
            return false;
        }

        var dash = entry.IndexOf((byte)'-');
        if (dash >= 0)
        {
            return AddressText.TryParse(entry[..dash], out _, out _) && AddressText.TryParse(entry[(dash + 1)..], out _, out _);
        }

        var slash = entry.IndexOf((byte)'/');
        return AddressText.TryParse(slash < 0 ? entry : entry[..slash], out _, out _);
    }
}
