using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>Confirmed changes stay; an unconfirmed enable is undone entirely.</summary>
public class ConfirmTests
{
    [Fact]
    public async Task A_confirmed_change_stays_and_a_rolled_back_enable_leaves_the_firewall_off()
    {
        await using var f = await FirewallLab.CreateAsync("cnf");
        await f.RunAllAsync("default deny outgoing", "allow out 80");
        await f.Cli.OkAsync("enable --confirm-within 60s");
        Assert.Contains("waiting for `outgate confirm`", await f.Cli.OkAsync("status"));
        Assert.Contains("Change confirmed", await f.Cli.OkAsync("confirm"));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await f.Lab.AssertReachableExactlyAsync("confirmed", ReachabilityLab.Both("tcp", 80));

        await f.Cli.OkAsync("disable");
        await f.Cli.OkAsync("enable --confirm-within 2s");
        Assert.Contains("th dport 80", await f.TableTextAsync());
        for (var i = 0; i < 100 && await f.TableTextAsync() is not null; i++) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Null(await f.TableTextAsync());
        Assert.Contains("Status: inactive", await f.Cli.OkAsync("status"));
        await f.Lab.AssertReachableExactlyAsync("enable rolled back", FirewallLab.Everything);
    }
}
