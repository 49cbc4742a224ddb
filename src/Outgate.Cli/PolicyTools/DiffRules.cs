using System.Globalization;
using Outgate.Policy;

namespace Outgate.Cli.PolicyTools;

/// <summary>
/// The changes from policy A to policy B as lines a person reads: defaults and switches first, then the rules aligned
/// like diff(1) (a longest common subsequence, because order matters: first match wins), in ufw form with their numbers.
/// <c>- [3] allow …</c> is A's rule 3, gone in B; <c>+ [4] deny …</c> is B's rule 4, new; <c>~</c> pairs a rule
/// replaced in place; <c>moved</c> marks a rule both have at different places.
/// </summary>
public static class DiffRules
{
    // Beyond this the O(n·m) alignment costs too much memory; a set difference (no "moved") still says what changed.
    private const long MaxAlignCells = 25_000_000;

    public static IReadOnlyList<string> Compare(FirewallPolicy a, FirewallPolicy b)
    {
        var lines = new List<string>();
        foreach (var direction in new[] { Direction.Out, Direction.In, Direction.Forward })
        {
            var (da, db) = (a.Defaults.For(direction), b.Defaults.For(direction));
            if (da != db) lines.Add($"~ default {Name(direction)}: {Lower(da)} → {Lower(db)}");
        }
        if (a.Logging != b.Logging) lines.Add($"~ logging: {Lower(a.Logging)} → {Lower(b.Logging)}");
        if (a.DnsRequired != b.DnsRequired) lines.Add($"~ dns-required: {OnOff(a.DnsRequired)} → {OnOff(b.DnsRequired)}");
        if (a.BlockDoh != b.BlockDoh) lines.Add($"~ block-doh: {OnOff(a.BlockDoh)} → {OnOff(b.BlockDoh)}");
        if (a.DnsGrace != b.DnsGrace) lines.Add(string.Create(CultureInfo.InvariantCulture, $"~ dns-grace: {a.DnsGrace.TotalSeconds}s → {b.DnsGrace.TotalSeconds}s"));
        if (a.FailOpen != b.FailOpen) lines.Add($"~ fail-open: {OnOff(a.FailOpen)} → {OnOff(b.FailOpen)}");
        lines.AddRange((long)a.Rules.Count * b.Rules.Count <= MaxAlignCells ? Aligned(a.Rules, b.Rules) : SetDifference(a.Rules, b.Rules));
        return lines;
    }

    private static IEnumerable<string> Aligned(IReadOnlyList<Rule> a, IReadOnlyList<Rule> b)
    {
        int n = a.Count, m = b.Count;
        // lcs[i, j]: length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
            for (var j = m - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var removed = new List<int>();
        var added = new List<int>();
        var lines = new List<string>();
        void Flush()
        {
            var paired = Math.Min(removed.Count, added.Count);
            for (var k = 0; k < paired; k++)
                lines.Add($"~ [{removed[k] + 1}] {a[removed[k]].ToUfwString()}  →  [{added[k] + 1}] {b[added[k]].ToUfwString()}");
            for (var k = paired; k < removed.Count; k++) lines.Add(Removed(a, b, removed[k]));
            for (var k = paired; k < added.Count; k++) lines.Add(Added(a, b, added[k]));
            removed.Clear();
            added.Clear();
        }
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[x] == b[y]) { Flush(); x++; y++; }
            else if (y >= m || (x < n && lcs[x + 1, y] >= lcs[x, y + 1])) removed.Add(x++);
            else added.Add(y++);
        }
        Flush();
        return lines;
    }

    private static string Removed(IReadOnlyList<Rule> a, IReadOnlyList<Rule> b, int i)
    {
        var at = IndexOf(b, a[i]);
        return at >= 0 ? $"  moved: [{i + 1}] → [{at + 1}] {a[i].ToUfwString()}" : $"- [{i + 1}] {a[i].ToUfwString()}";
    }

    private static string Added(IReadOnlyList<Rule> a, IReadOnlyList<Rule> b, int j)
    {
        var at = IndexOf(a, b[j]);
        // A moved rule is reported once, from A's side.
        return at >= 0 ? $"  moved here: [{j + 1}] {b[j].ToUfwString()}" : $"+ [{j + 1}] {b[j].ToUfwString()}";
    }

    private static int IndexOf(IReadOnlyList<Rule> rules, Rule rule)
    {
        for (var i = 0; i < rules.Count; i++) if (rules[i] == rule) return i;
        return -1;
    }

    private static IEnumerable<string> SetDifference(IReadOnlyList<Rule> a, IReadOnlyList<Rule> b)
    {
        var inB = b.ToHashSet();
        var inA = a.ToHashSet();
        for (var i = 0; i < a.Count; i++) if (!inB.Contains(a[i])) yield return $"- [{i + 1}] {a[i].ToUfwString()}";
        for (var j = 0; j < b.Count; j++) if (!inA.Contains(b[j])) yield return $"+ [{j + 1}] {b[j].ToUfwString()}";
    }

    private static string Name(Direction d) => d switch { Direction.Out => "outgoing", Direction.In => "incoming", _ => "routed" };
    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
    private static string OnOff(bool on) => on ? "on" : "off";
}
