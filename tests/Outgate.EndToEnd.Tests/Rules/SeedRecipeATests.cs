using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>Seed recipe (a), typed verbatim with `outgate`, judged by the kernel in a pair of namespaces.</summary>
public class SeedRecipeATests
{
    [Fact]
    public async Task Recipe_a_default_deny_with_web_and_dns_out_allows_exactly_those()
    {
        await using var f = await FirewallLab.CreateAsync("ra");
        await f.Lab.StartClientListenersAsync();
        await f.Lab.AssertReachableExactlyAsync("before enable", FirewallLab.Everything);
        await f.Lab.AssertIncomingExactlyAsync("before enable", FirewallLab.Everything);
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
        await f.Lab.AssertIncomingExactlyAsync("recipe (a) enabled: default deny incoming");
        var status = await f.Cli.OkAsync("status verbose");
        Assert.Contains("Status: active", status);
        Assert.DoesNotContain("differs", status);
    }
}
