namespace Outgate.Policy.Domains;

/// <summary>Which names a <see cref="DomainSuffixSet"/> entry matches. Flags: an entry added twice with different scopes matches both ways.</summary>
[Flags]
public enum DomainMatchScope : byte
{
    /// <summary>Only the name itself (hosts-file lines).</summary>
    Exact = 1,

    /// <summary>Only names below it: <c>*.example.com</c> matches <c>a.example.com</c>, not <c>example.com</c>.</summary>
    SubdomainsOnly = 2,

    /// <summary>The name and every name below it (plain lines, adblock <c>||example.com^</c>).</summary>
    DomainAndSubdomains = Exact | SubdomainsOnly,
}
