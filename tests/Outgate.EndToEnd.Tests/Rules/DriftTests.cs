using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>status compares the kernel with the policy.</summary>
public class DriftTests
{
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

    [Fact]
    public async Task Addresses_the_daemon_puts_into_domain_sets_are_not_drift()
    {
        await using var f = await FirewallLab.CreateAsync("drd");
        await f.RunAllAsync("default deny outgoing", "allow out to domain allowed.test port 80", "enable");
        await f.Lab.Client.ExecCheckedAsync("nft", "add element inet outgate dom_0_4 { 10.9.9.9 timeout 60s }");
        Assert.DoesNotContain("differs", await f.Cli.OkAsync("status"));
        await f.Lab.Client.ExecCheckedAsync("nft", "insert rule inet outgate output tcp dport 8080 accept");
        Assert.Contains("differs", await f.Cli.OkAsync("status"));
    }
}
