using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Outgate.Linux.Netlink;
using Outgate.Linux.Nftables;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Nftables;

public class NftOwnedTableTests
{
    private static readonly NftTableId Outgate = new("inet", "outgate");

    private const string Simple = """
        {"nftables":[
          {"table":{"family":"inet","name":"outgate"}},
          {"chain":{"family":"inet","table":"outgate","name":"output","type":"filter","hook":"output","prio":0,"policy":"accept"}},
          {"rule":{"family":"inet","table":"outgate","chain":"output","expr":[
            {"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":8080}},{"drop":null}]}}
        ]}
        """;

    private static string Text(NetworkNamespace ns, string cmd) =>
        NetworkNamespaceScope.RunAsync(ns.Name, () => { using var c = new NftClient(json: false); return c.Run(cmd); }).GetAwaiter().GetResult();

    [Fact]
    public async Task Replace_creates_the_table_on_first_apply_and_replaces_it_later()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("nft");
        await NetworkNamespaceScope.RunAsync(ns.Name, () =>
        {
            using var client = new NftClient();
            var table = new NftOwnedTable(client, Outgate);
            Assert.Null(table.Snapshot());
            table.Replace(JsonNode.Parse(Simple)!);
            Assert.True(table.Exists());
            table.Replace(JsonNode.Parse(Simple.Replace("8080", "9090"))!);
        });
        var listing = (await ns.ExecCheckedAsync("nft", "list", "table", "inet", "outgate")).StdOut;
        Assert.Contains("tcp dport 9090 drop", listing);
        Assert.DoesNotContain("8080", listing);
    }

    [Fact]
    public async Task A_refused_rule_leaves_the_previous_table_and_reports_nfts_error()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("nft");
        await NetworkNamespaceScope.RunAsync(ns.Name, () =>
        {
            using var client = new NftClient();
            var table = new NftOwnedTable(client, Outgate);
            table.Replace(JsonNode.Parse(Simple)!);
            var before = table.Snapshot();
            // A jump to a chain that does not exist: nft parses it, the kernel refuses it.
            var bad = JsonNode.Parse(Simple.Replace("{\"drop\":null}", "{\"jump\":{\"target\":\"nowhere\"}}"))!;
            var ex = Assert.Throws<NftCommandException>(() => table.Replace(bad));
            Assert.Contains("Could not process rule", ex.NftError);
            Assert.Equal(before, table.Snapshot());
        });
    }

    [Fact]
    public async Task Other_tables_survive_replace_and_delete()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("nft");
        await ns.ExecCheckedAsync("nft", "add table inet other; add chain inet other c { type filter hook output priority 10; }; add rule inet other c tcp dport 1234 counter drop");
        var before = (await ns.ExecCheckedAsync("nft", "list", "table", "inet", "other")).StdOut;
        await NetworkNamespaceScope.RunAsync(ns.Name, () =>
        {
            using var client = new NftClient();
            var table = new NftOwnedTable(client, Outgate);
            table.Replace(JsonNode.Parse(Simple)!);
            table.Delete();
            table.Delete();
            Assert.False(table.Exists());
        });
        Assert.Equal(before, (await ns.ExecCheckedAsync("nft", "list", "table", "inet", "other")).StdOut);
    }

    [Fact]
    public void Content_for_another_table_is_refused_before_reaching_nft()
    {
        var other = JsonNode.Parse(Simple.Replace("\"table\":\"outgate\"", "\"table\":\"filter\""))!;
        var ex = Assert.Throws<ArgumentException>(() => NftTableBatch.Replace(Outgate, other));
        Assert.Contains("other tables", ex.Message);
    }

    [Fact]
    public async Task Snapshot_and_restore_round_trip_sets_counters_and_logging()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("nft");
        await ns.ExecCheckedAsync("nft", """
            table inet outgate {
              set s { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.0/24 } }
              chain output { type filter hook output priority 0; policy drop;
                ct state established,related accept
                oif lo accept
                ip daddr @s tcp dport { 80, 443 } counter accept
                limit rate 3/minute log prefix "[OUTGATE BLOCK] "
                reject
              }
            }
            """);
        var textBefore = Text(ns, "list table inet outgate");
        await NetworkNamespaceScope.RunAsync(ns.Name, () =>
        {
            using var client = new NftClient();
            var table = new NftOwnedTable(client, Outgate);
            var snap = table.Snapshot();
            table.Delete();
            table.Restore(snap);
            table.Restore(null);
            Assert.False(table.Exists());
            table.Restore(snap);
        });
        Assert.Equal(textBefore, Text(ns, "list table inet outgate"));
    }

    [Fact]
    public async Task Applies_ten_thousand_rules_and_a_twenty_thousand_cidr_set_in_one_transaction()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("nft");
        var rules = new StringBuilder("{\"nftables\":[{\"table\":{\"family\":\"inet\",\"name\":\"outgate\"}},");
        rules.Append("{\"chain\":{\"family\":\"inet\",\"table\":\"outgate\",\"name\":\"output\",\"type\":\"filter\",\"hook\":\"output\",\"prio\":0,\"policy\":\"accept\"}}");
        for (var i = 0; i < 10_000; i++)
            rules.Append($",{{\"rule\":{{\"family\":\"inet\",\"table\":\"outgate\",\"chain\":\"output\",\"expr\":[{{\"match\":{{\"op\":\"==\",\"left\":{{\"payload\":{{\"protocol\":\"ip\",\"field\":\"daddr\"}}}},\"right\":\"10.{i / 256 % 256}.{i % 256}.1\"}}}},{{\"accept\":null}}]}}}}");
        rules.Append("]}");
        var cidrs = new StringBuilder("{\"nftables\":[{\"table\":{\"family\":\"inet\",\"name\":\"outgate\"}},");
        cidrs.Append("{\"set\":{\"family\":\"inet\",\"table\":\"outgate\",\"name\":\"block\",\"type\":\"ipv4_addr\",\"flags\":[\"interval\"],\"elem\":[");
        for (var i = 0; i < 20_000; i++)
            cidrs.Append(i == 0 ? "" : ",").Append($"{{\"prefix\":{{\"addr\":\"{10 + i / 65536}.{i / 256 % 256}.{i % 256}.0\",\"len\":24}}}}");
        cidrs.Append("]}}]}");
        var (ruleTime, setTime) = await NetworkNamespaceScope.RunAsync(ns.Name, () =>
        {
            using var client = new NftClient();
            var table = new NftOwnedTable(client, Outgate);
            var sw = Stopwatch.StartNew();
            table.Replace(JsonNode.Parse(rules.ToString())!);
            var r = sw.Elapsed;
            sw.Restart();
            table.Replace(JsonNode.Parse(cidrs.ToString())!);
            return (r, sw.Elapsed);
        });
        // Timing is for the log only (the suite runs projects in parallel on 2 vCPUs); the benchmark lives in bench/.
        TestContext.Current.TestOutputHelper?.WriteLine($"10,000 rules: {ruleTime.TotalMilliseconds:F0} ms; 20,000-CIDR set: {setTime.TotalMilliseconds:F0} ms");
        var listing = await ns.ExecCheckedAsync("nft", "list", "set", "inet", "outgate", "block");
        Assert.Contains("10.78.31.0/24", listing.StdOut);
        Assert.True(ruleTime < TimeSpan.FromSeconds(30) && setTime < TimeSpan.FromSeconds(30), $"10,000 rules {ruleTime}, 20,000 CIDRs {setTime}");
    }
}
