namespace Outgate.Policy.Domains;

/// <summary>
/// Loads an IP list in FireHOL netset style: one address, CIDR (<c>192.0.2.0/24</c>, <c>2001:db8::/32</c>) or
/// range (<c>192.0.2.10-192.0.2.20</c>) per line; <c>#</c> and <c>;</c> start comments (Spamhaus DROP writes
/// <c>192.0.2.0/24 ; SBL123</c>). Never throws; bad lines become <see cref="ListWarning"/>s with file:line.
/// </summary>
public static class AddressListReader
{
    public static AddressListLoadResult ReadFile(string path)
        => ListFile.Read(path, Read, message => new AddressListLoadResult
        {
            File = path,
            Set = AddressRangeSet.Empty,
            IsUnusable = true,
            Warnings = [new ListWarning(path, 0, message)],
        });

    public static AddressListLoadResult Read(Stream stream, string file)
    {
        var builder = new AddressRangeSetBuilder();
        var warnings = new ListWarnings(file);
        var reader = new ListLineReader(stream);
        int bad = 0, hostBits = 0;
        while (reader.TryReadLine(out var line))
        {
            var comment = line.IndexOfAny("#;"u8);
            if (comment >= 0) line = line[..comment].TrimEnd(" \t"u8);
            if (line.IsEmpty && !reader.LineTooLong) continue;
            var problem = reader.LineTooLong ? "line longer than 64 KiB; not a list line" : TryAdd(line, builder, ref hostBits);
            if (problem is null) continue;
            bad++;
            if (warnings.Note()) warnings.Keep(reader.LineNumber, problem.Replace("{0}", ListWarnings.Escape(line), StringComparison.Ordinal));
        }

        var unusable = ListWarnings.LooksMalformed(bad, builder.Count);
        if (unusable) warnings.AddSummary($"{bad} of {bad + builder.Count} entries are not addresses; is this an IP list? (expected: 192.0.2.0/24 or 2001:db8::1 per line)");
        return new AddressListLoadResult
        {
            File = file,
            Set = builder.Build(),
            Lines = reader.LineNumber,
            Entries = builder.Count,
            HostBitsCleared = hostBits,
            BadLines = bad,
            Warnings = warnings.ToList(),
            IsUnusable = unusable,
        };
    }

    /// <summary>Adds one entry; returns null, or a message with <c>{0}</c> where the line goes.</summary>
    private static string? TryAdd(ReadOnlySpan<byte> entry, AddressRangeSetBuilder builder, ref int hostBits)
    {
        var dash = entry.IndexOf((byte)'-');
        if (dash >= 0)
        {
            if (!AddressText.TryParse(entry[..dash].Trim((byte)' '), out var first, out var firstIsIPv6) ||
                !AddressText.TryParse(entry[(dash + 1)..].Trim((byte)' '), out var last, out var lastIsIPv6))
                return "'{0}' is not an address range (expected: 192.0.2.10-192.0.2.20)";
            if (firstIsIPv6 != lastIsIPv6) return "'{0}' mixes IPv4 and IPv6";
            if (last < first) return "'{0}' ends before it starts";
            builder.Add(new AddressRange(first, last, firstIsIPv6));
            return null;
        }

        var slash = entry.IndexOf((byte)'/');
        if (!AddressText.TryParse(slash < 0 ? entry : entry[..slash], out var address, out var isIPv6))
            return "'{0}' is not an IP address or network (expected: 192.0.2.0/24, 192.0.2.1 or 2001:db8::/32)";
        var maxPrefix = isIPv6 ? 128 : 32;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var digits = entry[(slash + 1)..];
            if (digits.Length is 0 or > 3 || digits.IndexOfAnyExcept("0123456789"u8) >= 0 || (prefix = int.Parse(digits, CultureInfo.InvariantCulture)) > maxPrefix)
                return $"'{{0}}' has a bad prefix length (use 0-{maxPrefix})";
        }

        var hostMask = prefix == 0 ? (isIPv6 ? UInt128.MaxValue : uint.MaxValue) : ((UInt128.One << (maxPrefix - prefix)) - 1);
        if ((address & hostMask) != 0) hostBits++;
        builder.AddPrefix(address, prefix, isIPv6);
        return null;
    }
}
