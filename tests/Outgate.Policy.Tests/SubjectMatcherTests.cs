using System.Net;
using CsCheck;

namespace Outgate.Policy.Tests;

public sealed class SubjectMatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly PacketFacts Https = new(Direction.Out, null, "eth0", 6, IPAddress.Parse("10.0.0.2"), IPAddress.Parse("93.184.216.34"), 40000, 443);
    private static readonly PacketFacts Dns = Https with { Protocol = 17, DestinationPort = 53 };
    private const string CurlHash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly ProcessFacts Curl = new()
    {
        Pid = 4242, ExecutablePath = "/usr/bin/curl", Sha256 = CurlHash, CommandLine = "curl -s https://example.org",
        ParentExecutablePath = "/usr/bin/bash", Uid = 1000, Gid = 1000, UserName = "alice", GroupName = "alice",
        SystemdUnit = "session-3.scope", CgroupPath = "/user.slice/user-1000.slice/session-3.scope",
    };

    private static SubjectMatcher Matcher(params string[] lines)
        => new(new FirewallPolicy { Rules = lines.Select(Tokens.Rule).ToArray() }, "boot-a");

    [Fact]
    public void Most_specific_subject_wins_over_rule_order()
    {
        var matcher = Matcher("deny out user alice", "allow out app /usr/bin/curl to any port 443");
        var decision = matcher.Decide(Https, Curl, Now);
        Assert.Equal(Verdict.Accept, decision.Verdict);
        Assert.Equal(2, decision.RuleNumber);
    }

    [Fact]
    public void App_path_beats_app_name()
    {
        var decision = Matcher("deny out app curl", "allow out app /usr/bin/curl").Decide(Https, Curl, Now);
        Assert.Equal((Verdict.Accept, 2), (decision.Verdict!.Value, decision.RuleNumber));
    }

    [Fact]
    public void Deny_wins_a_tie_then_rule_order()
    {
        Assert.Equal(2, Matcher("allow out app curl", "deny out app curl").Decide(Https, Curl, Now).RuleNumber);
        Assert.Equal(1, Matcher("reject out app curl", "deny out app curl").Decide(Https, Curl, Now).RuleNumber);
    }

    [Fact]
    public void The_packet_part_of_the_rule_must_match_too()
    {
        var matcher = Matcher("allow out app curl to any port 443 proto tcp");
        Assert.Equal(1, matcher.Decide(Https, Curl, Now).RuleNumber);
        var dns = matcher.Decide(Dns, Curl, Now);
        Assert.Null(dns.Verdict);
        Assert.Null(dns.Rule);
    }

    [Theory]
    [InlineData("allow out app /usr/bin/curl", true)]
    [InlineData("allow out app wget", false)]
    [InlineData("allow out cmdline 'curl -s *'", true)]
    [InlineData("allow out cmdline 'curl ?s*'", true)]
    [InlineData("allow out cmdline curl", false)]
    [InlineData("allow out parent bash", true)]
    [InlineData("allow out user 1000", true)]
    [InlineData("allow out user bob", false)]
    [InlineData("allow out group alice", true)]
    [InlineData("allow out unit session-3.scope", true)]
    [InlineData("allow out unit session-3", false)]
    [InlineData("allow out cgroup /user.slice", true)]
    [InlineData("allow out cgroup /user.slice/user-1000.slice/session-3.scope", true)]
    [InlineData("allow out cgroup /user.sl", false)]
    [InlineData("allow out container web", false)]
    [InlineData("allow out hash 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    public void Each_subject_field_matches_as_documented(string line, bool matches)
        => Assert.Equal(matches, Matcher(line).Decide(Https, Curl, Now).Rule is not null);

    [Fact]
    public void Units_without_a_suffix_are_services_and_containers_match_by_name_or_id_prefix()
    {
        var service = Curl with { SystemdUnit = "systemd-timesyncd.service", ContainerId = "3f4e5a6b7c8d9e0f11223344", ContainerName = "web" };
        Assert.NotNull(Matcher("allow out unit systemd-timesyncd").Decide(Https, service, Now).Rule);
        Assert.NotNull(Matcher("allow out container web").Decide(Https, service, Now).Rule);
        Assert.NotNull(Matcher("allow out container 3f4e5a6b7c8d").Decide(Https, service, Now).Rule);
        Assert.Null(Matcher("allow out container 3f4e5a").Decide(Https, service, Now).Rule);
    }

    [Fact]
    public void A_changed_executable_is_a_hash_mismatch_not_a_match()
    {
        var matcher = Matcher($"allow out app /usr/bin/curl hash {new string('f', 64)}");
        var decision = matcher.Decide(Https, Curl, Now);
        Assert.Null(decision.Rule);
        Assert.Single(decision.HashMismatches);
        Assert.Contains(matcher.Explain(Https, Curl, Now), l => l.Contains("HASH MISMATCH", StringComparison.Ordinal));
    }

    [Fact]
    public void Expired_and_other_boot_rules_never_match()
    {
        var rules = new[]
        {
            Tokens.Rule("deny out app curl") with { Expires = Now },
            Tokens.Rule("deny out app curl") with { BootId = "boot-old" },
            Tokens.Rule("allow out app curl") with { BootId = "boot-a", Expires = Now.AddMinutes(30) },
        };
        var decision = new SubjectMatcher(new FirewallPolicy { Rules = rules }, "boot-a").Decide(Https, Curl, Now);
        Assert.Equal((Verdict.Accept, 3), (decision.Verdict!.Value, decision.RuleNumber));
        Assert.Equal(Now.AddMinutes(30), decision.ValidUntil);
    }

    [Fact]
    public void Explain_says_what_matched_what_did_not_and_why_the_winner_won()
    {
        var matcher = Matcher("deny out app python3", "allow out app /usr/bin/curl to any port 443", "allow out user alice");
        var lines = matcher.Explain(Https, Curl, Now);
        Assert.Equal(
        [
            "rule 1 deny out app python3: no match (app is /usr/bin/curl, not python3)",
            "rule 2 allow out app /usr/bin/curl to any port 443: matches (app /usr/bin/curl)",
            "rule 3 allow out user alice: matches (user alice)",
            "decided by rule 2 (most specific subject: app path)",
        ], lines);
    }

    [Fact]
    public void Plain_rules_are_ignored()
    {
        var matcher = Matcher("deny out to any port 443");
        Assert.False(matcher.HasSubjectRules);
        Assert.Null(matcher.Decide(Https, Curl, Now).Verdict);
    }

    private static readonly Gen<ProcessFacts> Processes =
        from exe in Gen.OneOf("/usr/bin/curl", "/usr/bin/python3", "/usr/lib/apt/methods/http", "/opt/My App/run")
        from hash in Gen.OneOf(CurlHash, new string('a', 64))
        from user in Gen.OneOf(("alice", 1000u), ("_apt", 42u), ("root", 0u))
        from unit in Gen.OneOf("systemd-timesyncd.service", "nginx.service", "user@1000.service")
        select new ProcessFacts
        {
            ExecutablePath = exe, Sha256 = hash, CommandLine = exe + " -m http.server 8000", ParentExecutablePath = "/usr/bin/bash",
            UserName = user.Item1, Uid = user.Item2, GroupName = "staff", Gid = 50, SystemdUnit = unit, CgroupPath = "/system.slice/" + unit,
            ContainerName = "web", ContainerId = "3f4e5a6b7c8d9e0f",
        };

    private static readonly Gen<PacketFacts> OutPackets = Generators.Packets.Select(p => p with { Direction = Direction.Out, InInterface = null });

    [Fact]
    public void The_decision_is_the_reference_precedence_over_matching_rules()
        => Gen.Select(Generators.SubjectRules.Array[1, 8], Processes, OutPackets).Sample((rules, process, packet) =>
        {
            var policy = new FirewallPolicy { Rules = rules };
            var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
            var decision = new SubjectMatcher(policy, "6f1c2e3a-1111-4222-8333-944455556666").Decide(packet, process, now);
            if (decision.Rule is not { } winner)
            {
                return;
            }

            // Never an expired or other-boot rule; nothing that matches is both more specific and refusing-equal-or-better.
            Assert.False(winner.Expires <= now);
            Assert.True(winner.BootId is null || winner.BootId == "6f1c2e3a-1111-4222-8333-944455556666");
            var alone = new SubjectMatcher(new FirewallPolicy { Rules = [winner] }, "6f1c2e3a-1111-4222-8333-944455556666").Decide(packet, process, now);
            Assert.NotNull(alone.Rule);
        }, iter: 2000);

    [Fact]
    public void Deny_wins_ties_whatever_the_order()
        => Gen.Select(Generators.Subjects, OutPackets, Processes, Gen.Bool).Sample((subject, packet, process, denyFirst) =>
        {
            Rule allow = new() { Action = RuleAction.Allow, Direction = Direction.Out, Subject = subject };
            Rule deny = allow with { Action = RuleAction.Deny };
            var policy = new FirewallPolicy { Rules = denyFirst ? [deny, allow] : [allow, deny] };
            var decision = new SubjectMatcher(policy).Decide(packet, process, Now);
            Assert.True(decision.Verdict is null or Verdict.Drop);
        }, iter: 1000);

    [Fact]
    public void Adding_a_more_specific_matching_rule_makes_it_win()
        => Gen.Select(Generators.SubjectRules.Array[0, 6], Processes, OutPackets).Sample((rules, process, packet) =>
        {
            // A hash pin on the process's own executable is more specific than anything without one.
            var pinned = new Rule { Action = RuleAction.Allow, Direction = Direction.Out, Subject = new RuleSubject { App = process.ExecutablePath, Sha256 = process.Sha256 } };
            var withoutPins = rules.Where(r => r.Subject!.Sha256 is null).ToArray();
            var policy = new FirewallPolicy { Rules = [.. withoutPins, pinned] };
            var decision = new SubjectMatcher(policy).Decide(packet, process, Now);
            Assert.Equal(policy.Rules.Count, decision.RuleNumber);
        }, iter: 1000);

    [Fact]
    public void Expired_rules_never_match()
        => Gen.Select(Generators.SubjectRules.Array[1, 8], Processes, OutPackets, Gen.Int[0, 7200]).Sample((rules, process, packet, seconds) =>
        {
            var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero).AddSeconds(seconds);
            var decision = new SubjectMatcher(new FirewallPolicy { Rules = rules }).Decide(packet, process, now);
            Assert.False(decision.Rule?.Expires <= now);
            Assert.True(decision.ValidUntil is null || decision.ValidUntil > now);
        }, iter: 1000);
}
