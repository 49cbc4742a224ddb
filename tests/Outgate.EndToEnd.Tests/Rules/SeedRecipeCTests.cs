using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>Seed recipe (c): per-protocol ports; then live edits (short forms, delete N, delete RULE, insert N).</summary>
public class SeedRecipeCTests
{
    [Fact]
    public async Task Recipe_c_dns_over_udp_only_and_https_over_tcp_only()
    {
        await using var f = await FirewallLab.CreateAsync("rc");
        var iface = f.Lab.ClientInterface;
        await f.RunAllAsync(
            "default deny outgoing",
            $"allow out on {iface} to any port 53 proto udp",
            $"allow out on {iface} to any port 443 proto tcp",
            "enable");
        await f.Lab.AssertReachableExactlyAsync("recipe (c) enabled", [.. ReachabilityLab.Both("udp", 53), .. ReachabilityLab.Both("tcp", 443)]);
        // Rule changes while enabled apply at once: the short forms from the issue.
        Assert.Contains("Rule added", await f.Cli.OkAsync("allow out 8080/tcp"));
        await f.Lab.AssertReachableExactlyAsync("after allow out 8080/tcp", [.. ReachabilityLab.Both("udp", 53), .. ReachabilityLab.Both("tcp", 443, 8080)]);
        var numbered = await f.Cli.OkAsync("status numbered");
        Assert.Contains("[ 3]", numbered);
        await f.Cli.OkAsync("delete 3");
        await f.Lab.AssertReachableExactlyAsync("after delete 3", [.. ReachabilityLab.Both("udp", 53), .. ReachabilityLab.Both("tcp", 443)]);
        await f.Cli.OkAsync($"delete allow out on {iface} to any port 443 proto tcp");
        await f.Cli.OkAsync("insert 1 allow out to any port 123 proto udp");
        await f.Lab.AssertReachableExactlyAsync("after delete <rule> and insert 1", [.. ReachabilityLab.Both("udp", 53, 123)]);
    }
}
