namespace Outgate.Policy.Domains;

/// <summary>
/// One <c>to list</c> file as <see cref="DomainListCache"/> holds it. <see cref="Error"/> is set when the last load failed
/// (the file is missing, unreadable or mostly not a list); the sets then hold the last good load, or nothing.
/// </summary>
public sealed record LoadedList(
    string Path,
    ListKind Kind,
    DomainSuffixSet Domains,
    AddressRangeSet Addresses,
    IReadOnlyList<ListWarning> Warnings,
    string? Error)
{
    /// <summary>True when the last load succeeded.</summary>
    public bool IsUsable => Error is null;

    /// <summary>A name matches a domain list (and never an address list).</summary>
    public bool ContainsName(ReadOnlySpan<char> name) => Kind == ListKind.Domains && Domains.Contains(name);

    /// <summary>An address matches an address list (and never a domain list).</summary>
    public bool ContainsAddress(IPAddress address) => Kind == ListKind.Addresses && Addresses.Contains(address);
}
