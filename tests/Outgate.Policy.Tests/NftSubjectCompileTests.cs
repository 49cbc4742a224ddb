namespace Outgate.Policy.Tests;

public sealed class NftSubjectCompileTests
{
    private static readonly AccountLookup Accounts = AccountLookup.FromText(
        "root:x:0:0:root:/root:/bin/bash\n_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\n",
        "root:x:0:\nstaff:x:50:alice\n");

    private static readonly NftCompileOptions Options = new() { Accounts = Accounts };

    private static string[] OutputChain(FirewallPolicy policy, NftCompileOptions? options = null)
    {
        var text = NftRulesetCompiler.Compile(policy, options ?? Options).Text;
        var output = text[text.IndexOf("chain output", StringComparison.Ordinal)..];
        return output.Split('\n').Select(l => l.Trim()).TakeWhile(l => l != "}").Where(l => l.Length > 0).ToArray();
    }

    private static FirewallPolicy Policy(params string[] lines) => new() { Rules = lines.Select(Tokens.Rule).ToArray() };

    [Fact]
    public void User_and_group_subjects_compile_to_socket_owner_matches_with_resolved_ids()
    {
        var lines = OutputChain(Policy("allow out user _apt to any port 80,443 proto tcp", "deny out group staff"));
        Assert.Contains("meta skuid 42 tcp dport { 80, 443 } accept comment \"outgate rule 1: allow out user _apt to any port 80,443 proto tcp\"", lines);
        Assert.Contains("meta skgid 50 drop comment \"outgate rule 2: deny out group staff\"", lines);
    }

    [Fact]
    public void Numeric_ids_need_no_account_database()
    {
        var unreadable = AccountLookup.FromText("", "");
        var lines = OutputChain(Policy("allow out user 1000"), new NftCompileOptions { Accounts = unreadable });
        Assert.Contains(lines, l => l.StartsWith("meta skuid 1000 accept", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_user_fails_the_compile_with_the_name()
    {
        var ex = Assert.Throws<InvalidRuleException>(() => NftRulesetCompiler.Compile(Policy("allow out user nobody-here"), Options));
        Assert.Contains("Unknown user 'nobody-here'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Program_subjects_stay_out_of_the_kernel_but_keep_rule_numbers()
    {
        var lines = OutputChain(Policy("allow out app /usr/bin/curl to any port 443", "allow out to any port 53"));
        Assert.DoesNotContain(lines, l => l.Contains("curl", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("comment \"outgate rule 2: allow out 53\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Daemon_verdict_rules_come_before_the_static_rules_and_the_fail_closed_drop_after()
    {
        var lines = OutputChain(Policy("allow out to any port 53"));
        var allow = Array.IndexOf(lines, "meta mark & 0x00200000 == 0x00200000 accept comment \"daemon allowed\"");
        var refuseTcp = Array.IndexOf(lines, "meta mark & 0x00400000 == 0x00400000 meta l4proto tcp reject with tcp reset comment \"daemon refused\"");
        var refuse = Array.IndexOf(lines, "meta mark & 0x00400000 == 0x00400000 reject with icmpx type admin-prohibited comment \"daemon refused\"");
        var user = Array.FindIndex(lines, l => l.Contains("outgate rule 1", StringComparison.Ordinal));
        var unanswered = Array.IndexOf(lines, "meta mark & 0x00800000 == 0x00800000 drop comment \"daemon did not answer: fail closed\"");
        var dhcp = Array.FindLastIndex(lines, l => l.Contains("dhcp", StringComparison.Ordinal));
        Assert.True(dhcp < allow && allow < refuseTcp && refuseTcp < refuse && refuse < user && user < unanswered, string.Join("\n", lines));
        Assert.Equal(lines.Length - 1, unanswered);
    }

    [Fact]
    public void Fail_open_leaves_out_the_unanswered_drop_and_input_has_no_mark_rules()
    {
        var policy = Policy("allow out to any port 53") with { FailOpen = true };
        Assert.DoesNotContain(OutputChain(policy), l => l.Contains("0x00800000", StringComparison.Ordinal));
        var text = NftRulesetCompiler.Compile(policy, Options).Text;
        var input = text[text.IndexOf("chain input", StringComparison.Ordinal)..text.IndexOf("chain output", StringComparison.Ordinal)];
        Assert.DoesNotContain("mark", input, StringComparison.Ordinal);
    }

    [Fact]
    public void Expired_and_other_boot_rules_are_left_out_when_the_options_know_now()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var policy = new FirewallPolicy
        {
            Rules =
            [
                Tokens.Rule("allow out to any port 1001") with { Expires = now.AddSeconds(-1) },
                Tokens.Rule("allow out to any port 1002") with { Expires = now.AddHours(1) },
                Tokens.Rule("allow out to any port 1003") with { BootId = "0a0b0c0d-1111-4222-8333-944455556666" },
                Tokens.Rule("allow out to any port 1004") with { BootId = "6f1c2e3a-1111-4222-8333-944455556666" },
            ],
        };
        var text = NftRulesetCompiler.Compile(policy, Options with { Now = now, CurrentBootId = "6f1c2e3a-1111-4222-8333-944455556666" }).Text;
        Assert.DoesNotContain("1001", text, StringComparison.Ordinal);
        Assert.Contains("1002", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1003", text, StringComparison.Ordinal);
        Assert.Contains("1004", text, StringComparison.Ordinal);
        Assert.Contains("1001", NftRulesetCompiler.Compile(policy, Options).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Mark_rules_have_the_libnftables_json_shape()
        => Assert.Empty(NftJsonShape.Validate(NftRulesetCompiler.Compile(Policy("allow out user _apt to any port 80"), Options).ReplaceJson));
}
