using System.Text.Json;

namespace Outgate.Policy.Tests;

public sealed class NftCompilerTests
{
    public static TheoryData<string> RecipeNames => new(Recipes.All.Keys);

    [Theory]
    [MemberData(nameof(RecipeNames))]
    public void Compiled_text_matches_the_golden_file(string recipe)
    {
        var ruleset = NftRulesetCompiler.Compile(Recipes.Build(recipe));
        var golden = TestData.PathOf($"nft/{recipe}.nft");
        var goldenJson = TestData.PathOf($"nft/{recipe}.json");
        if (Environment.GetEnvironmentVariable("OUTGATE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, ruleset.Text);
            File.WriteAllText(goldenJson, ruleset.ReplaceJson + "\n");
        }

        Assert.True(File.Exists(golden), $"missing golden {golden}; run with OUTGATE_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(golden), ruleset.Text);
        Assert.Equal(File.ReadAllText(goldenJson), ruleset.ReplaceJson + "\n");
    }

    [Theory]
    [MemberData(nameof(RecipeNames))]
    public void Json_has_the_libnftables_shape(string recipe)
    {
        var ruleset = NftRulesetCompiler.Compile(Recipes.Build(recipe));
        Assert.Empty(NftJsonShape.Validate(ruleset.CreateJson));
        Assert.Empty(NftJsonShape.Validate(ruleset.ReplaceJson));
        Assert.Empty(NftJsonShape.Validate(ruleset.DeleteJson));
    }

    [Fact]
    public void Replace_json_adds_deletes_then_creates_the_table_in_one_batch()
    {
        var ruleset = NftRulesetCompiler.Compile(FirewallPolicy.Default);
        using var json = JsonDocument.Parse(ruleset.ReplaceJson);
        var commands = json.RootElement.GetProperty("nftables").EnumerateArray().Take(3).Select(c => c.EnumerateObject().First().Name + " " + c.EnumerateObject().First().Value.EnumerateObject().First().Name);
        Assert.Equal(["add table", "delete table", "add table"], commands);
        Assert.DoesNotContain("delete", ruleset.CreateJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Chains_start_with_conntrack_loopback_and_icmp_then_user_rules()
    {
        var text = NftRulesetCompiler.Compile(Recipes.Build("vpn-only-proto")).Text;
        var output = text[text.IndexOf("chain output", StringComparison.Ordinal)..];
        var lines = output.Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal("type filter hook output priority filter; policy drop;", lines[1]);
        Assert.Equal("ct state established,related accept", lines[2]);
        Assert.Equal("tcp flags & (syn | ack) == ack ct state new accept comment \"pre-existing connections (conntrack mid-stream pickup)\"", lines[3]);
        Assert.Equal("ct state invalid drop", lines[4]);
        Assert.Equal("oif \"lo\" accept", lines[5]);
        Assert.Contains(lines, l => l.StartsWith("icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit } ip6 hoplimit 255 accept", StringComparison.Ordinal));
        Assert.Contains("oifname \"tun0\" udp dport 53 accept comment \"outgate rule 1: allow out on tun0 to any port 53 proto udp\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Routed_disabled_means_no_forward_chain()
    {
        Assert.DoesNotContain("chain forward", NftRulesetCompiler.Compile(FirewallPolicy.Default).Text, StringComparison.Ordinal);
        Assert.Contains("chain forward", NftRulesetCompiler.Compile(FirewallPolicy.Default with { Defaults = new Defaults { Routed = DefaultPolicy.Deny } }).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Consecutive_rules_of_one_shape_become_one_set_rule()
    {
        var rules = Enumerable.Range(1, 500).Select(i => Tokens.Rule($"allow out to 10.{i / 250}.{i % 250}.1 port 443 proto tcp")).ToArray();
        var ruleset = NftRulesetCompiler.Compile(new FirewallPolicy { Rules = rules, Defaults = new Defaults { Outgoing = DefaultPolicy.Deny } });
        var userLines = ruleset.Text.Split('\n').Where(l => l.Contains("outgate rule", StringComparison.Ordinal)).ToArray();
        var line = Assert.Single(userLines);
        Assert.Contains("comment \"outgate rules 1-500\"", line, StringComparison.Ordinal);
        Assert.StartsWith("\t\tip daddr { 10.0.1.1, 10.0.2.1,", line, StringComparison.Ordinal);

        var unmerged = NftRulesetCompiler.Compile(new FirewallPolicy { Rules = rules }, new NftCompileOptions { MergeIntoSets = false });
        Assert.Equal(500, unmerged.Text.Split('\n').Count(l => l.Contains("outgate rule ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Exact_keys_with_different_verdicts_become_a_verdict_map()
    {
        var rules = new[] { "allow out to 10.0.0.1", "deny out to 10.0.0.2", "allow out to 10.0.0.3", "deny out to 10.0.0.1", "allow out to 10.0.0.4" }.Select(Tokens.Rule).ToArray();
        var text = NftRulesetCompiler.Compile(new FirewallPolicy { Rules = rules }).Text;
        Assert.Contains("ip daddr vmap { 10.0.0.1 : accept, 10.0.0.2 : drop, 10.0.0.3 : accept, 10.0.0.4 : accept } comment \"outgate rules 1-5\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Networks_with_different_verdicts_stay_in_order()
    {
        var rules = new[] { "deny out to 10.0.0.0/24", "allow out to 10.0.0.0/8", "allow out to 192.168.0.0/16" }.Select(Tokens.Rule).ToArray();
        var text = NftRulesetCompiler.Compile(new FirewallPolicy { Rules = rules }).Text;
        Assert.Contains("ip daddr 10.0.0.0/24 drop comment \"outgate rule 1: deny out to 10.0.0.0/24\"\n\t\tip daddr { 10.0.0.0/8, 192.168.0.0/16 } accept comment \"outgate rules 2-3\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_differing_fields_become_a_concatenation()
    {
        var rules = new[] { "allow out to 10.0.0.1 port 80 proto tcp", "allow out to 10.0.0.2 port 443 proto tcp", "allow out to 10.1.0.0/16 port 8000:8080 proto tcp" }.Select(Tokens.Rule).ToArray();
        var ruleset = NftRulesetCompiler.Compile(new FirewallPolicy { Rules = rules });
        // exact keys fold; the network/range rule stays on its own (concatenated ranges may not overlap in the kernel)
        Assert.Contains("ip daddr . tcp dport { 10.0.0.1 . 80, 10.0.0.2 . 443 } accept comment \"outgate rules 1-2\"\n\t\tip daddr 10.1.0.0/16 tcp dport 8000-8080 accept", ruleset.Text, StringComparison.Ordinal);
        Assert.Empty(NftJsonShape.Validate(ruleset.ReplaceJson));
    }

    [Fact]
    public void Limit_uses_a_dynamic_set_per_family_then_accepts()
    {
        var text = NftRulesetCompiler.Compile(new FirewallPolicy { Rules = [Tokens.Rule("limit 22/tcp")] }).Text;
        Assert.Contains("set limit_1_v4 {\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 60s\n\t}", text, StringComparison.Ordinal);
        Assert.Contains("tcp dport 22 ct state new add @limit_1_v4 { ip saddr limit rate over 10/minute burst 5 packets } reject with tcp reset", text, StringComparison.Ordinal);
        Assert.Contains("tcp dport 22 ct state new add @limit_1_v6 { ip6 saddr limit rate over 10/minute burst 5 packets } reject with tcp reset", text, StringComparison.Ordinal);
        Assert.Contains("tcp dport 22 accept comment", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_reject_ends_the_chain_with_reset_and_admin_prohibited()
    {
        var text = NftRulesetCompiler.Compile(FirewallPolicy.Default with { Defaults = new Defaults { Outgoing = DefaultPolicy.Reject } }).Text;
        var output = text[text.IndexOf("chain output", StringComparison.Ordinal)..];
        Assert.Contains("meta l4proto tcp reject with tcp reset\n\t\treject with icmpx type admin-prohibited\n\t}", output, StringComparison.Ordinal);
        Assert.Contains("policy drop;", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LogLevel.Off, 0, 0)]
    [InlineData(LogLevel.Low, 1, 0)]
    [InlineData(LogLevel.Medium, 3, 0)]
    [InlineData(LogLevel.High, 1, 3)]
    [InlineData(LogLevel.Full, 0, 4)]
    public void Logging_levels_follow_ufw(LogLevel level, int limitedLogs, int unlimitedLogs)
    {
        var text = NftRulesetCompiler.Compile(FirewallPolicy.Default with { Logging = level }).Text;
        var input = text[text.IndexOf("chain input", StringComparison.Ordinal)..text.IndexOf("chain output", StringComparison.Ordinal)];
        var logs = input.Split('\n').Where(l => l.Contains(" log prefix", StringComparison.Ordinal) || l.TrimStart().StartsWith("log prefix", StringComparison.Ordinal)).ToArray();
        Assert.Equal(limitedLogs, logs.Count(l => l.Contains("limit rate 3/minute burst 10 packets", StringComparison.Ordinal)));
        Assert.Equal(unlimitedLogs, logs.Count(l => !l.Contains("limit rate", StringComparison.Ordinal)));
        if (level >= LogLevel.Low)
        {
            Assert.Contains("log prefix \"[OUTGATE BLOCK] \"", input, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Interface_wildcard_becomes_nft_star_and_ipv4_only_protocols_add_nfproto()
    {
        var text = NftRulesetCompiler.Compile(new FirewallPolicy { Rules = [Tokens.Rule("allow in on wg+ proto igmp from any")] }).Text;
        Assert.Contains("iifname \"wg*\" meta nfproto ipv4 meta l4proto 2 accept", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Panic_allows_only_loopback()
    {
        var text = NftRulesetCompiler.CompilePanic().Text;
        Assert.Equal(
            "table inet outgate {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tiif \"lo\" accept comment \"panic: loopback only\"\n\t}\n\n" +
            "\tchain output {\n\t\ttype filter hook output priority filter; policy drop;\n\t\toif \"lo\" accept comment \"panic: loopback only\"\n\t}\n\n" +
            "\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t}\n}\n",
            text);
        Assert.Empty(NftJsonShape.Validate(NftRulesetCompiler.CompilePanic().ReplaceJson));
    }

    [Fact]
    public void Table_name_is_configurable()
    {
        var ruleset = NftRulesetCompiler.Compile(FirewallPolicy.Default, new NftCompileOptions { TableName = "og_test" });
        Assert.StartsWith("table inet og_test {", ruleset.Text, StringComparison.Ordinal);
        Assert.Contains("\"table\":\"og_test\"", ruleset.CreateJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_rules_are_refused()
        => Assert.Throws<InvalidRuleException>(() => NftRulesetCompiler.Compile(new FirewallPolicy { Rules = [new Rule { Action = RuleAction.Allow, ToPort = new PortSpec([new PortRange(1, 2)]) }] }));
}
