using System.Text.Json.Nodes;

namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>
/// Connections the daemon cannot tie to a DNS answer: direct IPs (`no-dns`), DNS over TLS to a
/// resolver the client was not configured with (`dot` + alert), a known public DoH resolver (`doh`).
/// </summary>
public sealed class DirectAddressTests
{
    private static bool Tagged(JsonObject e, string tag) =>
        ((string?)e["tags"] ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries).Contains(tag);

    [Fact]
    public async Task A_direct_ip_connection_is_flagged_no_dns_and_a_resolved_one_is_not()
    {
        await using var lab = await DomainLab.CreateAsync("dnodns");
        await lab.RuleAsync("default", "allow", "outgoing");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();

        await lab.AssertOpensAsync(lab.Lab.ServerV4, 8080, "default allow outgoing");
        var direct = await lab.WaitForDecisionAsync($"for {lab.Lab.ServerV4}:8080", e => (string?)e["dst"] == lab.Lab.ServerV4 && (int?)e["dstPort"] == 8080);
        Assert.True(Tagged(direct, "no-dns") && direct["domain"] is null,
            await lab.DiagnoseAsync("a connection to an address never resolved through DNS carries tag no-dns and domain null", direct.ToJsonString()));

        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "default allow outgoing");
        var resolved = await lab.WaitForDecisionAsync($"for {lab.V4(TestZone.AllowedHost)}:8080", e => (string?)e["dst"] == lab.V4(TestZone.AllowedHost) && (int?)e["dstPort"] == 8080);
        Assert.True(!Tagged(resolved, "no-dns") && (string?)resolved["domain"] == TestZone.Allowed,
            await lab.DiagnoseAsync("a connection to a just-resolved address names the domain and is not no-dns", resolved.ToJsonString()));
    }

    [Fact]
    public async Task Dns_required_blocks_a_direct_ip_connection_while_a_resolved_one_passes()
    {
        await using var lab = await DomainLab.CreateAsync("dreq");
        await lab.DenyAllButDnsAsync();
        await lab.RuleAsync("allow", "out", "to", "any", "port", "8080", "proto", "tcp");
        await lab.SetPolicyKeysAsync("dns-required = true");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();

        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "port 8080 is allowed and the address was resolved");
        var direct = await lab.ConnectOnceAsync(lab.Lab.ServerV4, 8080);
        Assert.False(direct.Open, await lab.DiagnoseAsync($"dns-required = true: {lab.Lab.ServerV4} was never resolved, so 8080 must not open", direct.ToString()));
    }

    [Fact]
    public async Task Dot_to_a_resolver_not_in_resolv_conf_is_flagged_and_raises_an_alert()
    {
        await using var lab = await DomainLab.CreateAsync("ddot");
        await lab.StartServerListenerAsync(853);
        await lab.RuleAsync("default", "allow", "outgoing");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();

        // The client's resolv.conf names the resolver namespace's addresses only; the server is not a configured resolver.
        await lab.ConnectOnceAsync(lab.Lab.ServerV4, 853);
        var dot = await lab.WaitForDecisionAsync($"for {lab.Lab.ServerV4}:853", e => (string?)e["dst"] == lab.Lab.ServerV4 && (int?)e["dstPort"] == 853);
        Assert.True(Tagged(dot, "dot"), await lab.DiagnoseAsync("TCP/853 is tagged dot", dot.ToJsonString()));

        var alerted = await Decisions.DecisionLab.EventuallyAsync(async () => (await lab.LogAsync("alert")).Any(e =>
            (string?)e["dst"] == lab.Lab.ServerV4 || ((string?)e["message"] ?? "").Contains(lab.Lab.ServerV4, StringComparison.Ordinal)));
        Assert.True(alerted, await lab.DiagnoseAsync($"DoT to {lab.Lab.ServerV4}, which is not in resolv.conf, raises an alert", string.Join('\n', (await lab.LogAsync("alert")).Select(e => e.ToJsonString()))));

        // The configured resolver on 853 is DoT too, but expected: tagged, no alert naming it.
        await lab.ConnectOnceAsync(lab.ResolverV4, 853, timeoutSeconds: 1);
        var own = await lab.WaitForDecisionAsync($"for {lab.ResolverV4}:853", e => (string?)e["dst"] == lab.ResolverV4 && (int?)e["dstPort"] == 853);
        Assert.True(Tagged(own, "dot"), await lab.DiagnoseAsync("TCP/853 to the configured resolver is tagged dot as well", own.ToJsonString()));
        // Only the encrypted-DNS detector is under test; python dialling out also raises connect-back and new-app notices.
        var alerts = (await lab.LogAsync("alert")).Where(e => (string?)e["rule"] == "encrypted-dns").ToList();
        Assert.False(alerts.Any(e => (string?)e["dst"] == lab.ResolverV4 || ((string?)e["message"] ?? "").Contains(lab.ResolverV4, StringComparison.Ordinal)),
            $"DoT to the resolver named in resolv.conf is no alert: {string.Join('\n', alerts.Select(e => e.ToJsonString()))}");
    }

    [Fact]
    public async Task Block_doh_blocks_a_known_public_doh_resolver_and_tags_it()
    {
        await using var lab = await DomainLab.CreateAsync("ddoh");
        // 1.1.1.1 (Cloudflare's DoH) as an extra address of the lab's server, routed from the client
        // through the veth: the traffic never leaves the namespaces.
        await lab.AddServerAddressAsync("1.1.1.1");
        await lab.RuleAsync("default", "allow", "outgoing");
        await lab.SetPolicyKeysAsync("block-doh = true");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();

        await lab.AssertOpensAsync(lab.V4(TestZone.OtherHost), 443, "an ordinary HTTPS server stays reachable");
        var doh = await lab.ConnectOnceAsync("1.1.1.1", 443);
        Assert.False(doh.Open, await lab.DiagnoseAsync("block-doh = true: 1.1.1.1:443 is a public DoH resolver", doh.ToString()));
        var decision = await lab.WaitForDecisionAsync("for 1.1.1.1:443", e => (string?)e["dst"] == "1.1.1.1" && (int?)e["dstPort"] == 443);
        Assert.True(Tagged(decision, "doh"), await lab.DiagnoseAsync("a known public DoH resolver is tagged doh", decision.ToJsonString()));
    }
}
