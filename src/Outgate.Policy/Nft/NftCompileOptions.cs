namespace Outgate.Policy;

/// <summary>Options of <see cref="NftRulesetCompiler"/>.</summary>
public sealed record NftCompileOptions
{
    /// <summary>Name of the table in family inet. Default <c>outgate</c>; tests may use another to run side by side.</summary>
    public string TableName { get; init; } = NftRulesetCompiler.DefaultTableName;

    /// <summary>
    /// Merge consecutive rules that differ only in one address or port field into one nft rule with an anonymous set
    /// (same first-match result, cost independent of the run length). Default true.
    /// </summary>
    public bool MergeIntoSets { get; init; } = true;
}
