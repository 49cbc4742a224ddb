namespace Outgate.Policy;

/// <summary>A base chain of type filter at priority filter (0) on <see cref="Hook"/>.</summary>
internal sealed record NftChain(string Name, string Hook, string Policy, IReadOnlyList<NftRule> Rules);
