using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Rules;

/// <summary>The harness itself: without a firewall everything answers; a hand-made drop is seen as blocked.</summary>
public class LabTests
{
    [Fact]
    public async Task Every_service_answers_without_a_firewall_and_a_drop_rule_is_seen()
    {
        await using var f = await FirewallLab.CreateAsync("lab");
        await f.Lab.AssertReachableExactlyAsync("no firewall", FirewallLab.Everything);
        await f.Lab.Client.ExecCheckedAsync("nft", "add table inet probe; add chain inet probe o { type filter hook output priority 0; }; add rule inet probe o udp dport 123 drop; add rule inet probe o ip6 daddr ::/0 tcp dport 8080 reject");
        await f.Lab.AssertReachableExactlyAsync("udp 123 dropped, tcp 8080 v6 rejected",
            [.. FirewallLab.Everything.Where(s => !(s.Proto == "udp" && s.Port == 123) && !(s.Proto == "tcp" && s.Port == 8080 && s.V6))]);
    }

    [Fact]
    public async Task Panic_works_without_any_policy_and_off_removes_only_its_table()
    {
        await using var f = await FirewallLab.CreateAsync("pan0");
        Assert.Contains("table inet outgate_panic", await f.Cli.OkAsync("--dry-run panic on"));
        Assert.Null(await f.TableTextAsync("outgate_panic"));
        await f.Cli.OkAsync("panic on");
        await f.Lab.AssertReachableExactlyAsync("panic on");
        await f.Cli.OkAsync("panic off");
        Assert.Null(await f.TableTextAsync("outgate_panic"));
        await f.Lab.AssertReachableExactlyAsync("panic off", FirewallLab.Everything);
    }
}
