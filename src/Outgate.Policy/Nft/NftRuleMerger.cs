namespace Outgate.Policy;

/// <summary>
/// Folds runs of consecutive rules that are identical except for one address or port match into one rule with an
/// anonymous set (<c>ip daddr { a, b, c } accept</c>). Only verdict-only rules (accept/drop, no logging) are folded, and only
/// consecutive ones, so first-match order is unchanged: within a run all rules have the same verdict.
/// </summary>
internal static class NftRuleMerger
{
    public static IEnumerable<NftRule> Merge(List<(NftRule Rule, bool Mergeable, int Number)> rules)
    {
        var output = new List<NftRule>();
        var i = 0;
        while (i < rules.Count)
        {
            var (first, mergeable, number) = rules[i];
            if (!mergeable)
            {
                output.Add(first);
                i++;
                continue;
            }

            var texts = Texts(first);
            var varying = -1;
            var elements = new List<NftExpression>();
            var last = number;
            var j = i + 1;
            for (; j < rules.Count && rules[j].Mergeable; j++)
            {
                var candidate = Texts(rules[j].Rule);
                var index = SingleDifference(texts, candidate);
                if (index < 0 || (varying >= 0 && index != varying) || !IsMergeableMatch(first.Statements[index]) || !SameLeft(first.Statements[index], rules[j].Rule.Statements[index]))
                {
                    break;
                }

                if (varying < 0)
                {
                    varying = index;
                    AddElements(elements, ((NftMatch)first.Statements[index]).Right);
                }

                AddElements(elements, ((NftMatch)rules[j].Rule.Statements[index]).Right);
                last = rules[j].Number;
            }

            if (varying < 0)
            {
                output.Add(first);
                i++;
                continue;
            }

            var statements = first.Statements.ToArray();
            var match = (NftMatch)statements[varying];
            statements[varying] = match with { Right = new NftSetExpression(Distinct(elements)) };
            output.Add(new NftRule(statements, $"outgate rules {number}-{last}"));
            i = j;
        }

        return output;
    }

    private static string[] Texts(NftRule rule) => rule.Statements.Select(s =>
    {
        var text = new StringBuilder();
        s.WriteText(text);
        return text.ToString();
    }).ToArray();

    private static int SingleDifference(string[] a, string[] b)
    {
        if (a.Length != b.Length)
        {
            return -1;
        }

        var index = -1;
        for (var k = 0; k < a.Length; k++)
        {
            if (a[k] != b[k])
            {
                if (index >= 0)
                {
                    return -1;
                }

                index = k;
            }
        }

        return index;
    }

    private static bool IsMergeableMatch(NftStatement statement)
        => statement is NftMatch { Left: NftPayloadExpression { Field: "saddr" or "daddr" or "sport" or "dport" } };

    private static bool SameLeft(NftStatement a, NftStatement b)
    {
        if (a is not NftMatch left || b is not NftMatch right)
        {
            return false;
        }

        var (x, y) = (new StringBuilder(), new StringBuilder());
        left.Left.WriteText(x);
        right.Left.WriteText(y);
        return x.ToString() == y.ToString();
    }

    private static void AddElements(List<NftExpression> elements, NftExpression right)
    {
        if (right is NftSetExpression set)
        {
            elements.AddRange(set.Elements);
        }
        else
        {
            elements.Add(right);
        }
    }

    private static NftExpression[] Distinct(List<NftExpression> elements)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<NftExpression>();
        foreach (var element in elements)
        {
            var text = new StringBuilder();
            element.WriteText(text);
            if (seen.Add(text.ToString()))
            {
                result.Add(element);
            }
        }

        return result.ToArray();
    }
}
