using Outgate.Policy.Domains;

namespace Outgate.Policy;

/// <summary>
/// The names a policy's rules care about, for the daemon's DNS tracker: <see cref="Covers(ReadOnlySpan{char})"/> answers
/// "does any <c>to domain</c> pattern or domain <c>to list</c> name this?" without allocating, so the tracker only keeps
/// (and only writes into sets) the answers that matter. Every rule counts, program rules and expired ones included
/// (the tracker remembers a little more than needed, never less). <c>dns-required</c> is separate: its <c>dns_seen</c>
/// sets want every answer, see <see cref="FirewallPolicy.DnsRequired"/>. Build one per policy; thread-safe.
/// </summary>
public sealed class DomainRules
{
    private readonly DomainSuffixSet patterns;
    private readonly string[] listPaths;
    private readonly DomainListCache lists;

    private DomainRules(DomainSuffixSet patterns, string[] listPaths, DomainListCache lists)
    {
        this.patterns = patterns;
        this.listPaths = listPaths;
        this.lists = lists;
    }

    /// <summary>True when no rule names a destination by DNS.</summary>
    public bool IsEmpty => patterns.Count == 0 && listPaths.Length == 0;

    /// <summary>Prepares the rules of <paramref name="policy"/>; <paramref name="lists"/> loads list files (default: a private cache).</summary>
    public static DomainRules For(FirewallPolicy policy, DomainListCache? lists = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var builder = new DomainSuffixSetBuilder(16);
        var paths = new List<string>();
        foreach (var rule in policy.Rules)
        {
            if (rule.ToDomain is { } pattern)
            {
                // Patterns are validated names, so Add cannot refuse them.
                builder.Add(pattern.Domain.AsSpan(), pattern.IsWildcard ? DomainMatchScope.SubdomainsOnly : DomainMatchScope.Exact);
            }
            else if (rule.ToList is { } path && !paths.Contains(path, StringComparer.Ordinal))
            {
                paths.Add(path);
            }
        }

        return new DomainRules(builder.Build(), [.. paths], lists ?? new DomainListCache());
    }

    /// <summary>Shorthand for <c>For(policy, lists).Covers(name)</c>; build a <see cref="DomainRules"/> once when asking often.</summary>
    public static bool Covers(FirewallPolicy policy, string name, DomainListCache? lists = null) => For(policy, lists).Covers(name);

    /// <summary>True when a rule's domain pattern or a domain list file matches <paramref name="name"/> (case and a trailing dot ignored).</summary>
    public bool Covers(ReadOnlySpan<char> name)
    {
        if (patterns.Contains(name))
        {
            return true;
        }

        foreach (var path in listPaths)
        {
            if (lists.Get(path).ContainsName(name))
            {
                return true;
            }
        }

        return false;
    }
}
