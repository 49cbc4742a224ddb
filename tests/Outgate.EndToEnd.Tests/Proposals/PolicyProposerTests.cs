using System.Net;
using Outgate.Daemon.Proposals;
using Outgate.Policy;
using static Outgate.EndToEnd.Tests.Proposals.ProposalEvents;

namespace Outgate.EndToEnd.Tests.Proposals;

public class PolicyProposerTests
{
    private static string Ufw(Proposal p) => string.Join("\n", p.Rules.Select(r => r.Rule.ToUfwString()));

    [Fact]
    public void Three_sibling_subdomains_become_one_wildcard_and_the_parent_keeps_its_own_rule()
    {
        var p = Propose([
            Decision("/usr/bin/firefox", "93.184.216.1", 443, domain: "a.cdn.example.com"),
            Decision("/usr/bin/firefox", "93.184.216.2", 443, domain: "b.cdn.example.com"),
            Decision("/usr/bin/firefox", "93.184.216.3", 443, domain: "c.cdn.example.com", minute: 5),
            Decision("/usr/bin/firefox", "93.184.216.4", 443, domain: "x.y.cdn.example.com"),
            Decision("/usr/bin/firefox", "93.184.216.5", 443, domain: "cdn.example.com"),
            Decision("/usr/bin/firefox", "198.51.100.1", 443, domain: "one.other.org"),
            Decision("/usr/bin/firefox", "198.51.100.2", 443, domain: "two.other.org"),
        ]);
        var domains = p.Rules.Select(r => r.Rule.ToDomain!.ToString()).ToList();
        Assert.Equal(["cdn.example.com", "*.cdn.example.com", "one.other.org", "two.other.org"], domains);
        var wildcard = p.Rules.Single(r => r.Rule.ToDomain!.IsWildcard);
        Assert.Equal(4, wildcard.Count);
        Assert.Contains(wildcard.Notes, n => n.Contains("covers 4 names", StringComparison.Ordinal) && n.Contains("x.y.cdn.example.com", StringComparison.Ordinal));
        Assert.Equal("seen 4 times, first 2026-11-20 08:00Z, last 2026-11-20 08:05Z", wildcard.Rule.Comment);
    }

    [Fact]
    public void Public_suffix_like_parents_are_never_widened()
    {
        var p = Propose([
            Decision("/usr/bin/curl", "192.0.2.1", 443, domain: "bbc.co.uk"),
            Decision("/usr/bin/curl", "192.0.2.2", 443, domain: "gov.co.uk"),
            Decision("/usr/bin/curl", "192.0.2.3", 443, domain: "shop.co.uk"),
        ]);
        Assert.Equal(3, p.Rules.Count);
        Assert.All(p.Rules, r => Assert.False(r.Rule.ToDomain!.IsWildcard));
        Assert.False(DomainCollapse.CanWiden("com"));
        Assert.True(DomainCollapse.CanWiden("example.com"));
    }

    [Fact]
    public void Ports_merge_into_one_set_and_tcp_plus_udp_with_the_same_ports_become_one_rule()
    {
        var p = Propose([
            Decision("/usr/bin/app", "192.0.2.10", 443, domain: "api.example.net"),
            Decision("/usr/bin/app", "192.0.2.10", 80, domain: "api.example.net"),
            Decision("/usr/bin/app", "192.0.2.10", 8000, domain: "api.example.net"),
            Decision("/usr/bin/app", "192.0.2.10", 8001, domain: "api.example.net"),
            Decision("/usr/bin/app", "192.0.2.10", 8002, domain: "api.example.net"),
            Decision("/usr/bin/app", "192.0.2.20", 443, "tcp", domain: "quic.example.net"),
            Decision("/usr/bin/app", "192.0.2.20", 443, "udp", domain: "quic.example.net"),
        ]);
        Assert.Equal(
            "allow out app /usr/bin/app to domain api.example.net port 80,443,8000:8002 proto tcp comment 'seen 5 times, first 2026-11-20 08:00Z, last 2026-11-20 08:00Z'\n"
            + "allow out app /usr/bin/app to domain quic.example.net port 443 comment 'seen 2 times, first 2026-11-20 08:00Z, last 2026-11-20 08:00Z'",
            Ufw(p));
    }

    [Fact]
    public void Many_ports_are_split_into_lists_ufw_accepts()
    {
        var specs = PortSets.From(Enumerable.Range(0, 40).Select(i => 1000 + 2 * i));
        Assert.True(specs.Count >= 3);
        Assert.All(specs, s => Assert.True(s.UfwCount <= PortSpec.MaxListCount));
        Assert.Equal(40, specs.Sum(s => s.Ranges.Count));
        Assert.Equal("1:3,5", PortSets.From([1, 2, 3, 5]).Single().ToString());
    }

    [Fact]
    public void System_units_and_containers_are_subjects_instead_of_paths_but_user_sessions_are_not()
    {
        var p = Propose([
            Decision("/usr/sbin/chronyd", "192.0.2.123", 123, "udp", domain: "2.debian.pool.ntp.org", unit: "chrony.service", uid: 101, user: "_chrony"),
            Decision("/usr/bin/curl", "192.0.2.1", 443, domain: "example.com", unit: "user@1000.service"),
            Decision("/usr/bin/wget", "192.0.2.2", 443, domain: "example.com", unit: "session-4.scope"),
            Decision("/usr/local/bin/app", "192.0.2.3", 5432, container: "db-client"),
        ]);
        Assert.Equal(
            ["unit chrony.service, user _chrony", "container db-client", "app /usr/bin/curl", "app /usr/bin/wget"],
            p.Rules.Select(r => ProposalToml.SubjectText(r.Rule.Subject!)).ToList());
        var ntp = p.Rules[0];
        Assert.Equal(PolicyProposer.Ntp, ntp.Purpose);
        Assert.Equal(Protocol.Udp, ntp.Rule.Protocol);
        Assert.Contains(ntp.Notes, n => n == "programs seen: /usr/sbin/chronyd");
        Assert.True(PolicyProposer.IsSystemService("nginx.service"));
        Assert.False(PolicyProposer.IsSystemService("user@1000.service"));
        Assert.False(PolicyProposer.IsSystemService("docker-0123abcd.scope"));
    }

    [Fact]
    public void A_user_is_added_only_when_the_program_always_ran_as_one_non_root_system_account()
    {
        var p = Propose([
            Decision("/usr/lib/apt/methods/http", "192.0.2.1", 80, domain: "deb.debian.org", uid: 42, user: "_apt"),
            Decision("/usr/lib/apt/methods/http", "192.0.2.1", 80, domain: "deb.debian.org", uid: 42, user: "_apt"),
            Decision("/usr/bin/rootish", "192.0.2.2", 443, domain: "r.example", uid: 0, user: "root"),
            Decision("/usr/bin/mixed", "192.0.2.3", 443, domain: "m.example", uid: 42, user: "_apt"),
            Decision("/usr/bin/mixed", "192.0.2.3", 443, domain: "m.example", uid: 1000, user: "alice"),
            Decision("/usr/bin/desktop", "192.0.2.4", 443, domain: "d.example", uid: 1000, user: "alice"),
        ]);
        var users = p.Rules.ToDictionary(r => r.Rule.Subject!.App!, r => r.Rule.Subject!.User);
        Assert.Equal("_apt", users["/usr/lib/apt/methods/http"]);
        Assert.Null(users["/usr/bin/rootish"]);
        Assert.Null(users["/usr/bin/mixed"]);
        Assert.Null(users["/usr/bin/desktop"]);
    }

    [Fact]
    public void Dns_gets_its_own_rule_to_the_resolver_even_when_the_program_also_talks_to_it_otherwise()
    {
        var p = Propose([
            Decision("/usr/lib/systemd/systemd-resolved", "192.0.2.53", 53, "udp", unit: "systemd-resolved.service", uid: 990, user: "systemd-resolve"),
            Decision("/usr/lib/systemd/systemd-resolved", "192.0.2.53", 53, "tcp", unit: "systemd-resolved.service", uid: 990, user: "systemd-resolve"),
            Decision("/usr/lib/systemd/systemd-resolved", "192.0.2.53", 443, "tcp", unit: "systemd-resolved.service", uid: 990, user: "systemd-resolve"),
        ]);
        Assert.Equal(2, p.Rules.Count);
        Assert.Equal(PolicyProposer.Dns, p.Rules[0].Purpose);
        Assert.Equal(Protocol.Any, p.Rules[0].Rule.Protocol);
        Assert.Equal("53", p.Rules[0].Rule.ToPort!.ToString());
        Assert.Equal(IPNetwork.Parse("192.0.2.53/32"), p.Rules[0].Rule.To);
        Assert.Equal(PolicyProposer.Traffic, p.Rules[1].Purpose);
    }

    [Fact]
    public void Four_addresses_in_one_slash_24_become_the_network_three_stay_hosts()
    {
        var four = Propose(Enumerable.Range(1, 4).Select(i => Decision("/usr/bin/sync", $"203.0.113.{i}", 22)));
        Assert.Equal("203.0.113.0/24", AddressSyntax.Format(Assert.Single(four.Rules).Rule.To));
        Assert.Contains(four.Rules[0].Notes, n => n.StartsWith("network widened from 4 addresses", StringComparison.Ordinal));
        var three = Propose(Enumerable.Range(1, 3).Select(i => Decision("/usr/bin/sync", $"203.0.113.{i}", 22)));
        Assert.Equal(3, three.Rules.Count);
        Assert.All(three.Rules, r => Assert.Equal(32, r.Rule.To!.Value.PrefixLength));
        Assert.Equal("2001:db8:1:2::/64", AddressCollapse.Neighbourhood(IPAddress.Parse("2001:db8:1:2:3::9")).ToString());
    }

    [Fact]
    public void Alerts_and_no_dns_dot_doh_tags_and_refusals_go_to_review_never_into_the_policy()
    {
        var p = Propose(
            [
                Decision("/usr/bin/curl", "192.0.2.1", 443, domain: "ok.example"),
                Decision("/usr/bin/bash", "198.51.100.66", 4444, tags: "no-dns", minute: 1),
                Decision("/usr/bin/app", "1.1.1.1", 853, tags: "dot"),
                Decision("/usr/bin/app", "8.8.8.8", 443, domain: "dns.google", tags: "doh"),
                Decision("/usr/bin/python3", "192.0.2.7", 443, domain: "paste.example", minute: 30),
                Decision("/usr/bin/python3", "192.0.2.7", 443, domain: "paste.example", minute: 500),
                Decision("/usr/bin/nc", "192.0.2.8", 9999, domain: "evil.example", verdict: "reject"),
                Decision(null, "192.0.2.9", 443, domain: "who.example"),
                Decision("/usr/bin/ping", "192.0.2.10", 0, "icmp"),
                Decision("/usr/bin/curl", "127.0.0.1", 8080),
            ],
            [Alert("/usr/bin/python3", "192.0.2.7", 33, "upload volume anomaly")]);
        Assert.Equal(10, p.Connections);
        Assert.Equal(1, p.Loopback);
        Assert.Equal(7, p.Reviewed);
        Assert.Equal(2, p.Proposed);
        // The python3 connection 8 hours after the alert is ordinary again.
        Assert.Equal(["allow out app /usr/bin/curl to domain ok.example port 443 proto tcp", "allow out app /usr/bin/python3 to domain paste.example port 443 proto tcp"],
            p.Rules.Select(r => r.Rule with { Comment = null }).Select(r => r.ToUfwString()).ToList());
        Assert.Contains(p.Review, r => r.Program == "/usr/bin/bash" && r.Reason.StartsWith("tagged no-dns", StringComparison.Ordinal));
        Assert.Contains(p.Review, r => r.Destination == "1.1.1.1" && r.Reason.StartsWith("tagged dot", StringComparison.Ordinal));
        Assert.Contains(p.Review, r => r.Domain == "dns.google" && r.Reason.StartsWith("tagged doh", StringComparison.Ordinal));
        Assert.Contains(p.Review, r => r.Program == "/usr/bin/python3" && r.Reason.Contains("upload volume anomaly", StringComparison.Ordinal) && r.Count == 1);
        Assert.Contains(p.Review, r => r.Program == "/usr/bin/nc" && r.Reason.StartsWith("refused when recorded (reject", StringComparison.Ordinal));
        Assert.Contains(p.Review, r => r.Program == "unknown program" && r.Reason.StartsWith("no program known", StringComparison.Ordinal));
        Assert.Contains(p.Review, r => r.Program == "/usr/bin/ping" && r.Reason.StartsWith("protocol icmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Hash_pins_come_from_the_file_as_it_is_now_and_a_missing_file_is_said_so()
    {
        var dir = Directory.CreateTempSubdirectory("og-prop-");
        try
        {
            var exe = Path.Combine(dir.FullName, "tool");
            File.WriteAllText(exe, "hello");
            var gone = Path.Combine(dir.FullName, "gone");
            var p = Propose([Decision(exe, "192.0.2.1", 443, domain: "a.example"), Decision(gone, "192.0.2.1", 443, domain: "a.example")], hashes: true);
            var pinned = p.Rules.Single(r => r.Rule.Subject!.App == exe);
            Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", pinned.Rule.Subject!.Sha256);
            Assert.Contains(pinned.Notes, n => n.StartsWith("sha256 of " + exe + " as it is now", StringComparison.Ordinal));
            var unpinned = p.Rules.Single(r => r.Rule.Subject!.App == gone);
            Assert.Null(unpinned.Rule.Subject!.Sha256);
            Assert.Contains(unpinned.Notes, n => n.Contains("no longer exists: not pinned", StringComparison.Ordinal));
            Assert.Contains(p.Notes, n => n.StartsWith("sha256 pins are the hashes of the files as they are now", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
