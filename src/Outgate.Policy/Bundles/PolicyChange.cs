namespace Outgate.Policy;

/// <summary>
/// What replacing one policy with another changes, in ufw words: <c>default outgoing: allow → deny</c>, then
/// <c>- allow out 53</c> for each rule only the old policy has and <c>+ deny out to 10.0.0.0/8</c> for each rule only the new one has
/// (rules compared as ufw commands, so moving a rule between files or changing its comment is no change).
/// </summary>
public static class PolicyChange
{
    public static IReadOnlyList<string> Describe(FirewallPolicy before, FirewallPolicy after)
    {
        var lines = new List<string>();
        void Setting(string name, string a, string b)
        {
            if (a != b) lines.Add($"  {name}: {a} -> {b}");
        }
        Setting("default incoming", Name(before.Defaults.Incoming), Name(after.Defaults.Incoming));
        Setting("default outgoing", Name(before.Defaults.Outgoing), Name(after.Defaults.Outgoing));
        Setting("default routed", Name(before.Defaults.Routed), Name(after.Defaults.Routed));
        Setting("logging", Name(before.Logging), Name(after.Logging));
        Setting("fail-open", OnOff(before.FailOpen), OnOff(after.FailOpen));
        Setting("dns-required", OnOff(before.DnsRequired), OnOff(after.DnsRequired));
        Setting("block-doh", OnOff(before.BlockDoh), OnOff(after.BlockDoh));
        Setting("dns-grace", before.DnsGrace.ToString(), after.DnsGrace.ToString());

        var old = before.Rules.Select(Text).ToList();
        var @new = after.Rules.Select(Text).ToList();
        foreach (var rule in Minus(old, @new)) lines.Add($"- {rule}");
        foreach (var rule in Minus(@new, old)) lines.Add($"+ {rule}");
        if (lines.Count == 0 && !old.SequenceEqual(@new)) lines.Add("  rule order changed (same rules)");
        return lines;
    }

    private static string Text(Rule rule)
    {
        var text = rule.ToUfwString();
        if (rule.Expires is { } e) text += $" (expires {RuleTimestamp.Format(e)})";
        if (rule.BootId is not null) text += " (until reboot)";
        return text;
    }

    /// <summary>Multiset difference, in the order of <paramref name="a"/>.</summary>
    private static IEnumerable<string> Minus(List<string> a, List<string> b)
    {
        var left = b.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        foreach (var x in a)
        {
            if (left.TryGetValue(x, out var n) && n > 0) left[x] = n - 1;
            else yield return x;
        }
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string OnOff(bool on) => on ? "on" : "off";
}
