using Outgate.Policy.Domains;

namespace Outgate.Policy;

/// <summary>
/// The domain a rule's destination is named by: an exact name (<c>updates.example.com</c>) or a wildcard
/// (<c>*.mozilla.org</c>). A wildcard matches every name strictly below its domain (<c>cdn.mozilla.org</c>,
/// <c>a.b.mozilla.org</c>) but NOT the domain itself: write a second rule for <c>mozilla.org</c> when it matters.
/// That is how DNS wildcards and TLS certificates read <c>*.</c>, so the pattern means what it looks like.
/// Normalised: lower case, no trailing dot, internationalised names in their xn-- (punycode) form.
/// Equality compares the normalised text.
/// </summary>
public sealed record DomainPattern
{
    private DomainPattern(string domain, bool isWildcard)
    {
        Domain = domain;
        IsWildcard = isWildcard;
    }

    /// <summary>The domain without the <c>*.</c>: <c>mozilla.org</c> for <c>*.mozilla.org</c>.</summary>
    public string Domain { get; }

    /// <summary>True for <c>*.domain</c> (names strictly below the domain).</summary>
    public bool IsWildcard { get; }

    /// <summary>The normalised pattern as written in rules: <c>*.mozilla.org</c> or <c>updates.example.com</c>.</summary>
    public override string ToString() => IsWildcard ? "*." + Domain : Domain;

    /// <summary>Parses a pattern; throws <see cref="InvalidRuleException"/> (and nothing else) when it is not one.</summary>
    public static DomainPattern Parse(string text)
    {
        if (!TryParse(text, out var pattern, out var error))
        {
            PolicyThrow.InvalidDomain(text ?? "", error);
        }

        return pattern;
    }

    /// <summary>Parses a pattern; on failure <paramref name="error"/> says what is wrong and how to write it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DomainPattern? pattern, [NotNullWhen(false)] out string? error)
    {
        pattern = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty domain: give a name like 'updates.example.com' or '*.mozilla.org'";
            return false;
        }

        var body = text.Trim();
        var wildcard = false;
        if (body.StartsWith('*'))
        {
            if (body == "*")
            {
                error = "'*' alone is every name: write 'to any' for any destination, or '*.example.com' for the names below a domain";
                return false;
            }

            if (!body.StartsWith("*.", StringComparison.Ordinal) || body.Length == 2 || body == "*..")
            {
                error = $"'{Quote.Escape(text)}': '*.' must be followed by a domain: '*.mozilla.org'";
                return false;
            }

            wildcard = true;
            body = body[2..];
        }

        if (body.Contains('*', StringComparison.Ordinal))
        {
            error = $"'{Quote.Escape(text)}': '*' is only allowed as the first label, as in '*.mozilla.org' (no 'ads*.example.com' or 'a.*.example.com')";
            return false;
        }

        if (body.Any(c => c > 0x7f))
        {
            try
            {
                body = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = false }.GetAscii(body.TrimEnd('.'));
            }
            catch (ArgumentException ex)
            {
                error = $"'{Quote.Escape(text)}' is not a valid internationalised domain name ({ex.Message.Split(". ")[0]}); write it in its xn-- form";
                return false;
            }
        }

        if (body.Length > 1 && body.EndsWith("..", StringComparison.Ordinal))
        {
            error = $"'{Quote.Escape(text)}' has an empty label (two dots in a row, or a leading dot)";
            return false;
        }

        var bytes = new byte[body.Length];
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] > 0x7f)
            {
                error = DomainNameSyntax.Describe(DomainNameError.NotAscii, Encoding.UTF8.GetBytes(body));
                return false;
            }

            bytes[i] = (byte)body[i];
        }

        Span<byte> normalized = stackalloc byte[Math.Max(bytes.Length, DomainNameSyntax.MaxLength)];
        var problem = DomainNameSyntax.Normalize(bytes, normalized, out var length);
        if (problem != DomainNameError.None)
        {
            error = DomainNameSyntax.Describe(problem, bytes);
            return false;
        }

        var domain = Encoding.ASCII.GetString(normalized[..length]);
        if (domain.Length > DomainNameSyntax.MaxLength - (wildcard ? 2 : 0))
        {
            error = $"'{Quote.Escape(text)}' is longer than {DomainNameSyntax.MaxLength} characters, which DNS cannot carry";
            return false;
        }

        pattern = new DomainPattern(domain, wildcard);
        error = null;
        return true;
    }

    /// <summary>
    /// True when <paramref name="name"/> (as DNS answered it; case and one trailing dot ignored) is this exact name, or for a
    /// wildcard a name strictly below the domain. Allocates nothing.
    /// </summary>
    public bool Matches(ReadOnlySpan<char> name)
    {
        if (name.Length > 1 && name[^1] == '.')
        {
            name = name[..^1];
        }

        if (!IsWildcard)
        {
            return name.Equals(Domain, StringComparison.OrdinalIgnoreCase);
        }

        return name.Length > Domain.Length + 1
            && name[^(Domain.Length + 1)] == '.'
            && name[^Domain.Length..].Equals(Domain, StringComparison.OrdinalIgnoreCase)
            && name[^(Domain.Length + 2)] != '.';
    }

    /// <summary>Same as <see cref="Matches(ReadOnlySpan{char})"/>.</summary>
    public bool Matches(string name) => name is not null && Matches(name.AsSpan());
}
