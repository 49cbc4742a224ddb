using System.Text.Json.Nodes;

namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>
/// `allow out to domain NAME port P`: an address becomes reachable because the client just
/// resolved an allowed name to it, through a real resolver (glibc + dnsmasq), on the very first
/// connect; nothing else on that port is.
/// </summary>
public sealed class DomainRuleTests
{
    private static async Task<DomainLab> EnforcingAsync(string tag, params string[][] rules)
    {
        var lab = await DomainLab.CreateAsync(tag);
        try
        {
            await lab.DenyAllButDnsAsync();
            foreach (var rule in rules) await lab.RuleAsync(rule);
            await lab.RuleAsync("enable");
            await lab.StartDaemonAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Allowed_domain_is_reachable_on_the_first_connection_after_its_lookup()
    {
        await using var lab = await EnforcingAsync("dfirst", ["allow", "out", "to", "domain", TestZone.Allowed, "port", "8080"]);
        // One process: getaddrinfo through glibc, then a single connect right away. The daemon must
        // have learnt the answer before the SYN arrives; a retry would hide a race.
        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "allowed.test is allowed on 8080 and was just resolved", expectAddress: lab.V4(TestZone.AllowedHost));
        // getaddrinfo(AF_UNSPEC) sends the A and AAAA queries together on one socket, as most programs do.
        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "the same with an A + AAAA lookup", family: "any");
        await lab.AssertBlockedAsync(TestZone.Allowed, 80, "the domain rule covers port 8080 only");
    }

    [Fact]
    public async Task Another_domain_on_the_same_port_is_blocked()
    {
        await using var lab = await EnforcingAsync("dother", ["allow", "out", "to", "domain", TestZone.Allowed, "port", "8080"]);
        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "allowed.test is allowed");
        await lab.AssertBlockedAsync(TestZone.Other, 8080, "other.test has no rule: default deny outgoing");
    }

    [Fact]
    public async Task A_rule_on_a_cname_alias_allows_the_final_address()
    {
        await using var lab = await EnforcingAsync("dcname", ["allow", "out", "to", "domain", TestZone.Alias, "port", "8080"]);
        // www.test CNAME edge.test CNAME final.test A .13: the rule names the first link only.
        await lab.AssertOpensAsync(TestZone.Alias, 8080, "www.test is allowed and its chain ends at final.test's address", expectAddress: lab.V4(TestZone.FinalHost));
        var decision = await lab.WaitForDecisionAsync($"for {lab.V4(TestZone.FinalHost)}:8080",
            e => (string?)e["dst"] == lab.V4(TestZone.FinalHost) && (int?)e["dstPort"] == 8080);
        Assert.True((string?)decision["verdict"] == "allow", $"the connection through the CNAME chain is allowed: {decision.ToJsonString()}");
    }

    [Fact]
    public async Task Every_address_of_a_multi_record_answer_is_allowed()
    {
        await using var lab = await EnforcingAsync("dmulti", ["allow", "out", "to", "domain", TestZone.Multi, "port", "8080"]);
        var v4 = await lab.LookupAsync(TestZone.Multi);
        var v6 = await lab.LookupAsync(TestZone.Multi, v6: true);
        Assert.Equal(TestZone.MultiHosts.Select(lab.V4).Order(), v4.Order());
        // Straight after the lookups, every address of the answers (not only the first one a client tries).
        foreach (var address in v4) await lab.AssertOpensAsync(address, 8080, $"{address} is one of multi.test's A records", family: "4");
        foreach (var address in v6) await lab.AssertOpensAsync(address, 8080, $"{address} is one of multi.test's AAAA records", family: "6");
    }

    [Fact]
    public async Task An_aaaa_answer_allows_the_ipv6_address()
    {
        await using var lab = await EnforcingAsync("daaaa", ["allow", "out", "to", "domain", TestZone.Allowed, "port", "8080"]);
        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "allowed.test's AAAA record", family: "6", expectAddress: lab.V6(TestZone.AllowedHost));
        await lab.AssertBlockedAsync(TestZone.Final, 8080, "final.test (also IPv6) has no rule", family: "6");
    }

    [Fact]
    public async Task A_wildcard_allows_names_strictly_below_the_domain()
    {
        await using var lab = await EnforcingAsync("dwild", ["allow", "out", "to", "domain", "*.cdn.test", "port", "8080"]);
        await lab.AssertOpensAsync(TestZone.CdnChild, 8080, "x1.cdn.test is below cdn.test");
        await lab.AssertBlockedAsync(TestZone.CdnApex, 8080, "*.cdn.test does not cover cdn.test itself");
    }

    [Fact]
    public async Task The_log_and_connections_name_the_domain()
    {
        await using var lab = await EnforcingAsync("dname", ["allow", "out", "to", "domain", TestZone.Allowed, "port", "8080"]);
        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "allowed.test is allowed");
        var decision = await lab.WaitForDecisionAsync($"for {lab.V4(TestZone.AllowedHost)}:8080",
            e => (string?)e["dst"] == lab.V4(TestZone.AllowedHost) && (int?)e["dstPort"] == 8080);
        Assert.True((string?)decision["domain"] == TestZone.Allowed && (string?)decision["verdict"] == "allow",
            $"the decision names the domain the address was resolved from: {decision.ToJsonString()}");

        await lab.HoldConnectionAsync(TestZone.Allowed, 8080);
        JsonObject? row = null;
        JsonObject? doc = null;
        await Decisions.DecisionLab.EventuallyAsync(async () =>
        {
            doc = await lab.ConnectionsAsync();
            row = doc["connections"]?.AsArray().Select(c => c!.AsObject()).FirstOrDefault(c =>
                (string?)c["remote_address"] == lab.V4(TestZone.AllowedHost) && (int?)c["remote_port"] == 8080 && (string?)c["state"] != "LISTEN");
            return row is not null && (string?)row["domain"] == TestZone.Allowed;
        }, seconds: 5);
        Assert.True(row is not null, await lab.DiagnoseAsync("outgate connections --json lists no connection to allowed.test's address", doc?.ToJsonString() ?? ""));
        Assert.True((string?)row!["domain"] == TestZone.Allowed, await lab.DiagnoseAsync("outgate connections --json shows the domain for the remote address", row.ToJsonString()));
    }
}
