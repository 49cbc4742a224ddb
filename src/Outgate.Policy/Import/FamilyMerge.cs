namespace Outgate.Policy.Import;

/// <summary>
/// ufw keeps IPv4 and IPv6 rules in two lists and writes a rule without addresses to both; Outgate has one list in which such a
/// rule covers both families. Merging keeps each list's order: an IPv6 rule is placed just after the last rule it followed that
/// both lists share, so <c>deny from 2001:db8::/32 port 22</c> before <c>allow 22</c> in user6.rules stays before it.
/// </summary>
internal static class FamilyMerge
{
    public static List<ImportedRule> Merge(IReadOnlyList<ImportedRule> v4, IReadOnlyList<ImportedRule> v6)
    {
        var merged = v4.ToList();
        var cursor = 0;
        foreach (var rule in v6)
        {
            var at = merged.FindIndex(cursor, m => SameRule(m.Rule, rule.Rule));
            if (at < 0)
            {
                at = merged.FindIndex(m => SameRule(m.Rule, rule.Rule));
            }

            if (at >= 0)
            {
                cursor = Math.Max(cursor, at + 1);
                continue;
            }

            merged.Insert(cursor, rule);
            cursor++;
        }

        return merged;
    }

    private static bool SameRule(Rule a, Rule b) => a with { Comment = null } == b with { Comment = null };
}
