using System.Text.Json.Nodes;
using Outgate.Cli.Firewall;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Rules;

public class ConntrackPickupTests
{
    [Fact]
    public void The_pickup_rule_follows_established_accept_in_input_and_output_only_once()
    {
        var compiled = NftRulesetCompiler.Compile(FirewallPolicy.Default with { Defaults = new Defaults { Outgoing = DefaultPolicy.Deny, Routed = DefaultPolicy.Deny } });
        var doc = ConntrackPickup.AddTo(JsonNode.Parse(compiled.CreateJson)!);
        ConntrackPickup.AddTo(doc);
        var rules = doc["nftables"]!.AsArray().Select(i => i?["add"]?["rule"]).Where(r => r is not null).ToList();
        foreach (var chain in new[] { "input", "output" })
        {
            var inChain = rules.Where(r => (string?)r!["chain"] == chain).ToList();
            Assert.Equal(ConntrackPickup.Comment, (string?)inChain[1]!["comment"]);
            Assert.Single(inChain, r => (string?)r!["comment"] == ConntrackPickup.Comment);
        }
        Assert.DoesNotContain(rules, r => (string?)r!["chain"] == "forward" && (string?)r!["comment"] == ConntrackPickup.Comment);
    }
}
