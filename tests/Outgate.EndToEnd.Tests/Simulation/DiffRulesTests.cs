using Outgate.Cli.PolicyTools;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Simulation;

/// <summary>The rule side of <c>outgate policy diff</c>: pure, over policies parsed from TOML.</summary>
public class DiffRulesTests
{
    private static FirewallPolicy Policy(string text)
    {
        var errors = new List<string>();
        var policy = SimulationFiles.Validate([new SimulationFile("p.toml", text)], errors);
        Assert.True(policy is not null, string.Join("\n", errors));
        return policy!;
    }

    private static string Rule(int port) => $"\n[[rule]]\naction = \"allow\"\ndirection = \"out\"\nproto = \"tcp\"\nto_port = {port}\n";

    [Fact]
    public void Identical_policies_have_no_changes()
    {
        var p = Policy(Rule(22) + Rule(443));
        Assert.Empty(DiffRules.Compare(p, p));
    }

    [Fact]
    public void Added_removed_replaced_and_defaults_are_named_with_rule_numbers()
    {
        var a = Policy("[defaults]\noutgoing = \"allow\"\n" + Rule(22) + Rule(80) + Rule(443));
        var b = Policy("dns-required = true\n[defaults]\noutgoing = \"deny\"\n" + Rule(22) + Rule(8080) + Rule(443) + Rule(53));
        var changes = DiffRules.Compare(a, b);
        Assert.Contains("~ default outgoing: allow → deny", changes);
        Assert.Contains("~ dns-required: off → on", changes);
        Assert.Contains(changes, c => c.StartsWith("~ [2] ", StringComparison.Ordinal) && c.Contains("80") && c.Contains("[2] allow out") && c.Contains("8080"));
        Assert.Contains(changes, c => c.StartsWith("+ [4] ", StringComparison.Ordinal) && c.Contains("53"));
        Assert.DoesNotContain(changes, c => c.Contains("443"));
    }

    [Fact]
    public void A_rule_that_changes_place_is_reported_as_moved_not_removed()
    {
        var a = Policy(Rule(22) + Rule(80) + Rule(443));
        var b = Policy(Rule(443) + Rule(22) + Rule(80));
        var changes = DiffRules.Compare(a, b);
        Assert.Contains(changes, c => c.Contains("moved") && c.Contains("443"));
        Assert.DoesNotContain(changes, c => c.StartsWith('-') || c.StartsWith('+'));
    }
}
