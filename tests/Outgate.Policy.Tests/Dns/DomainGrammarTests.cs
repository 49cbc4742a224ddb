using System.Net;
using CsCheck;

namespace Outgate.Policy.Tests.Dns;

public sealed class DomainGrammarTests
{
    [Theory]
    [InlineData("allow out app firefox to domain '*.mozilla.org'", "allow out app firefox to domain '*.mozilla.org'")]
    [InlineData("allow out to domain updates.example.com port 443", "allow out to domain updates.example.com port 443")]
    [InlineData("allow out to domain updates.example.com port 443 proto tcp", "allow out to domain updates.example.com port 443 proto tcp")]
    [InlineData("deny out to list /etc/outgate/lists/ads.txt", "deny out to list /etc/outgate/lists/ads.txt")]
    [InlineData("deny out app python3 to domain evil.example", "deny out app python3 to domain evil.example")]
    [InlineData("allow out to domain Updates.Example.COM. port https", "allow out to domain updates.example.com port 443 proto tcp")]
    [InlineData("allow out on eth0 from 10.0.0.0/8 to domain '*.example.com' port 80,443 proto tcp comment 'web'", "allow out on eth0 from 10.0.0.0/8 to domain '*.example.com' port 80,443 proto tcp comment 'web'")]
    public void The_issue_commands_parse_and_print_back(string line, string printed)
    {
        var rule = Tokens.Rule(line);
        Assert.Equal(printed, rule.ToUfwString());
        Assert.Equal(rule, UfwGrammar.ParseRule(rule.ToUfwTokens()).Value);
        Assert.Equal(rule, Tokens.Rule(rule.ToUfwString()));
    }

    [Fact]
    public void Domain_and_list_fill_the_model()
    {
        var domain = Tokens.Rule("allow out app firefox to domain '*.mozilla.org'");
        Assert.Equal(DomainPattern.Parse("*.mozilla.org"), domain.ToDomain);
        Assert.Null(domain.To);
        Assert.Equal(AddressFamilies.Both, domain.Families);
        var list = Tokens.Rule("deny out to list /etc/outgate/lists/ads.txt");
        Assert.Equal("/etc/outgate/lists/ads.txt", list.ToList);
        Assert.Equal(RuleAction.Deny, list.Action);
    }

    [Theory]
    [InlineData("allow out to domain", "Option 'to domain' missing required argument")]
    [InlineData("allow out to list", "Option 'to list' missing required argument")]
    [InlineData("allow out to domain ads*.example.com", "'*' is only allowed as the first label")]
    [InlineData("allow out to domain '*.'", "'*.' must be followed by a domain")]
    [InlineData("allow out to list lists/ads.txt", "give an absolute path")]
    [InlineData("allow out to domain a.example to 10.0.0.1", "'to' given twice")]
    [InlineData("allow out to 10.0.0.1 to domain a.example", "'to' given twice")]
    [InlineData("allow in to domain a.example", "outgoing rules only")]
    [InlineData("limit out to domain a.example port 22 proto tcp", "'limit' cannot be combined with 'to domain'")]
    [InlineData("allow out to domain a.example port 80,443", "Must specify 'tcp' or 'udp'")]
    public void Bad_domain_rules_are_refused_with_the_reason(string line, string expected)
    {
        var result = UfwGrammar.ParseCommand(Tokens.Split(line));
        Assert.False(result.Succeeded, line);
        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_rule_with_two_destinations_does_not_validate()
    {
        var rule = new Rule { Action = RuleAction.Allow, Direction = Direction.Out, To = IPNetwork.Parse("10.0.0.0/8"), ToDomain = DomainPattern.Parse("a.example") };
        Assert.Contains(rule.Validate(), p => p.Contains("one destination", StringComparison.Ordinal));
    }

    private static readonly Gen<Rule> DomainRules =
        from action in Gen.OneOf(RuleAction.Allow, RuleAction.Deny, RuleAction.Reject)
        from useList in Gen.Bool
        from name in Gen.OneOf("a.example", "*.mozilla.org", "updates.example.com", "*.xn--bcher-kva.example")
        from path in Gen.OneOf("/etc/outgate/lists/ads.txt", "/var/lib/lists/ips.netset")
        from protocol in Gen.OneOf(Protocol.Any, Protocol.Tcp, Protocol.Udp)
        from port in Gen.Frequency((1, Gen.Const((PortSpec?)null)), (2, Gen.Int[1, 65535].Select(p => (PortSpec?)PortSpec.Single(p))))
        from app in Gen.Frequency((2, Gen.Const((string?)null)), (1, Gen.OneOf("firefox", "/usr/bin/python3").Select(a => (string?)a)))
        from comment in Gen.Frequency((3, Gen.Const((string?)null)), (1, Gen.Const((string?)"by list")))
        select new Rule
        {
            Action = action,
            Direction = Direction.Out,
            Protocol = protocol,
            ToDomain = useList ? null : DomainPattern.Parse(name),
            ToList = useList ? path : null,
            ToPort = port,
            Subject = app is null ? null : new RuleSubject { App = app },
            Comment = comment,
        };

    [Fact]
    public void Domain_rules_round_trip_through_ufw_tokens_and_toml()
    {
        DomainRules.Sample(rule =>
        {
            Assert.Empty(rule.Validate());
            Assert.Equal(rule, UfwGrammar.ParseRule(rule.ToUfwTokens()).Value);
            var policy = new FirewallPolicy { Rules = [rule] };
            var loaded = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", PolicyTomlWriter.MainFile(policy))]);
            Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
            Assert.Equal(policy, loaded.FileSet!.Policy);
        });
    }
}
