using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

public class RollbackAndPanicTests
{
    [Fact]
    public async Task An_unconfirmed_change_is_rolled_back_after_the_deadline()
    {
        await using var f = await FirewallLab.CreateAsync("rbk");
        await f.RunAllAsync("default deny outgoing", "allow out 80", "allow out 443", "enable");
        var before = await f.TableTextAsync();
        var r = await f.Cli.OkAsync("delete allow out 443 --confirm-within 3s");
        Assert.Contains("outgate confirm", r);
        await f.Lab.AssertReachableExactlyAsync("the tightened ruleset is active", ReachabilityLab.Both("tcp", 80));
        // Deadline 3 s after the change; the watcher polls every 100 ms. Bounded wait.
        for (var i = 0; i < 60 && await f.TableTextAsync() != before; i++) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(before, await f.TableTextAsync());
        await f.Lab.AssertReachableExactlyAsync("rolled back", ReachabilityLab.Both("tcp", 80, 443));
        Assert.Contains("443", await f.Cli.OkAsync("status"));
        var confirmLate = await f.Cli.RunAsync("confirm");
        Assert.Equal(1, confirmLate.ExitCode);
    }

    [Fact]
    public async Task A_confirmed_change_stays_and_a_rolled_back_enable_leaves_the_firewall_off()
    {
        await using var f = await FirewallLab.CreateAsync("cnf");
        await f.RunAllAsync("default deny outgoing", "allow out 80");
        await f.Cli.OkAsync("enable --confirm-within 60s");
        Assert.Contains("Change confirmed", await f.Cli.OkAsync("confirm"));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await f.Lab.AssertReachableExactlyAsync("confirmed", ReachabilityLab.Both("tcp", 80));

        await f.Cli.OkAsync("disable");
        await f.Cli.OkAsync("enable --confirm-within 2s");
        await f.Lab.AssertReachableExactlyAsync("enabled, not yet confirmed", ReachabilityLab.Both("tcp", 80));
        for (var i = 0; i < 50 && await f.TableTextAsync() is not null; i++) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Null(await f.TableTextAsync());
        Assert.Contains("Status: inactive", await f.Cli.OkAsync("status"));
        await f.Lab.AssertReachableExactlyAsync("enable rolled back", FirewallLab.Everything);
    }

    [Fact]
    public async Task Panic_blocks_everything_but_loopback_and_off_restores_the_policy()
    {
        await using var f = await FirewallLab.CreateAsync("pan");
        await f.RunAllAsync("default deny outgoing", "allow out 22", "allow out 80", "enable");
        var session = await f.Lab.OpenSessionAsync(22);
        Assert.Contains("Panic mode on", await f.Cli.OkAsync("panic on"));
        await f.Lab.AssertReachableExactlyAsync("panic on");
        Assert.False(await session.PingAsync(), "panic must cut established sessions too");
        var lo = await f.Lab.Client.ExecAsync("python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); c=socket.create_connection(s.getsockname(), timeout=1); print('ok')");
        Assert.Contains("ok", lo.StdOut);
        Assert.Contains("Panic mode: on", await f.Cli.OkAsync("status"));
        await f.Cli.OkAsync("panic off");
        await f.Lab.AssertReachableExactlyAsync("panic off", ReachabilityLab.Both("tcp", 22, 80));
    }

    [Fact]
    public async Task Status_reports_a_table_changed_behind_our_back_until_reload()
    {
        await using var f = await FirewallLab.CreateAsync("drf");
        await f.RunAllAsync("default deny outgoing", "allow out 80", "enable");
        Assert.DoesNotContain("differs", await f.Cli.OkAsync("status"));
        await f.Lab.Client.ExecCheckedAsync("nft", "insert rule inet outgate output tcp dport 8080 accept");
        Assert.Contains("Kernel ruleset differs from the policy: run `outgate reload`", await f.Cli.OkAsync("status"));
        await f.Cli.OkAsync("reload");
        Assert.DoesNotContain("differs", await f.Cli.OkAsync("status"));
        await f.Lab.Client.ExecCheckedAsync("nft", "delete table inet outgate");
        Assert.Contains("differs", await f.Cli.OkAsync("status"));
    }
}
