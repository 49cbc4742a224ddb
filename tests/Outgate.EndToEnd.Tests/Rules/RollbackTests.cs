using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>--confirm-within and confirm: a detached watcher restores the previous state unless confirmed.</summary>
public class RollbackTests
{
    [Fact]
    public async Task An_unconfirmed_change_is_rolled_back_after_the_deadline()
    {
        await using var f = await FirewallLab.CreateAsync("rbk");
        await f.RunAllAsync("default deny outgoing", "allow out 80", "allow out 443", "enable");
        var before = await f.TableTextAsync();
        var r = await f.Cli.OkAsync("delete allow out 443 --confirm-within 3s");
        Assert.Contains("outgate confirm", r);
        // Inside the window (checked on the table, fast: a 1 s probe could straddle the deadline on a loaded machine).
        var tightened = await f.TableTextAsync();
        Assert.NotEqual(before, tightened);
        Assert.DoesNotContain("443", tightened);
        // Deadline 3 s after the change; the watcher polls every 100 ms. Bounded wait.
        for (var i = 0; i < 100 && await f.TableTextAsync() != before; i++) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(before, await f.TableTextAsync());
        await f.Lab.AssertReachableExactlyAsync("rolled back", ReachabilityLab.Both("tcp", 80, 443));
        Assert.Contains("443", await f.Cli.OkAsync("status"));
        var confirmLate = await f.Cli.RunAsync("confirm");
        Assert.Equal(1, confirmLate.ExitCode);
    }
}
