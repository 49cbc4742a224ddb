namespace Outgate.Policy;

/// <summary>
/// Folds runs of consecutive verdict-only rules (accept/drop, no logging) that differ only in payload matches with the
/// same left-hand side (addresses, ports) into one lookup, so cost does not grow with the run:
/// <list type="bullet">
/// <item>same verdict, one differing match: <c>ip daddr { a, b, c } accept</c>;</item>
/// <item>same verdict, several differing matches: a concatenation <c>ip daddr . tcp dport { a . 80, b . 443 } accept</c>;</item>
/// <item>different verdicts, exact values only: a verdict map <c>ip daddr . tcp dport vmap { a . 80 : accept, b . 443 : drop }</c>
/// (a repeated key keeps its first verdict, as first-match would).</item>
/// </list>
/// Only consecutive rules are folded, so first-match order is unchanged (property-tested against the matcher).
/// </summary>
internal static class NftRuleMerger
{
    public static IEnumerable<NftRule> Merge(List<(NftRule Rule, bool Mergeable, int Number)> rules)
    {
        var output = new List<NftRule>();
        var texts = rules.Select(r => Texts(r.Rule)).ToArray();
        var i = 0;
        while (i < rules.Count)
        {
            var (first, mergeable, number) = rules[i];
            if (!mergeable || i + 1 >= rules.Count || !rules[i + 1].Mergeable || Difference(first, texts[i], rules[i + 1].Rule, texts[i + 1], requireMatch: true) is not { } positions)
            {
                output.Add(first);
                i++;
                continue;
            }

            var verdictPosition = first.Statements.Count - 1;
            var vmap = positions.Contains(verdictPosition);
            var matchPositions = positions.Where(p => p != verdictPosition).Order().ToArray();
            var j = i;
            for (; j < rules.Count && rules[j].Mergeable; j++)
            {
                if (j > i && (Difference(first, texts[i], rules[j].Rule, texts[j], requireMatch: false) is not { } diff || !diff.All(positions.Contains) || (!vmap && diff.Contains(verdictPosition))))
                {
                    break;
                }

                if (!Acceptable(rules[j].Rule, matchPositions, vmap))
                {
                    break;
                }
            }

            if (j - i < 2)
            {
                output.Add(first);
                i++;
                continue;
            }

            output.Add(Fold(rules, i, j, matchPositions, vmap));
            i = j;
        }

        return output;
    }

    private static NftRule Fold(List<(NftRule Rule, bool Mergeable, int Number)> rules, int start, int end, int[] positions, bool vmap)
    {
        var first = rules[start].Rule;
        var lefts = positions.Select(p => ((NftMatch)first.Statements[p]).Left).ToArray();
        var key = lefts.Length == 1 ? lefts[0] : new NftConcatExpression(lefts);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var elements = new List<NftExpression>();
        var entries = new List<(NftExpression, NftVerdict)>();
        for (var r = start; r < end; r++)
        {
            var statements = rules[r].Rule.Statements;
            var rights = positions.Select(p => ((NftMatch)statements[p]).Right).ToArray();
            var candidates = rights.Length == 1 && rights[0] is NftSetExpression set ? set.Elements : [rights.Length == 1 ? rights[0] : new NftConcatExpression(rights)];
            foreach (var element in candidates)
            {
                if (seen.Add(Text(element)))
                {
                    elements.Add(element);
                    if (vmap)
                    {
                        entries.Add((element, (NftVerdict)statements[^1]));
                    }
                }
            }
        }

        var kept = first.Statements.Where((_, index) => !positions.Contains(index) && !(vmap && index == first.Statements.Count - 1)).ToList();
        var comment = $"outgate rules {rules[start].Number}-{rules[end - 1].Number}";
        if (vmap)
        {
            kept.Add(new NftVerdictMap(key, entries));
        }
        else
        {
            kept.Insert(positions[0] - positions.Count(p => p < positions[0]), new NftMatch(key, new NftSetExpression(elements)));
        }

        return new NftRule(kept, comment);
    }

    /// <summary>Positions where two rules differ, if every difference is foldable; null otherwise.</summary>
    private static HashSet<int>? Difference(NftRule a, string[] aTexts, NftRule b, string[] bTexts, bool requireMatch)
    {
        if (aTexts.Length != bTexts.Length)
        {
            return null;
        }

        var positions = new HashSet<int>();
        for (var k = 0; k < aTexts.Length; k++)
        {
            if (aTexts[k] == bTexts[k])
            {
                continue;
            }

            var foldable = (a.Statements[k], b.Statements[k]) switch
            {
                (NftVerdict, NftVerdict) => k == aTexts.Length - 1,
                (NftMatch { Left: NftPayloadExpression { Field: "saddr" or "daddr" or "sport" or "dport" } left }, NftMatch other) => Text(left) == Text(other.Left),
                _ => false,
            };
            if (!foldable)
            {
                return null;
            }

            positions.Add(k);
        }

        return !requireMatch || positions.Any(p => p != aTexts.Length - 1) ? positions : null;
    }

    /// <summary>
    /// Verdict maps and concatenations need exact keys (single ports, host addresses): the kernel's concatenated-range
    /// sets (pipapo) refuse overlapping elements with EEXIST, and a verdict map over overlapping ranges would lose first-match
    /// order. A single differing match may hold networks, ranges and lists: nft merges overlapping intervals of one dimension.
    /// </summary>
    private static bool Acceptable(NftRule rule, int[] positions, bool vmap)
    {
        if (!vmap && positions.Length == 1)
        {
            return true;
        }

        foreach (var position in positions)
        {
            if (((NftMatch)rule.Statements[position]).Right is not (NftLiteral or NftPrefixExpression { IsHost: true }))
            {
                return false;
            }
        }

        return true;
    }

    private static string[] Texts(NftRule rule) => rule.Statements.Select(Text).ToArray();

    private static string Text(NftStatement statement)
    {
        var text = new StringBuilder();
        statement.WriteText(text);
        return text.ToString();
    }

    private static string Text(NftExpression expression)
    {
        var text = new StringBuilder();
        expression.WriteText(text);
        return text.ToString();
    }
}
