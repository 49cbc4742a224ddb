namespace Outgate.Policy.Tests.Dns;

public sealed class DomainCompileTests : IDisposable
{
    private readonly ListFixture lists = new();

    private static readonly NftCompileOptions Options = new() { Accounts = AccountLookup.FromText("root:x:0:0::/root:/bin/sh\n", "root:x:0:\n") };

    public void Dispose() => lists.Dispose();

    private static FirewallPolicy Policy(params string[] lines) => new() { Rules = lines.Select(Tokens.Rule).ToArray() };

    private static string[] OutputRules(NftRuleset ruleset)
    {
        var text = ruleset.Text;
        var start = text.IndexOf("chain output {", StringComparison.Ordinal);
        return text[start..].Split('\n').Select(l => l.Trim()).Where(l => l.Contains("outgate rule", StringComparison.Ordinal)).ToArray();
    }

    [Fact]
    public void A_domain_rule_becomes_two_timeout_sets_and_one_rule_per_family()
    {
        var ruleset = NftRulesetCompiler.Compile(Policy("allow out to domain updates.example.com port 443 proto tcp"), Options);
        Assert.Contains("\tset dom_0_4 {\n\t\ttype ipv4_addr\n\t\tflags timeout\n\t}\n", ruleset.Text, StringComparison.Ordinal);
        Assert.Contains("\tset dom_0_6 {\n\t\ttype ipv6_addr\n\t\tflags timeout\n\t}\n", ruleset.Text, StringComparison.Ordinal);
        Assert.Equal(
        [
            "ip daddr @dom_0_4 tcp dport 443 accept comment \"outgate rule 1: allow out to domain updates.example.com port 443 proto tcp\"",
            "ip6 daddr @dom_0_6 tcp dport 443 accept comment \"outgate rule 1: allow out to domain updates.example.com port 443 proto tcp\"",
        ], OutputRules(ruleset));
        Assert.Contains("{\"add\":{\"set\":{\"family\":\"inet\",\"table\":\"outgate\",\"name\":\"dom_0_4\",\"type\":\"ipv4_addr\",\"flags\":[\"timeout\"]}}}", ruleset.CreateJson, StringComparison.Ordinal);
        Assert.Contains("\"right\":\"@dom_0_6\"", ruleset.CreateJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Program_rules_with_domains_stay_with_the_daemon_and_take_no_index()
    {
        var policy = Policy(
            "allow out app firefox to domain *.mozilla.org",
            "deny out app python3 to domain evil.example",
            "allow out user root to domain *.debian.org port 80,443 proto tcp",
            "deny out to domain evil.example");
        var ruleset = NftRulesetCompiler.Compile(policy, Options);
        Assert.Equal(
        [
            "meta skuid 0 ip daddr @dom_0_4 tcp dport { 80, 443 } accept comment \"outgate rule 3: allow out user root to domain *.debian.org port 80,443 proto tcp\"",
            "meta skuid 0 ip6 daddr @dom_0_6 tcp dport { 80, 443 } accept comment \"outgate rule 3: allow out user root to domain *.debian.org port 80,443 proto tcp\"",
            "ip daddr @dom_1_4 drop comment \"outgate rule 4: deny out to domain evil.example\"",
            "ip6 daddr @dom_1_6 drop comment \"outgate rule 4: deny out to domain evil.example\"",
        ], OutputRules(ruleset));
        var bindings = DomainSets.For(policy, DateTimeOffset.UtcNow);
        Assert.Equal(
        [
            new DomainSetBinding("dom_0_4", "dom_0_6", DomainPattern.Parse("*.debian.org"), null, 2, RuleAction.Allow),
            new DomainSetBinding("dom_1_4", "dom_1_6", DomainPattern.Parse("evil.example"), null, 3, RuleAction.Deny),
        ], bindings);
    }

    [Fact]
    public void Expired_domain_rules_keep_their_sets_and_index_but_lose_their_rules()
    {
        var now = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        var policy = new FirewallPolicy
        {
            Rules =
            [
                Tokens.Rule("allow out to domain a.example") with { Expires = now.AddMinutes(-1) },
                Tokens.Rule("allow out to domain b.example"),
            ],
        };
        var ruleset = NftRulesetCompiler.Compile(policy, Options with { Now = now });
        Assert.Contains("set dom_0_4", ruleset.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("@dom_0_4", ruleset.Text, StringComparison.Ordinal);
        Assert.Contains("@dom_1_4", ruleset.Text, StringComparison.Ordinal);
        var binding = Assert.Single(DomainSets.For(policy, now));
        Assert.Equal("dom_1_4", binding.SetName4);
        Assert.Equal(1, binding.RuleIndex);
    }

    [Fact]
    public void An_ip_list_becomes_interval_sets_filled_at_compile_time()
    {
        var path = lists.Write("ips.netset", "# FireHOL\n192.0.2.0/24 ; SBL1\n192.0.2.7\n198.51.100.10-198.51.100.20\n2001:db8::/32\n");
        var policy = Policy($"deny out to list {path} port 22 proto tcp");
        var ruleset = NftRulesetCompiler.Compile(policy, Options);
        Assert.Contains("\tset list_0_4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = { 192.0.2.0/24, 198.51.100.10-198.51.100.20 }\n\t}\n", ruleset.Text, StringComparison.Ordinal);
        Assert.Contains("elements = { 2001:db8::/32 }", ruleset.Text, StringComparison.Ordinal);
        Assert.Contains("{\"add\":{\"element\":{\"family\":\"inet\",\"table\":\"outgate\",\"name\":\"list_0_4\",\"elem\":[{\"prefix\":{\"addr\":\"192.0.2.0\",\"len\":24}},{\"range\":[\"198.51.100.10\",\"198.51.100.20\"]}]}}}", ruleset.CreateJson, StringComparison.Ordinal);
        Assert.Contains("ip daddr @list_0_4 tcp dport 22 drop", ruleset.Text, StringComparison.Ordinal);
        Assert.Empty(DomainSets.For(policy, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_domain_list_becomes_timeout_sets_the_daemon_fills()
    {
        var path = lists.Write("ads.txt", "# hosts\n0.0.0.0 ads.example.com\n0.0.0.0 tracker.example.net\n");
        var policy = Policy($"deny out to list {path}");
        var ruleset = NftRulesetCompiler.Compile(policy, Options);
        Assert.Contains("ip daddr @dom_0_4 drop", ruleset.Text, StringComparison.Ordinal);
        Assert.Equal(new DomainSetBinding("dom_0_4", "dom_0_6", null, path, 0, RuleAction.Deny), Assert.Single(DomainSets.For(policy, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public void A_missing_list_fails_the_compile_with_path_and_reason()
    {
        var path = Path.Combine(lists.Directory, "missing.txt");
        var ex = Assert.Throws<InvalidRuleException>(() => NftRulesetCompiler.Compile(Policy($"deny out to list {path}"), Options));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot read the list", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_that_is_mostly_garbage_fails_the_compile()
    {
        var path = lists.Write("bad.netset", "192.0.2.0/24\n" + string.Concat(Enumerable.Repeat("not an address\n", 20)));
        var ex = Assert.Throws<InvalidRuleException>(() => NftRulesetCompiler.Compile(Policy($"deny out to list {path}"), Options));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dns_required_adds_seen_and_exempt_sets_and_rejects_right_after_the_head()
    {
        var policy = Policy("allow out to 10.9.0.0/16", "allow out to 2001:db8::1 port 443 proto tcp", "deny out to 10.8.0.0/16") with { DnsRequired = true };
        var ruleset = NftRulesetCompiler.Compile(policy, Options);
        var text = ruleset.Text;
        Assert.Contains("\tset dns_seen_4 {\n\t\ttype ipv4_addr\n\t\tflags timeout\n\t}\n", text, StringComparison.Ordinal);
        Assert.Contains("\tset dns_exempt_4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = { 10.9.0.0/16, 127.0.0.0/8 }\n\t}\n", text, StringComparison.Ordinal);
        Assert.Contains("elements = { ::1, 2001:db8::1 }", text, StringComparison.Ordinal);
        var dhcp = text.IndexOf("udp sport 546 udp dport 547 accept", StringComparison.Ordinal);
        var required = text.IndexOf("ct state new ip daddr != @dns_seen_4 ip daddr != @dns_exempt_4 tcp dport != 53 reject with tcp reset", StringComparison.Ordinal);
        var daemon = text.IndexOf("comment \"daemon allowed\"", StringComparison.Ordinal);
        Assert.True(dhcp > 0 && required > dhcp && daemon > required, text);
        Assert.Contains("ct state new ip6 daddr != @dns_seen_6 ip6 daddr != @dns_exempt_6 meta l4proto != { tcp, udp } reject", text, StringComparison.Ordinal);
        Assert.Contains("{\"match\":{\"op\":\"!=\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"daddr\"}},\"right\":\"@dns_seen_4\"}}", ruleset.CreateJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Block_doh_adds_the_shipped_resolvers_and_rejects_443_and_853()
    {
        var ruleset = NftRulesetCompiler.Compile(new FirewallPolicy { BlockDoh = true }, Options);
        Assert.Contains("set doh_4 {", ruleset.Text, StringComparison.Ordinal);
        Assert.Contains("1.1.1.1-1.1.1.3", ruleset.Text, StringComparison.Ordinal);
        Assert.Contains("2001:4860:4860::8888", ruleset.Text, StringComparison.Ordinal);
        Assert.Contains("ip daddr @doh_4 tcp dport { 443, 853 } reject with tcp reset", ruleset.Text, StringComparison.Ordinal);
        Assert.Contains("ip6 daddr @doh_6 udp dport { 443, 853 } reject", ruleset.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("dns_seen", ruleset.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Policies_without_dns_features_compile_as_before()
    {
        var ruleset = NftRulesetCompiler.Compile(Policy("allow out 443/tcp"), Options);
        Assert.DoesNotContain("\tset ", ruleset.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"op\":\"!=\"", ruleset.CreateJson, StringComparison.Ordinal);
    }
}
