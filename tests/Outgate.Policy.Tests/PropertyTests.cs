using CsCheck;

namespace Outgate.Policy.Tests;

public sealed class PropertyTests
{
    [Fact]
    public void Matcher_agrees_with_the_naive_reference()
        => Gen.Select(Generators.Policies, Generators.Packets.Array[1, 30]).Sample((policy, packets) =>
        {
            var matcher = new PolicyMatcher(policy);
            foreach (var packet in packets)
            {
                var decision = matcher.Decide(packet);
                var (verdict, rule) = ReferenceMatcher.Decide(policy, packet);
                Assert.Equal((verdict, rule), (decision.Verdict, decision.RuleNumber));
            }
        }, iter: 3000);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Compiled_json_agrees_with_the_matcher(bool merge)
        => Gen.Select(Generators.Policies, Generators.Packets.Array[1, 30]).Sample((policy, packets) =>
        {
            var matcher = new PolicyMatcher(policy);
            var kernel = new NftJsonEvaluator(NftRulesetCompiler.Compile(policy, new NftCompileOptions { MergeIntoSets = merge }).CreateJson);
            foreach (var packet in packets)
            {
                Assert.Equal(matcher.Decide(packet).Verdict, kernel.Evaluate(packet));
            }
        }, iter: 2000);

    [Fact]
    public void Merging_never_changes_a_verdict_on_runs_of_similar_rules()
    {
        var similar =
            from port in Gen.OneOf(22, 53, 80, 443)
            from last in Gen.Int[0, 255]
            from action in Gen.OneOf(RuleAction.Allow, RuleAction.Deny)
            select new Rule { Action = action, Direction = Direction.Out, Protocol = Protocol.Tcp, To = System.Net.IPNetwork.Parse($"10.0.0.{last}/32"), ToPort = PortSpec.Single(port) };
        var packets =
            from last in Gen.Int[0, 255]
            from port in Gen.OneOf(22, 53, 80, 443)
            select new PacketFacts(Direction.Out, null, "eth0", 6, System.Net.IPAddress.Parse("10.9.9.9"), System.Net.IPAddress.Parse($"10.0.0.{last}"), 40000, port);
        Gen.Select(similar.Array[1, 40], packets.Array[1, 40]).Sample((rules, sample) =>
        {
            var policy = new FirewallPolicy { Rules = rules, Defaults = new Defaults { Outgoing = DefaultPolicy.Reject } };
            var matcher = new PolicyMatcher(policy);
            var kernel = new NftJsonEvaluator(NftRulesetCompiler.Compile(policy).CreateJson);
            foreach (var packet in sample)
            {
                Assert.Equal(matcher.Decide(packet).Verdict, kernel.Evaluate(packet));
            }
        }, iter: 1000);
    }

    [Fact]
    public void Parsing_the_ufw_string_of_a_rule_gives_the_rule_back()
        => Generators.ValidRules.Sample(rule =>
        {
            var parsed = UfwGrammar.ParseRule(rule.ToUfwTokens());
            Assert.True(parsed.Succeeded, rule.ToUfwString() + ": " + string.Join("; ", parsed.Errors));
            Assert.Equal(rule, parsed.Value);
            Assert.Equal(rule, UfwGrammar.ParseRule(Tokens.Split(rule.ToUfwString())).Value);
        }, iter: 3000);

    [Fact]
    public void Saving_and_loading_a_policy_gives_it_back()
        => Generators.Policies.Sample(policy =>
        {
            var text = PolicyTomlWriter.MainFile(policy);
            var loaded = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", text)]);
            Assert.True(loaded.Succeeded, text + string.Join("\n", loaded.Errors));
            Assert.Equal(policy, loaded.FileSet!.Policy);
        }, iter: 1000);

    [Fact]
    public void Rules_added_through_the_editor_load_back_in_order()
        => Generators.ValidRules.Array[0, 8].Sample(rules =>
        {
            var set = PolicyFileSet.FromFiles("/etc/outgate", []).FileSet!;
            var expected = new List<Rule>();
            foreach (var rule in rules)
            {
                var edit = set.AddRule(rule);
                if (edit.Outcome == PolicyEditOutcome.Changed)
                {
                    expected.Add(rule);
                    set = edit.FileSet!;
                }
            }

            Assert.Equal(expected, set.Policy.Rules);
            Assert.Equal(expected, PolicyFileSet.FromFiles("/etc/outgate", set.Files).FileSet!.Policy.Rules);
        }, iter: 500);

    [Fact]
    public void Compiling_never_throws_and_json_is_well_formed()
        => Generators.Policies.Sample(policy =>
        {
            var ruleset = NftRulesetCompiler.Compile(policy);
            Assert.Empty(NftJsonShape.Validate(ruleset.ReplaceJson));
            Assert.StartsWith("table inet outgate {", ruleset.Text, StringComparison.Ordinal);
        }, iter: 1000);

    [Fact]
    public void Status_never_throws()
        => Generators.Policies.Sample(policy =>
        {
            foreach (var view in Enum.GetValues<UfwStatusView>())
            {
                Assert.StartsWith("Status: active", UfwStatusFormatter.Format(policy, view, active: true), StringComparison.Ordinal);
            }
        }, iter: 500);
}
