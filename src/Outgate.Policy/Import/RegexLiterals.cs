namespace Outgate.Policy.Import;

/// <summary>
/// Reads the few regular-expression shapes OpenSnitch users write that mean a fixed set of strings:
/// <c>^literal$</c>, <c>^(a|b|c)$</c>, <c>literal</c> (unanchored: noted, since Go's MatchString also matches substrings).
/// Escaped characters (<c>\.</c>) become literals; any other metacharacter makes the pattern unconvertible.
/// </summary>
internal static class RegexLiterals
{
    private const string Meta = ".*+?()[]{}|^$\\";

    /// <summary>The literal alternatives, or null when the pattern is a real regular expression.</summary>
    /// <param name="anchored">False when the pattern had no <c>^…$</c>: it matched substrings in OpenSnitch.</param>
    /// <param name="bareDots">True when an unescaped <c>.</c> was read as a literal dot (only when <paramref name="allowBareDots"/>).</param>
    public static IReadOnlyList<string>? TryRead(string pattern, bool allowBareDots, out bool anchored, out bool bareDots)
    {
        bareDots = false;
        anchored = pattern.StartsWith('^') && pattern.EndsWith('$') && !pattern.EndsWith("\\$", StringComparison.Ordinal);
        var body = anchored ? pattern[1..^1] : pattern;
        if (body.StartsWith('(') && body.EndsWith(')') && !body.EndsWith("\\)", StringComparison.Ordinal))
        {
            body = body[1..^1];
        }

        var alternatives = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\\' && i + 1 < body.Length && !char.IsAsciiLetterOrDigit(body[i + 1]))
            {
                current.Append(body[++i]);
            }
            else if (c == '|')
            {
                alternatives.Add(current.ToString());
                current.Clear();
            }
            else if (c == '.' && allowBareDots && i + 1 < body.Length && body[i + 1] is not ('*' or '+' or '?' or '{'))
            {
                bareDots = true;
                current.Append('.');
            }
            else if (Meta.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }
            else
            {
                current.Append(c);
            }
        }

        alternatives.Add(current.ToString());
        return alternatives.Any(a => a.Length == 0) ? null : alternatives;
    }

    /// <summary>
    /// Domain patterns in a host regexp: <c>^(.*\.)?example\.com$</c> → <c>*.example.com</c> and <c>example.com</c>;
    /// <c>^.*\.example\.com$</c> or <c>.*\.example\.com</c> → <c>*.example.com</c>; literals → exact names.
    /// </summary>
    public static IReadOnlyList<string>? TryReadHosts(string pattern, out bool bareDots, out bool anchored)
    {
        var text = pattern;
        var start = text.StartsWith('^');
        var end = text.EndsWith('$') && !text.EndsWith("\\$", StringComparison.Ordinal);
        var inner = text[(start ? 1 : 0)..(end ? ^1 : ^0)];
        foreach (var (prefix, withApex) in new[] { (@"(.*\.)?", true), (@"(.+\.)?", true), (@"([^.]+\.)*", true), (@".*\.", false), (@".+\.", false) })
        {
            if (inner.StartsWith(prefix, StringComparison.Ordinal))
            {
                var domain = TryRead("^" + inner[prefix.Length..] + "$", allowBareDots: true, out _, out bareDots);
                anchored = end;
                if (domain is not { Count: 1 })
                {
                    return null;
                }

                return withApex ? ["*." + domain[0], domain[0]] : ["*." + domain[0]];
            }
        }

        return TryRead(pattern, allowBareDots: true, out anchored, out bareDots);
    }
}
