using CsCheck;

namespace Outgate.Policy.Tests.Dns;

public sealed class DomainRobustnessTests
{
    private static readonly string[] Vocabulary =
    [
        "allow", "deny", "reject", "limit", "out", "in", "on", "eth0", "app", "firefox", "user", "root", "to", "from", "domain", "list",
        "port", "proto", "tcp", "udp", "443", "80,443", "comment", "x", "*.mozilla.org", "*.", "*", "a.*.b", "evil.example", "bücher.example",
        "/etc/outgate/lists/ads.txt", "lists/ads.txt", "/", "10.0.0.1", "any", "dns-required", "block-doh", "on", "off", "", "'", "..", "-",
    ];

    [Fact]
    public void The_grammar_never_throws_on_domain_token_sequences_and_what_parses_round_trips()
    {
        var token = Gen.Frequency((6, Gen.OneOf(Vocabulary)), (1, Gen.String[0, 20]));
        token.Array[0, 12].Sample(tokens =>
        {
            var result = UfwGrammar.ParseCommand(tokens);
            Assert.True(result.Succeeded || result.Errors.Count > 0);
            if (result.Value is AddRuleCommand add)
            {
                Assert.Empty(add.Rule.Validate());
                Assert.Equal(add.Rule, UfwGrammar.ParseRule(add.Rule.ToUfwTokens()).Value);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void The_toml_loader_never_throws_on_mangled_domain_files()
    {
        const string original = """
            dns-required = true
            block-doh = false
            dns-grace = "3s"

            [daemon]
            fail_open = false

            [[rule]]
            action = "allow"
            direction = "out"
            to_domain = "*.mozilla.org"
            to_port = 443

            [[rule]]
            action = "deny"
            direction = "out"
            to_list = "/nonexistent/og-lists/ads.txt"
            """;
        var mangled =
            from cut in Gen.Int[0, original.Length]
            from length in Gen.Int[0, 20]
            from insert in Gen.Frequency((3, Gen.OneOf("", "*", ".", "\"", "=", "\n", "to_domain = \"a..b\"\n", "dns-grace = \"9h\"\n", "to = \"10.0.0.1\"\n", "[daemon]\n")), (1, Gen.String[0, 10]))
            select original[..cut] + insert + original[Math.Min(original.Length, cut + length)..];
        mangled.Sample(text =>
        {
            var result = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", text)]);
            Assert.True(result.Succeeded || result.Errors.All(e => e.Line >= 1 && e.Column >= 1 && e.Message.Length > 0));
            if (result.Succeeded)
            {
                try
                {
                    _ = NftRulesetCompiler.Compile(result.FileSet!.Policy);
                }
                catch (InvalidRuleException ex) when (ex.Message.Contains("cannot read the list", StringComparison.Ordinal))
                {
                    // The list path does not exist: the compile error the admin should see.
                }
            }
        }, iter: 3_000);
    }

    [Fact]
    public void Domain_rules_are_added_and_deleted_through_the_editor()
    {
        var set = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", "logging = \"low\"\n")]).FileSet!;
        var added = set.Apply(UfwGrammar.ParseCommand(Tokens.Split("allow out app firefox to domain '*.mozilla.org'")).Value!);
        Assert.Equal(PolicyEditOutcome.Changed, added.Outcome);
        Assert.Contains("to_domain = \"*.mozilla.org\"", added.Writes[0].Text, StringComparison.Ordinal);
        var again = added.FileSet!.Apply(UfwGrammar.ParseCommand(Tokens.Split("allow out app firefox to domain *.MOZILLA.org.")).Value!);
        Assert.Equal(PolicyEditOutcome.Unchanged, again.Outcome);
        var deleted = added.FileSet.Apply(UfwGrammar.ParseCommand(Tokens.Split("delete allow out app firefox to domain '*.mozilla.org'")).Value!);
        Assert.Equal(PolicyEditOutcome.Changed, deleted.Outcome);
        Assert.Empty(deleted.FileSet!.Policy.Rules);
    }
}
