using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>Other tables (ufw, docker, firewalld, iptables-nft) are never touched.</summary>
public class CoexistenceTests
{
    [Fact]
    public async Task Other_tables_and_iptables_rules_survive_enable_reload_disable_and_reset()
    {
        await using var f = await FirewallLab.CreateAsync("coex");
        await f.Lab.Client.ExecCheckedAsync("iptables", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-m", "conntrack", "--ctstate", "NEW", "-j", "DROP");
        await f.Lab.Client.ExecCheckedAsync("nft", "add table inet other; add chain inet other c { type filter hook output priority 10; }; add set inet other s { type ipv4_addr; }; add rule inet other c ip daddr @s counter drop");
        async Task<string> Others() => (await f.Lab.Client.ExecCheckedAsync("iptables", "-S")).StdOut + await f.TableTextAsync("other");
        var before = await Others();
        await f.RunAllAsync("default deny outgoing", "allow out 80", "enable");
        Assert.Equal(before, await Others());
        await f.RunAllAsync("reload", "allow out 443");
        Assert.Equal(before, await Others());
        await f.RunAllAsync("disable");
        Assert.Null(await f.TableTextAsync());
        Assert.Equal(before, await Others());
        await f.RunAllAsync("enable", "--force reset");
        Assert.Equal(before, await Others());
    }
}
