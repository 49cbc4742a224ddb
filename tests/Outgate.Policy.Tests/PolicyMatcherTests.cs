using System.Net;

namespace Outgate.Policy.Tests;

public sealed class PolicyMatcherTests
{
    private static PacketFacts Out(string destination, int port, int protocol = 6, string iface = "eth0")
        => new(Direction.Out, null, iface, protocol, IPAddress.Parse(destination.Contains(':', StringComparison.Ordinal) ? "2001:db8::99" : "192.0.2.10"), IPAddress.Parse(destination), 40000, port);

    [Fact]
    public void Seed_recipe_decisions_with_the_matching_rule_number()
    {
        var matcher = new PolicyMatcher(Recipes.Build("vpn-only-proto"));
        Assert.Equal(new Decision(Verdict.Accept, DecisionReason.Rule, 1), matcher.Decide(Out("9.9.9.9", 53, 17, "tun0")));
        Assert.Equal(new Decision(Verdict.Accept, DecisionReason.Rule, 2), matcher.Decide(Out("2606:4700::1111", 443, 6, "tun0")));
        Assert.Equal(new Decision(Verdict.Drop, DecisionReason.Default, 0), matcher.Decide(Out("9.9.9.9", 53, 17, "eth0")));
        Assert.Equal(new Decision(Verdict.Drop, DecisionReason.Default, 0), matcher.Decide(Out("9.9.9.9", 53, 6, "tun0")));
        Assert.Equal(new Decision(Verdict.Accept, DecisionReason.Loopback, 0), matcher.Decide(Out("127.0.0.1", 8080, 6, "lo")));
    }

    [Fact]
    public void Ipv6_neighbour_discovery_and_pmtu_pass_default_deny()
    {
        var matcher = new PolicyMatcher(Recipes.Build("deny-all-allow-web-dns"));
        var solicit = new PacketFacts(Direction.Out, null, "eth0", 58, IPAddress.Parse("fe80::1"), IPAddress.Parse("ff02::1:ff00:2"), 0, 0, 135);
        Assert.Equal(DecisionReason.IcmpEssential, matcher.Decide(solicit).Reason);
        Assert.Equal(DecisionReason.IcmpEssential, matcher.Decide(solicit with { Direction = Direction.In, InInterface = "eth0", OutInterface = null, IcmpType = 2 }).Reason);
        Assert.Equal(Verdict.Drop, matcher.Decide(solicit with { IcmpType = 129 }).Verdict);
    }

    [Fact]
    public void Limit_rules_accept_and_say_so()
        => Assert.Equal(new Decision(Verdict.Accept, DecisionReason.Rule, 1, RateLimited: true),
            new PolicyMatcher(new FirewallPolicy { Rules = [Tokens.Rule("limit 22/tcp")] }).Decide(new PacketFacts(Direction.In, "eth0", null, 6, IPAddress.Parse("198.51.100.1"), IPAddress.Parse("192.0.2.1"), 50000, 22)));

    [Fact]
    public void Deciding_allocates_nothing()
    {
        var rules = Enumerable.Range(0, 200).Select(i => Tokens.Rule($"allow out to 10.0.{i}.0/24 port 80,443,{1000 + i} proto tcp")).Append(Tokens.Rule("deny out on eth+ to any port 53")).ToArray();
        var matcher = new PolicyMatcher(new FirewallPolicy { Rules = rules });
        var packets = new[] { Out("10.0.199.5", 1199), Out("9.9.9.9", 53, 17), Out("192.0.2.1", 22) };
        foreach (var packet in packets)
        {
            matcher.Decide(packet);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            matcher.Decide(packets[i % packets.Length]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
