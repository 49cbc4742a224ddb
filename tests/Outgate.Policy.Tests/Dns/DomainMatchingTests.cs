using System.Net;
using System.Text;
using Outgate.Policy.Domains;

namespace Outgate.Policy.Tests.Dns;

public sealed class DomainMatchingTests : IDisposable
{
    private readonly ListFixture lists = new();

    public void Dispose() => lists.Dispose();

    private static PacketFacts Out(string destination, int port = 443, IReadOnlyList<string>? names = null, int protocol = 6)
        => new(Direction.Out, null, "eth0", protocol, IPAddress.Parse(destination.Contains(':', StringComparison.Ordinal) ? "2001:db8::9" : "10.0.0.9"), IPAddress.Parse(destination), 40000, port, DestinationNames: names);

    private static FirewallPolicy Policy(params string[] lines) => new() { Rules = lines.Select(Tokens.Rule).ToArray(), Defaults = new Defaults { Outgoing = DefaultPolicy.Deny } };

    [Fact]
    public void A_domain_rule_matches_any_name_dns_gave_the_destination()
    {
        var matcher = new PolicyMatcher(Policy("allow out to domain *.mozilla.org port 443 proto tcp"));
        Assert.Equal(Verdict.Accept, matcher.Decide(Out("192.0.2.1", names: ["example.net", "cdn.mozilla.org"])).Verdict);
        Assert.Equal(Verdict.Accept, matcher.Decide(Out("2001:db8::1", names: ["cdn.mozilla.org."])).Verdict);
        Assert.Equal(Verdict.Drop, matcher.Decide(Out("192.0.2.1", names: ["mozilla.org"])).Verdict);
        Assert.Equal(Verdict.Drop, matcher.Decide(Out("192.0.2.1", port: 80, names: ["cdn.mozilla.org"])).Verdict);
        Assert.Equal(Verdict.Drop, matcher.Decide(Out("192.0.2.1", names: null)).Verdict);
        Assert.Equal("rule 1 allow out to domain '*.mozilla.org' port 443 proto tcp: domain *.mozilla.org matched cdn.mozilla.org",
            matcher.Explain(Out("192.0.2.1", names: ["example.net", "cdn.mozilla.org"])));
        Assert.StartsWith("no rule matched: the outgoing default (deny)", matcher.Explain(Out("192.0.2.1")), StringComparison.Ordinal);
    }

    [Fact]
    public void Domain_and_ip_lists_match_through_the_cache()
    {
        var domains = lists.Write("ads.txt", "0.0.0.0 ads.example.com\n||tracker.example.net^\n");
        var ips = lists.Write("ips.netset", "192.0.2.0/24\n");
        var matcher = new PolicyMatcher(Policy($"deny out to list {domains}", $"reject out to list {ips}", "allow out 443/tcp"), new DomainListCache(TimeSpan.Zero));
        Assert.Equal(Verdict.Drop, matcher.Decide(Out("198.51.100.1", names: ["ads.example.com"])).Verdict);
        Assert.Equal(Verdict.Drop, matcher.Decide(Out("198.51.100.1", names: ["x.tracker.example.net"])).Verdict);
        Assert.Equal(Verdict.Accept, matcher.Decide(Out("198.51.100.1", names: ["x.ads.example.com"])).Verdict);
        Assert.Equal(Verdict.Reject, matcher.Decide(Out("192.0.2.55")).Verdict);
        Assert.Equal($"rule 2 reject out to list {ips}: list {ips} matched 192.0.2.55", matcher.Explain(Out("192.0.2.55")));
    }

    [Fact]
    public void Deciding_by_domain_and_list_allocates_nothing()
    {
        var ads = lists.Write("ads.txt", "0.0.0.0 ads.example.com\n");
        var ips = lists.Write("ips.netset", "192.0.2.0/24\n");
        var matcher = new PolicyMatcher(Policy("allow out to domain *.mozilla.org port 443 proto tcp", $"deny out to list {ads}", $"deny out to list {ips}"), new DomainListCache(TimeSpan.FromHours(1)));
        PacketFacts[] packets = [Out("198.51.100.1", names: ["a.example", "cdn.mozilla.org"]), Out("198.51.100.2", names: ["ads.example.com"]), Out("192.0.2.1"), Out("198.51.100.3", names: ["other.example"])];
        foreach (var packet in packets)
        {
            matcher.Decide(packet); // loads the lists
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            matcher.Decide(packets[i % packets.Length]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void The_cache_reloads_a_changed_list_and_surfaces_errors_without_throwing()
    {
        var path = lists.Write("live.txt", "a.example\n");
        var cache = new DomainListCache(TimeSpan.Zero);
        var first = cache.Get(path);
        Assert.True(first.IsUsable);
        Assert.Equal(ListKind.Domains, first.Kind);
        Assert.True(first.ContainsName("www.a.example"));
        Assert.Same(first, cache.Get(path));

        File.WriteAllText(path, "b.example\nc.example\n");
        var second = cache.Get(path);
        Assert.True(second.ContainsName("b.example"));
        Assert.False(second.ContainsName("a.example"));

        File.Delete(path);
        var gone = cache.Get(path);
        Assert.False(gone.IsUsable);
        Assert.Contains(path, gone.Error, StringComparison.Ordinal);
        Assert.True(gone.ContainsName("b.example")); // the last good copy stays in force

        var never = cache.Get(Path.Combine(lists.Directory, "never.txt"));
        Assert.False(never.IsUsable);
        Assert.False(never.ContainsName("b.example"));
    }

    [Theory]
    [InlineData("# comment\n\n192.0.2.0/24\n", ListKind.Addresses)]
    [InlineData("2001:db8::/32 ; note\n", ListKind.Addresses)]
    [InlineData("192.0.2.1-192.0.2.9\n", ListKind.Addresses)]
    [InlineData("0.0.0.0 ads.example.com\n", ListKind.Domains)]
    [InlineData("[Adblock Plus 2.0]\n! title\n||ads.example.com^\n", ListKind.Domains)]
    [InlineData("ads.example.com\n", ListKind.Domains)]
    [InlineData("", ListKind.Domains)]
    public void List_kind_is_decided_by_the_first_meaningful_line(string text, ListKind expected)
        => Assert.Equal(expected, ListKindDetector.Detect(new MemoryStream(Encoding.UTF8.GetBytes(text))));

    [Fact]
    public void Subject_rules_match_domains_too_and_explain_what_matched()
    {
        var policy = Policy("allow out app firefox to domain *.mozilla.org", "deny out app python3 to domain evil.example");
        var matcher = new SubjectMatcher(policy);
        var firefox = new ProcessFacts { Pid = 10, ExecutablePath = "/usr/lib/firefox/firefox" };
        var python = new ProcessFacts { Pid = 11, ExecutablePath = "/usr/bin/python3" };
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(Verdict.Accept, matcher.Decide(Out("192.0.2.1", names: ["cdn.mozilla.org"]), firefox, now).Verdict);
        Assert.Null(matcher.Decide(Out("192.0.2.1", names: ["mozilla.org"]), firefox, now).Verdict);
        Assert.Equal(Verdict.Drop, matcher.Decide(Out("192.0.2.2", names: ["EVIL.example."]), python, now).Verdict);
        Assert.Null(matcher.Decide(Out("192.0.2.2"), python, now).Verdict);
        var lines = matcher.Explain(Out("192.0.2.1", names: ["cdn.mozilla.org"]), firefox, now);
        Assert.Contains(lines, l => l.Contains("domain *.mozilla.org matched cdn.mozilla.org", StringComparison.Ordinal));
        var miss = matcher.Explain(Out("192.0.2.2"), python, now);
        Assert.Contains(miss, l => l.Contains("192.0.2.2 was never named by a DNS answer", StringComparison.Ordinal));
    }

    [Fact]
    public void Domain_rules_tell_the_dns_tracker_which_names_matter()
    {
        var ads = lists.Write("ads.txt", "0.0.0.0 ads.example.com\n");
        var policy = Policy("allow out app firefox to domain *.mozilla.org", "allow out to domain updates.example.com port 443", $"deny out to list {ads}");
        var rules = DomainRules.For(policy);
        Assert.True(rules.Covers("cdn.mozilla.org"));
        Assert.False(rules.Covers("mozilla.org"));
        Assert.True(rules.Covers("Updates.Example.com."));
        Assert.False(rules.Covers("x.updates.example.com"));
        Assert.True(rules.Covers("ads.example.com"));
        Assert.False(rules.Covers("example.org"));
        Assert.True(DomainRules.Covers(policy, "cdn.mozilla.org"));
        Assert.True(DomainRules.For(new FirewallPolicy()).IsEmpty);
    }

    [Fact]
    public void The_shipped_resolver_list_holds_the_well_known_ones()
    {
        Assert.True(PublicResolvers.Addresses.Contains(IPAddress.Parse("1.1.1.1")));
        Assert.True(PublicResolvers.Addresses.Contains(IPAddress.Parse("8.8.4.4")));
        Assert.True(PublicResolvers.Addresses.Contains(IPAddress.Parse("2620:fe::fe")));
        Assert.True(PublicResolvers.Addresses.Contains(IPAddress.Parse("45.90.28.17")));
        Assert.False(PublicResolvers.Addresses.Contains(IPAddress.Parse("192.0.2.1")));
        Assert.True(PublicResolvers.Addresses.IPv4.Count > 10);
        Assert.True(PublicResolvers.Addresses.IPv6.Count > 10);
        Assert.Contains("dns.google", PublicResolvers.HostNames);
        Assert.True(PublicResolvers.IsDohHost("cloudflare-dns.com"));
        Assert.True(PublicResolvers.IsDohHost("abc123.dns.nextdns.io"));
        Assert.True(PublicResolvers.IsDohHost("DNS.QUAD9.NET."));
        Assert.False(PublicResolvers.IsDohHost("google.com"));
    }

    [Fact]
    public void Status_lines_name_the_domain_or_list()
    {
        var policy = Policy("allow out app firefox to domain *.mozilla.org", "allow out to domain updates.example.com port 443 proto tcp", "deny out to list /etc/outgate/lists/ads.txt");
        var status = UfwStatusFormatter.Format(policy, UfwStatusView.Numbered, active: true);
        Assert.Contains("domain *.mozilla.org (app firefox)", status, StringComparison.Ordinal);
        Assert.Contains("domain updates.example.com 443/tcp", status, StringComparison.Ordinal);
        Assert.Contains("list /etc/outgate/lists/ads.txt", status, StringComparison.Ordinal);
        var plain = UfwStatusFormatter.Format(policy, UfwStatusView.Plain, active: true);
        Assert.Contains("domain updates.example.com 443/tcp (v6)", plain, StringComparison.Ordinal);
    }
}
