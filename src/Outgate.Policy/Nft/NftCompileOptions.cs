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

    /// <summary>
    /// Resolves <c>user</c>/<c>group</c> subject names to ids. Default: the local /etc/passwd and /etc/group, read only
    /// when a rule names an account (an unknown name fails the compile with <see cref="InvalidRuleException"/>).
    /// </summary>
    public AccountLookup Accounts { get; init; } = AccountLookup.System();

    /// <summary>When set, rules whose <see cref="Rule.Expires"/> is at or before this instant are left out. Default null (keep all).</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>When set, until-reboot rules (<see cref="Rule.BootId"/>) of another boot are left out. Default null (keep all).</summary>
    public string? CurrentBootId { get; init; }
}
