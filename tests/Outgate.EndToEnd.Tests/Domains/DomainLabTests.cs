using System.Text.Json.Nodes;
using Outgate.EndToEnd.Tests.Decisions;

namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>
/// The lab itself, before any domain rule: dnsmasq serves the zone in its namespace, the client's
/// glibc resolver and raw UDP/TCP queries get it, every zone address answers, and the daemon with
/// plain port rules lets DNS and the resulting connections through. These pass without the domain
/// feature; if one fails, the domain tests' failures mean nothing.
/// </summary>
public sealed class DomainLabTests
{
    [Fact]
    public async Task Client_resolver_gets_every_zone_name_from_dnsmasq()
    {
        await using var lab = await DomainLab.CreateAsync("dlab");
        (string Name, string[] Expected)[] cases =
        [
            (TestZone.Allowed, [lab.V4(TestZone.AllowedHost)]),
            (TestZone.Other, [lab.V4(TestZone.OtherHost)]),
            (TestZone.Alias, [lab.V4(TestZone.FinalHost)]),
            (TestZone.Multi, [.. TestZone.MultiHosts.Select(lab.V4)]),
            (TestZone.SharedA, [lab.V4(TestZone.SharedHost)]),
            (TestZone.SharedB, [lab.V4(TestZone.SharedHost)]),
            (TestZone.CdnChild, [lab.V4(TestZone.CdnChildHost)]),
            (TestZone.Churn, [lab.V4(TestZone.ChurnOldHost)]),
            (TestZone.Api, [lab.V4(TestZone.ApiHost)]),
            (TestZone.Ads, [lab.V4(TestZone.AdsHost)]),
        ];
        foreach (var (name, expected) in cases)
        {
            var got = await lab.LookupAsync(name);
            Assert.True(got.Order().SequenceEqual(expected.Order()), await lab.DiagnoseAsync($"getent ahostsv4 {name}: got [{string.Join(", ", got)}], expected [{string.Join(", ", expected)}]", ""));
        }
        var v6 = await lab.LookupAsync(TestZone.Multi, v6: true);
        Assert.True(v6.Order().SequenceEqual(TestZone.MultiHostsV6.Select(lab.V6).Order()), await lab.DiagnoseAsync($"getent ahostsv6 {TestZone.Multi}: [{string.Join(", ", v6)}]", ""));
        Assert.Empty(await lab.LookupAsync("missing.test"));
    }

    [Fact]
    public async Task Dnsmasq_sends_one_second_ttls_for_host_records_cnames_and_hosts_files()
    {
        await using var lab = await DomainLab.CreateAsync("dttl");
        var replies = new[]
        {
            await lab.QueryAsync(TestZone.Allowed, "A"),
            await lab.QueryAsync(TestZone.Allowed, "AAAA"),
            await lab.QueryAsync(TestZone.Alias, "A"),
            await lab.QueryAsync(TestZone.Alias, "AAAA"),
            await lab.QueryAsync(TestZone.Multi, "A"),
            await lab.QueryAsync(TestZone.Multi, "AAAA"),
        };
        foreach (var r in replies)
        {
            Assert.True(r.Rcode == 0 && r.Answers.Count > 0, $"no answer: {r.Raw}");
            Assert.True(r.Answers.All(a => a.Ttl == 1), $"every record should carry TTL 1 (--local-ttl=1): {r.Raw}");
        }
        var chain = replies[2].Answers;
        Assert.True(chain.Count == 3 && chain[0].Type == 5 && chain[0].Data == TestZone.Middle && chain[1].Type == 5 && chain[1].Data == TestZone.Final
            && chain[2].Type == 1 && chain[2].Name == TestZone.Final && chain[2].Data == lab.V4(TestZone.FinalHost),
            $"www.test should answer the whole chain www -> edge -> final -> A in one reply: {replies[2].Raw}");
        Assert.Equal(TestZone.MultiHosts.Length, replies[4].Addresses.Count());
        Assert.Equal(TestZone.MultiHostsV6.Length, replies[5].Addresses.Count());
    }

    [Fact]
    public async Task Tcp_dns_answers_the_same_as_udp()
    {
        await using var lab = await DomainLab.CreateAsync("dtcp");
        var udp = await lab.QueryAsync(TestZone.Multi, "A", "udp");
        var tcp = await lab.QueryAsync(TestZone.Multi, "A", "tcp");
        Assert.Equal(udp.Addresses.Order(), tcp.Addresses.Order());
        Assert.Equal(TestZone.MultiHosts.Select(lab.V4).Order(), tcp.Addresses.Order());
    }

    [Fact]
    public async Task Every_zone_address_answers_on_8080_over_ipv4_and_ipv6()
    {
        await using var lab = await DomainLab.CreateAsync("dlst");
        foreach (var h in TestZone.AllHosts)
        {
            await lab.AssertOpensAsync(lab.V4(h), 8080, "the echo server listens on every server address", family: "4");
            await lab.AssertOpensAsync(lab.V6(h), 8080, "the echo server listens on every server address", family: "6");
        }
    }

    [Fact]
    public async Task A_rewritten_hosts_file_is_served_after_sighup()
    {
        await using var lab = await DomainLab.CreateAsync("dhup");
        Assert.Equal([lab.V4(TestZone.ChurnOldHost)], await lab.LookupAsync(TestZone.Churn));
        await lab.Dns.ReplaceHostsFileAsync(TestZone.ChurnHostsFile, TestZone.ChurnedHostsFile(lab.V4));
        Assert.Equal([lab.V4(TestZone.ChurnNewHost)], await lab.LookupAsync(TestZone.Churn));
    }

    [Fact]
    public async Task Enforcing_daemon_with_port_rules_only_passes_dns_and_the_first_connection()
    {
        await using var lab = await DomainLab.CreateAsync("dbase");
        await lab.DenyAllButDnsAsync();
        await lab.RuleAsync("allow", "out", "to", "any", "port", "8080", "proto", "tcp");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();

        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "port 8080 is allowed to any address", expectAddress: lab.V4(TestZone.AllowedHost));
        await lab.AssertOpensAsync(TestZone.Allowed, 8080, "the same over IPv6", family: "6", expectAddress: lab.V6(TestZone.AllowedHost));
        var tcp = await lab.QueryAsync(TestZone.Other, "A", "tcp");
        Assert.Equal([lab.V4(TestZone.OtherHost)], tcp.Addresses);
        await lab.AssertBlockedAsync(TestZone.Allowed, 80, "port 80 has no rule: default deny outgoing");
    }

    [Fact]
    public async Task Daemon_allowing_everything_passes_every_name()
    {
        await using var lab = await DomainLab.CreateAsync("dallow");
        await lab.RuleAsync("default", "allow", "outgoing");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();
        foreach (var name in new[] { TestZone.Allowed, TestZone.Other, TestZone.Alias, TestZone.Multi, TestZone.CdnChild, TestZone.Ads })
            await lab.AssertOpensAsync(name, 8080, "default allow outgoing");
        // bash resolves /dev/tcp/NAME/PORT through glibc as well: the app + domain test relies on it.
        Assert.True(await lab.Decisions.ConnectAsync(DecisionLab.Bash, 8080, timeoutSeconds: 2, host: TestZone.Api), await lab.DiagnoseAsync("bash could not reach api.test:8080 by name", ""));
    }

    [Fact]
    public async Task The_dot_listener_and_a_routed_public_doh_address_answer_inside_the_lab()
    {
        await using var lab = await DomainLab.CreateAsync("dpub");
        await lab.StartServerListenerAsync(853);
        await lab.AddServerAddressAsync("1.1.1.1");
        await lab.AssertOpensAsync(lab.Lab.ServerV4, 853, "the DoT stand-in listens on the server");
        await lab.AssertOpensAsync("1.1.1.1", 443, "1.1.1.1 is an address of the server namespace, routed over the lab link");
    }

    [Fact]
    public async Task A_held_connection_shows_in_connections_json_with_the_daemon_running()
    {
        await using var lab = await DomainLab.CreateAsync("dconn");
        await lab.RuleAsync("default", "allow", "outgoing");
        await lab.RuleAsync("enable");
        await lab.StartDaemonAsync();
        await lab.HoldConnectionAsync(TestZone.Allowed, 8080);
        var doc = await lab.ConnectionsAsync();
        var rows = doc["connections"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.True(rows.Any(c => (string?)c["remote_address"] == lab.V4(TestZone.AllowedHost) && (int?)c["remote_port"] == 8080),
            $"outgate connections --json lists the connection to allowed.test's address: {doc.ToJsonString()}");
    }

    [Fact]
    public async Task Garbage_dns_server_delivers_its_whole_corpus()
    {
        await using var lab = await DomainLab.CreateAsync("dgarb");
        var (udp, tcp) = await lab.StartGarbageDnsAsync();
        Assert.InRange(udp, 190, 210);
        var sent = await lab.SendGarbageQueriesAsync(udp, tcp);
        Assert.True(sent.Udp == udp && sent.Tcp == tcp, $"without a firewall every malformed answer reaches the client: {sent.Result}");
    }
}
