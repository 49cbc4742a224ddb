namespace Outgate.Policy.Domains;

/// <summary>
/// Loads a domain list (hosts, plain or adblock style; see <see cref="DomainListFormat"/>) into a
/// <see cref="DomainSuffixSet"/>. Streams the file as bytes; never throws and never stops at a bad line: each one
/// becomes a <see cref="ListWarning"/> with file:line. A file that cannot be read or is mostly not a list comes back
/// with <see cref="DomainListLoadResult.IsUnusable"/> set, so a reload can keep the list it has.
/// </summary>
public static class DomainListReader
{
    public static DomainListLoadResult ReadFile(string path, DomainListFormat format = DomainListFormat.Auto)
        => ListFile.Read(path, (stream, file) => Read(stream, file, format), message => new DomainListLoadResult
        {
            File = path,
            Set = DomainSuffixSet.Empty,
            IsUnusable = true,
            Warnings = [new ListWarning(path, 0, message)],
        });

    public static DomainListLoadResult Read(Stream stream, string file, DomainListFormat format = DomainListFormat.Auto)
    {
        var builder = new DomainSuffixSetBuilder(stream.CanSeek ? (int)Math.Min(stream.Length / 24, 10_000_000) : 1024);
        var warnings = new ListWarnings(file);
        var reader = new ListLineReader(stream);
        int comments = 0, local = 0, adblock = 0, bad = 0;
        while (reader.TryReadLine(out var line))
        {
            var number = reader.LineNumber;
            if (reader.LineTooLong)
            {
                bad++;
                if (warnings.Note()) warnings.Keep(number, "line longer than 64 KiB; not a list line");
                continue;
            }

            if (line.IsEmpty || line[0] is (byte)'!' || (line[0] == (byte)'[' && line[^1] == (byte)']'))
            {
                comments++;
                continue;
            }

            if (IsAdblockOnly(line))
            {
                adblock++;
                continue;
            }

            if (line[0] == (byte)'#')
            {
                comments++;
                continue;
            }

            var outcome = line.StartsWith("||"u8)
                ? (format is DomainListFormat.Auto or DomainListFormat.Adblock ? ReadAdblock(line, builder, number, warnings) : LineOutcome.WrongFormat)
                : ReadHostsOrPlain(StripComment(line), builder, format, number, warnings, ref local);
            switch (outcome)
            {
                case LineOutcome.Unsupported:
                    adblock++;
                    break;
                case LineOutcome.Bad:
                    bad++;
                    break;
                case LineOutcome.WrongFormat:
                    bad++;
                    if (warnings.Note()) warnings.Keep(number, WrongFormat(line, format));
                    break;
            }
        }

        var set = builder.Build();
        var unusable = ListWarnings.LooksMalformed(bad, builder.Count);
        if (unusable)
            warnings.AddSummary($"{bad} of {bad + builder.Count} entries are not usable; is this a {(format == DomainListFormat.Auto ? "domain list" : format.ToString().ToLowerInvariant() + " file")}? ({Example(format)})");
        return new DomainListLoadResult
        {
            File = file,
            Set = set,
            Lines = reader.LineNumber,
            Names = builder.Count,
            CommentLines = comments,
            LocalNames = local,
            UnsupportedAdblockLines = adblock,
            BadLines = bad,
            Warnings = warnings.ToList(),
            IsUnusable = unusable,
        };
    }

    private enum LineOutcome { Added, Unsupported, Bad, WrongFormat }

    private static string WrongFormat(ReadOnlySpan<byte> line, DomainListFormat format)
    {
        var quoted = ListWarnings.Escape(line);
        if (AddressText.LooksLikeAddress(line)) return $"'{quoted}' is an address without a name; addresses belong in an IP list";
        return format == DomainListFormat.Auto
            ? $"'{quoted}' is not a domain list line ({Example(format)})"
            : $"'{quoted}' is not a {format.ToString().ToLowerInvariant()} line ({Example(format)})";
    }

    private static string Example(DomainListFormat format) => format switch
    {
        DomainListFormat.Hosts => "expected: 0.0.0.0 ads.example.com",
        DomainListFormat.Plain => "expected: one domain per line, like ads.example.com",
        DomainListFormat.Adblock => "expected: ||ads.example.com^",
        _ => "expected: ads.example.com, 0.0.0.0 ads.example.com or ||ads.example.com^",
    };

    /// <summary>Exception rules (<c>@@</c>) and element hiding (<c>##</c>, <c>#@#</c>, <c>#?#</c>, <c>#$#</c>) have no meaning at the DNS level.</summary>
    private static bool IsAdblockOnly(ReadOnlySpan<byte> line) =>
        line.StartsWith("@@"u8) || line.IndexOf("##"u8) >= 0 || line.IndexOf("#@#"u8) >= 0 || line.IndexOf("#?#"u8) >= 0 || line.IndexOf("#$#"u8) >= 0;

    private static ReadOnlySpan<byte> StripComment(ReadOnlySpan<byte> line)
    {
        var hash = line.IndexOf((byte)'#');
        return (hash < 0 ? line : line[..hash]).TrimEnd(" \t"u8);
    }

    /// <summary><c>||example.com^</c>: the domain and its subdomains. Anything more specific than a whole domain is skipped.</summary>
    private static LineOutcome ReadAdblock(ReadOnlySpan<byte> line, DomainSuffixSetBuilder builder, int number, ListWarnings warnings)
    {
        var body = line[2..];
        var caret = body.IndexOf((byte)'^');
        // "$important" and friends restrict or re-rank a rule for browsers; without them "||d^" is a plain domain block.
        if (caret <= 0 || caret != body.Length - 1) return LineOutcome.Unsupported;
        var domain = body[..caret];
        if (domain.IndexOfAny("*/:|"u8) >= 0) return LineOutcome.Unsupported;
        return Add(builder, domain, DomainMatchScope.DomainAndSubdomains, number, warnings);
    }

    private static LineOutcome ReadHostsOrPlain(ReadOnlySpan<byte> line, DomainSuffixSetBuilder builder, DomainListFormat format, int number, ListWarnings warnings, ref int local)
    {
        var space = line.IndexOfAny(" \t"u8);
        var first = space < 0 ? line : line[..space];
        var firstIsAddress = AddressText.LooksLikeAddress(first);
        if (space < 0 && !firstIsAddress)
        {
            if (format is not (DomainListFormat.Auto or DomainListFormat.Plain)) return LineOutcome.WrongFormat;
            var scope = DomainMatchScope.DomainAndSubdomains;
            if (first.StartsWith("*."u8))
            {
                first = first[2..];
                scope = DomainMatchScope.SubdomainsOnly;
            }

            return Add(builder, first, scope, number, warnings);
        }

        if (format is not (DomainListFormat.Auto or DomainListFormat.Hosts) || !firstIsAddress || space < 0) return LineOutcome.WrongFormat;
        var names = line[space..];
        var outcome = LineOutcome.Added;
        while (true)
        {
            names = names.TrimStart(" \t"u8);
            if (names.IsEmpty) return outcome;
            var end = names.IndexOfAny(" \t"u8);
            var name = end < 0 ? names : names[..end];
            names = end < 0 ? default : names[end..];
            if (IsLocalName(name))
            {
                local++;
                continue;
            }

            if (Add(builder, name, DomainMatchScope.Exact, number, warnings) == LineOutcome.Bad) outcome = LineOutcome.Bad;
        }
    }

    private static LineOutcome Add(DomainSuffixSetBuilder builder, ReadOnlySpan<byte> name, DomainMatchScope scope, int number, ListWarnings warnings)
    {
        var error = builder.Add(name, scope);
        if (error == DomainNameError.None) return LineOutcome.Added;
        if (warnings.Note()) warnings.Keep(number, DomainNameSyntax.Describe(error, name));
        return LineOutcome.Bad;
    }

    /// <summary>The names every hosts file starts with for the machine itself; blocking them would break the machine.</summary>
    private static bool IsLocalName(ReadOnlySpan<byte> name) =>
        Ascii.EqualsIgnoreCase(name, "localhost"u8) || Ascii.EqualsIgnoreCase(name, "localhost.localdomain"u8) ||
        Ascii.EqualsIgnoreCase(name, "local"u8) || Ascii.EqualsIgnoreCase(name, "broadcasthost"u8) ||
        Ascii.EqualsIgnoreCase(name, "0.0.0.0"u8) || name.StartsWith("ip6-"u8);
}
