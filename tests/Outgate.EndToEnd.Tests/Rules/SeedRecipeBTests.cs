using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>Seed recipe (b): reset, then outgoing allowed per interface and port.</summary>
public class SeedRecipeBTests
{
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
}
