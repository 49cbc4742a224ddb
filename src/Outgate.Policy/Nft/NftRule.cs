namespace Outgate.Policy;

/// <summary>A rule of a chain: statements in order, optional comment (at most 128 bytes, no quotes).</summary>
internal sealed record NftRule(IReadOnlyList<NftStatement> Statements, string? Comment = null);
