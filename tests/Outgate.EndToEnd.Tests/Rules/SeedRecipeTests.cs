using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>The seed's ufw recipes typed verbatim with `outgate`, judged by the kernel in a pair of namespaces.</summary>
public class SeedRecipeTests
{
    [Fact]
    public async Task Recipe_a_default_deny_with_web_and_dns_out_allows_exactly_those()
    {
        await using var f = await FirewallLab.CreateAsync("ra");
        await f.Lab.AssertReachableExactlyAsync("before enable", FirewallLab.Everything);
        await f.RunAllAsync(
            "default deny incoming",
            "default deny outgoing",
            "default deny forward",
            "allow out 80",
            "allow out 443",
            "allow out 53");
        await f.Lab.AssertReachableExactlyAsync("rules written but not enabled", FirewallLab.Everything);
        var enable = await f.Cli.OkAsync("enable");
        Assert.Contains("Firewall is active and enabled on system startup", enable);
        await f.Lab.AssertReachableExactlyAsync("recipe (a) enabled", FirewallLab.WebAndDns);
        var status = await f.Cli.OkAsync("status verbose");
        Assert.Contains("Status: active", status);
        Assert.DoesNotContain("differs", status);
    }

    [Fact]
    public async Task Recipe_b_reset_then_allow_out_on_interface_to_any_port()
    {
        await using var f = await FirewallLab.CreateAsync("rb");
        await f.RunAllAsync("default deny outgoing", "allow out 22", "enable");
        await f.Lab.AssertReachableExactlyAsync("before reset", ReachabilityLab.Both("tcp", 22));
        var reset = await f.Cli.RunAsync("reset", stdin: "");
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Null(await f.TableTextAsync());
        await f.Lab.AssertReachableExactlyAsync("after reset", FirewallLab.Everything);
        var iface = f.Lab.ClientInterface;
        await f.RunAllAsync(
            "default deny outgoing",
            $"allow out on {iface} to any port 53",
            $"allow out on {iface} to any port 80",
            $"allow out on {iface} to any port 443",
            "enable");
        await f.Lab.AssertReachableExactlyAsync("recipe (b) enabled", FirewallLab.WebAndDns);
    }

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
