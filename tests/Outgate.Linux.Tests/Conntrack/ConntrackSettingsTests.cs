using Outgate.Linux.Conntrack;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Conntrack;

public class ConntrackSettingsTests
{
    [Fact]
    public async Task Accounting_is_switched_on_in_the_target_namespace_only()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("ca");
        // A ct rule loads conntrack for the namespace, as the queue rules do.
        await ns.ExecCheckedAsync("nft", "add table inet og_ct_probe");
        await ns.ExecCheckedAsync("nft", "add chain inet og_ct_probe out { type filter hook output priority 0; }");
        await ns.ExecCheckedAsync("nft", "add rule inet og_ct_probe out ct state new accept");
        await ns.ExecCheckedAsync("sysctl", "-qw", "net.netfilter.nf_conntrack_acct=0", "net.netfilter.nf_conntrack_timestamp=0");
        var host = ConntrackSettings.IsAccountingEnabled();

        ConntrackSettings.EnableAccountingIn(ns.Name);

        Assert.True(ConntrackSettings.IsAccountingEnabledIn(ns.Name));
        Assert.Equal("1\n1", string.Join('\n', (await ns.ExecCheckedAsync("sysctl", "-n", "net.netfilter.nf_conntrack_acct", "net.netfilter.nf_conntrack_timestamp")).StdOut.Trim().Split('\n')));
        Assert.Equal(host, ConntrackSettings.IsAccountingEnabled()); // the host's own setting is untouched
    }

    [Fact]
    public void A_missing_namespace_is_reported_by_name()
    {
        NetworkNamespace.SkipUnlessRoot();
        var ex = Assert.Throws<Outgate.Linux.Netlink.NetlinkException>(() => ConntrackSettings.EnableAccountingIn("og-missing-namespace-0"));
        Assert.Contains("og-missing-namespace-0", ex.Message);
    }
}
