using Outgate.Policy.Domains;

namespace Outgate.Policy;

/// <summary>
/// A named set of the table. <see cref="NftSetKind.Meter"/>: the dynamic per-source sets of <c>limit</c> rules
/// (<see cref="Size"/> and default <see cref="TimeoutSeconds"/>). <see cref="NftSetKind.Timeout"/>: address sets the daemon
/// fills with per-element timeouts (domain answers, dns_seen). <see cref="NftSetKind.Interval"/>: networks and ranges
/// filled at compile time (<see cref="Elements"/>: address lists, dns_exempt, doh).
/// </summary>
internal sealed record NftSet(string Name, string Type, int Size, int TimeoutSeconds, NftSetKind Kind = NftSetKind.Meter)
{
    /// <summary>Interval sets: the ranges to add (disjoint and not touching, as <see cref="AddressRangeSet"/> keeps them).</summary>
    public IReadOnlyList<AddressRange> Elements { get; init; } = [];

    public static NftSet Timeout(string name, bool v4) => new(name, v4 ? "ipv4_addr" : "ipv6_addr", 0, 0, NftSetKind.Timeout);

    public static NftSet Interval(string name, bool v4, IReadOnlyList<AddressRange> elements)
        => new(name, v4 ? "ipv4_addr" : "ipv6_addr", 0, 0, NftSetKind.Interval) { Elements = elements };
}

/// <summary>How a <see cref="NftSet"/> is declared.</summary>
internal enum NftSetKind
{
    /// <summary><c>flags dynamic,timeout</c> with a size and default timeout (rules add elements).</summary>
    Meter,

    /// <summary><c>flags timeout</c>, no default timeout: every element is added with its own (the daemon's DNS answers).</summary>
    Timeout,

    /// <summary><c>flags interval; auto-merge</c> with elements given at compile time.</summary>
    Interval,
}
