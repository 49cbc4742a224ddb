namespace Outgate.Policy;

/// <summary>
/// A compiled table <c>inet &lt;TableName&gt;</c>.
/// <list type="bullet">
/// <item><see cref="Text"/>: readable <c>nft -f</c> text of the table (for <c>--dry-run</c> and golden tests), no delete prefix.</item>
/// <item><see cref="CreateJson"/>: libnftables JSON commands that add the table, chains, sets and rules in one transaction.</item>
/// <item><see cref="ReplaceJson"/>: the same preceded by <c>add table</c> + <c>delete table</c>, so one transaction replaces
/// the table whether or not it exists (nft's usual idiom); nothing else in the ruleset is touched.</item>
/// <item><see cref="DeleteJson"/>: removes the table (<c>add</c> then <c>delete</c>, so it also succeeds when absent).</item>
/// </list>
/// </summary>
public sealed record NftRuleset(
    string TableName,
    string Text,
    string CreateJson,
    string ReplaceJson,
    string DeleteJson,
    int NftRuleCount);
