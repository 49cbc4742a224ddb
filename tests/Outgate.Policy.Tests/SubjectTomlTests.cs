using CsCheck;

namespace Outgate.Policy.Tests;

public sealed class SubjectTomlTests
{
    private static PolicyLoadResult Load(string text)
        => PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", text)]);

    [Fact]
    public void Subject_keys_lifetime_and_daemon_table_load()
    {
        var result = Load("""
            [daemon]
            fail_open = true

            [[rule]]
            action = "allow"
            direction = "out"
            app = "/usr/bin/curl"
            sha256 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            user = 1000
            unit = "nginx"
            to_port = 443
            expires = 2026-11-25T23:00:00Z
            boot_id = "6f1c2e3a-1111-4222-8333-944455556666"

            [[rule]]
            action = "deny"
            direction = "out"
            cmdline = "python3 -m http.server*"
            expires = "2026-11-26T01:00:00+01:00"
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var policy = result.FileSet!.Policy;
        Assert.True(policy.FailOpen);
        var first = policy.Rules[0];
        Assert.Equal(new RuleSubject { App = "/usr/bin/curl", Sha256 = new string('a', 64), User = "1000", Unit = "nginx" }, first.Subject);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero), first.Expires);
        Assert.Equal("6f1c2e3a-1111-4222-8333-944455556666", first.BootId);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), policy.Rules[1].Expires);
    }

    [Theory]
    [InlineData("app = \"bin/curl\"", "5:7: error: Bad app 'bin/curl': a relative path")]
    [InlineData("sha256 = \"abc\"", "5:10: error: Bad hash 'abc'")]
    [InlineData("exe = \"/usr/bin/curl\"", "5:1: error: unknown key 'exe' (hint: did you mean 'app'?)")]
    [InlineData("uid = 0", "5:1: error: unknown key 'uid' (hint: did you mean 'user'?)")]
    [InlineData("expires = \"tomorrow\"", "5:11: error: 'tomorrow' is not an RFC 3339 time")]
    [InlineData("expires = 2026-11-25T23:00:00", "5:11: error: 'expires' needs a time zone offset")]
    [InlineData("app = 3", "5:7: error: 'app' must be a string")]
    public void Bad_subject_values_point_at_file_line_and_column(string line, string expected)
    {
        var result = Load($"""
            [[rule]]
            action = "allow"
            direction = "out"
            to_port = 443
            {line}
            """);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_subject_on_an_incoming_rule_is_refused()
    {
        var result = Load("[[rule]]\naction = \"allow\"\napp = \"curl\"\n");
        Assert.Contains(result.Errors, e => e.Message.Contains("outgoing rules only", StringComparison.Ordinal));
    }

    [Fact]
    public void Fail_open_must_be_a_boolean_and_lives_in_the_main_file()
    {
        var result = Load("[daemon]\nfail_open = \"yes\"\n");
        Assert.Contains(result.Errors, e => e.Message.Contains("must be true or false", StringComparison.Ordinal));
        var dropIn = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/rules.d/a.toml", "[daemon]\nfail_open = true\n")]);
        Assert.Contains(dropIn.Errors, e => e.Message.Contains("only allowed in outgate.toml", StringComparison.Ordinal));
    }

    [Fact]
    public void Policies_with_subject_rules_save_and_load_back()
        => Gen.Select(Generators.SubjectRules.Array[0, 6], Generators.ValidRules.Array[0, 4], Gen.Bool).Sample((subjectRules, plain, failOpen) =>
        {
            var policy = new FirewallPolicy { Rules = [.. subjectRules, .. plain], FailOpen = failOpen };
            var text = PolicyTomlWriter.MainFile(policy);
            var loaded = Load(text);
            Assert.True(loaded.Succeeded, text + string.Join("\n", loaded.Errors));
            Assert.Equal(policy, loaded.FileSet!.Policy);
        }, iter: 500);

    [Fact]
    public void Adding_a_subject_rule_keeps_the_comments_of_the_file()
    {
        var text = "# my policy\n[defaults]\noutgoing = \"deny\" # strict\n";
        var set = Load(text).FileSet!;
        var edit = set.AddRule(Tokens.Rule("allow out app /usr/bin/curl to any port 443") with { Expires = new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero) });
        Assert.Equal(PolicyEditOutcome.Changed, edit.Outcome);
        var written = edit.Writes.Single().Text;
        Assert.StartsWith(text, written, StringComparison.Ordinal);
        Assert.Contains("app = \"/usr/bin/curl\"\n", written, StringComparison.Ordinal);
        Assert.Contains("expires = 2026-11-25T23:00:00Z\n", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_an_existing_rule_with_a_new_lifetime_renews_it_in_place_keeping_comments()
    {
        var text = "# curl may fetch\n[[rule]]\naction = \"allow\" # yes\ndirection = \"out\"\napp = \"curl\" # the tool\n\n[[rule]]\naction = \"deny\"\ndirection = \"out\"\n";
        var set = Load(text).FileSet!;
        var rule = Tokens.Rule("allow out app curl");
        var expires = new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero);

        var renewed = set.AddRule(rule with { Expires = expires });
        Assert.Equal(PolicyEditOutcome.Changed, renewed.Outcome);
        Assert.StartsWith("Rule updated", renewed.Message, StringComparison.Ordinal);
        var written = renewed.Writes.Single().Text!;
        Assert.Equal(text.Replace("app = \"curl\" # the tool\n", "app = \"curl\" # the tool\nexpires = 2026-11-25T23:00:00Z\n", StringComparison.Ordinal), written);
        Assert.Equal(expires, renewed.FileSet!.Policy.Rules[0].Expires);

        var again = renewed.FileSet.AddRule(rule with { Expires = expires.AddHours(1) });
        Assert.Contains("expires = 2026-11-26T00:00:00Z\n", again.Writes.Single().Text, StringComparison.Ordinal);

        var permanent = again.FileSet!.AddRule(rule);
        Assert.Equal(text, permanent.Writes.Single().Text);
        Assert.Equal(PolicyEditOutcome.Unchanged, permanent.FileSet!.AddRule(rule).Outcome);
    }
}
