using CsCheck;

namespace Outgate.Policy.Tests;

public sealed class SubjectGrammarTests
{
    [Theory]
    [InlineData("allow out app /usr/bin/curl to any port 443", "allow out app /usr/bin/curl to any port 443")]
    [InlineData("deny out app python3", "deny out app python3")]
    [InlineData("allow out user _apt to any port 80,443 proto tcp", "allow out user _apt to any port 80,443 proto tcp")]
    [InlineData("allow out unit systemd-timesyncd.service to any port 123 proto udp", "allow out unit systemd-timesyncd.service to any port 123 proto udp")]
    [InlineData("allow out container web to any port 5432", "allow out container web to any port 5432")]
    [InlineData("allow out app /usr/bin/curl user alice to any port 443", "allow out app /usr/bin/curl user alice to any port 443")]
    [InlineData("allow out app curl on eth0 to any port 443", "allow out on eth0 app curl to any port 443")]
    [InlineData("allow out on eth0 app curl to any port 443", "allow out on eth0 app curl to any port 443")]
    [InlineData("allow out app curl 443/tcp", "allow out app curl to any port 443 proto tcp")]
    [InlineData("allow out cmdline 'python3 -m http.server*' to 10.0.0.0/8", "allow out cmdline 'python3 -m http.server*' to 10.0.0.0/8")]
    [InlineData("allow out sha256 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA app curl", "allow out app curl hash aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Subject_rules_parse_and_print_back(string line, string expected)
    {
        var rule = Tokens.Rule(line);
        Assert.Equal(Direction.Out, rule.Direction);
        Assert.NotNull(rule.Subject);
        Assert.Equal(expected, rule.ToUfwString());
    }

    [Fact]
    public void A_rule_with_only_a_subject_means_any_destination()
    {
        var rule = Tokens.Rule("deny out app python3");
        Assert.Equal(new Rule { Action = RuleAction.Deny, Direction = Direction.Out, Subject = new RuleSubject { App = "python3" } }, rule);
    }

    [Theory]
    [InlineData("allow app /usr/bin/curl", "outgoing rules only", "allow")]
    [InlineData("allow in app curl to any port 22", "outgoing rules only", "allow")]
    [InlineData("allow out app bin/curl", "relative path", "bin/curl")]
    [InlineData("allow out hash abc", "64 hex digits", "abc")]
    [InlineData("allow out app ''", "Empty 'app' value", "")]
    [InlineData("allow out app", "missing required argument", "app")]
    [InlineData("allow out app curl app wget", "given twice", "app")]
    [InlineData("allow out unit 'my unit'", "Bad unit name", "my unit")]
    [InlineData("allow out cgroup system.slice", "absolute cgroup path", "system.slice")]
    [InlineData("allow out to any port 443 user alice", "must come right after the direction", "user")]
    [InlineData("limit out app curl to any port 22", "'limit' cannot be combined", null)]
    [InlineData("allow out usr alice", "Invalid token", "usr")]
    public void Bad_subjects_give_a_clear_error(string line, string message, string? token)
    {
        var error = Tokens.Error(line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(token, error.Token);
        Assert.False(string.IsNullOrEmpty(error.Hint), $"no hint for {error}");
    }

    [Fact]
    public void Unknown_keyword_after_out_suggests_the_subject()
    {
        var error = Tokens.Error("allow out aap curl");
        Assert.Contains("app", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_with_subjects_round_trip_through_the_ufw_syntax()
        => Generators.SubjectRules.Sample(rule =>
        {
            var plain = rule with { Expires = null, BootId = null }; // the lifetime is the --for flag, not grammar
            var parsed = UfwGrammar.ParseRule(plain.ToUfwTokens());
            Assert.True(parsed.Succeeded, plain.ToUfwString() + ": " + string.Join("; ", parsed.Errors));
            Assert.Equal(plain, parsed.Value);
            Assert.Equal(plain, UfwGrammar.ParseRule(Tokens.Split(plain.ToUfwString())).Value);
        }, iter: 2000);

    [Fact]
    public void Delete_finds_a_subject_rule_whatever_its_lifetime()
    {
        using var dir = new TempConfigDirectory();
        var set = PolicyFileSet.FromFiles(dir.Path, []).FileSet!;
        var rule = Tokens.Rule("allow out app /usr/bin/curl to any port 443") with { Expires = DateTimeOffset.UnixEpoch.AddDays(20000) };
        set = set.AddRule(rule).FileSet!;
        var command = UfwGrammar.ParseCommand(Tokens.Split("delete allow out app /usr/bin/curl to any port 443"));
        Assert.True(command.Succeeded, string.Join("; ", command.Errors));
        var edit = set.Apply(command.Value!);
        Assert.Equal(PolicyEditOutcome.Changed, edit.Outcome);
        Assert.Empty(edit.FileSet!.Policy.Rules);
    }
}
