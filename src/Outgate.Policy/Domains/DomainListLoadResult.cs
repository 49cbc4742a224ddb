namespace Outgate.Policy.Domains;

/// <summary>What loading one domain list produced. Loading never throws; everything wrong is in <see cref="Warnings"/>.</summary>
public sealed record DomainListLoadResult
{
    public required string File { get; init; }

    public required DomainSuffixSet Set { get; init; }

    public int Lines { get; init; }

    /// <summary>Names added, duplicates included (the set's <see cref="DomainSuffixSet.Count"/> has them once).</summary>
    public int Names { get; init; }

    /// <summary>Blank and comment lines (<c>#</c>, <c>!</c>, <c>[Adblock ...]</c> headers).</summary>
    public int CommentLines { get; init; }

    /// <summary>Hosts entries for the machine itself (<c>localhost</c>, <c>broadcasthost</c>, <c>ip6-*</c>...), skipped on purpose.</summary>
    public int LocalNames { get; init; }

    /// <summary>Adblock lines that are not domain blocks: <c>@@</c> exceptions, <c>##</c> cosmetic rules, rules with paths, wildcards or <c>$options</c>.</summary>
    public int UnsupportedAdblockLines { get; init; }

    /// <summary>Lines or names refused; the first ones are in <see cref="Warnings"/>.</summary>
    public int BadLines { get; init; }

    public required IReadOnlyList<ListWarning> Warnings { get; init; }

    /// <summary>The file could not be read, or most of it is not in the expected format: keep the previous list.</summary>
    public bool IsUnusable { get; init; }
}
