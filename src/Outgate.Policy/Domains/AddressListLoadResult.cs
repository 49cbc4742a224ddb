namespace Outgate.Policy.Domains;

/// <summary>What loading one IP/CIDR list produced. Loading never throws; everything wrong is in <see cref="Warnings"/>.</summary>
public sealed record AddressListLoadResult
{
    public required string File { get; init; }

    public required AddressRangeSet Set { get; init; }

    public int Lines { get; init; }

    /// <summary>Entries read (before merging; the set's ranges are fewer when entries overlap or touch).</summary>
    public int Entries { get; init; }

    /// <summary>Entries written with host bits set (<c>10.0.0.1/8</c>); they were read as their network.</summary>
    public int HostBitsCleared { get; init; }

    public int BadLines { get; init; }

    public required IReadOnlyList<ListWarning> Warnings { get; init; }

    /// <summary>The file could not be read, or most of it is not an address list: keep the previous list.</summary>
    public bool IsUnusable { get; init; }
}
