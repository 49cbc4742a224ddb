using Outgate.Testing;

namespace Outgate.Policy.Tests.Dns;

/// <summary>
/// Loads compiled rulesets with domain, list, dns-required and block-doh sets into the real nft 1.0.6, inside a network
/// namespace of our own only (never the host's), and checks the sets behave as the daemon will use them.
/// </summary>
public sealed class DomainSetsKernelTests : IDisposable
{
    private readonly ListFixture lists = new();

    private static readonly NftCompileOptions Options = new() { Accounts = AccountLookup.FromText("root:x:0:0::/root:/bin/sh\n", "root:x:0:\n") };

    public void Dispose() => lists.Dispose();

    private FirewallPolicy FullPolicy()
    {
        var ips = lists.Write("ips.netset", "192.0.2.0/24\n198.51.100.10-198.51.100.20\n2001:db8::/32\n");
        var ads = lists.Write("ads.txt", "0.0.0.0 ads.example.com\n");
        return new FirewallPolicy
        {
            DnsRequired = true,
            BlockDoh = true,
            Rules =
            [
                Tokens.Rule("allow out app firefox to domain *.mozilla.org"),
                Tokens.Rule("allow out to domain updates.example.com port 443"),
                Tokens.Rule("allow out to domain updates.example.com port 443 proto tcp"),
                Tokens.Rule($"deny out to list {ads}"),
                Tokens.Rule("deny out app python3 to domain evil.example"),
                Tokens.Rule($"reject out to list {ips} port 22 proto tcp"),
                Tokens.Rule("allow out user root to domain *.debian.org port 80,443 proto tcp"),
                Tokens.Rule("allow out to 10.9.0.0/16"),
            ],
        };
    }

    private static async Task<string> LoadAsync(NetworkNamespace ns, NftRuleset ruleset)
    {
        var file = Path.Combine(Path.GetTempPath(), $"og-h1-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, ruleset.ReplaceJson, TestContext.Current.CancellationToken);
        try
        {
            var load = await ns.ExecAsync("nft", "-j", "-f", file);
            Assert.True(load.ExitCode == 0, $"nft refused the ruleset: {load}");
            return file;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Compiled_domain_list_dns_required_and_doh_sets_load_and_take_timeout_elements()
    {
        NetworkNamespace.SkipUnlessRoot();
        var policy = FullPolicy();
        var ruleset = NftRulesetCompiler.Compile(policy, Options);
        await using var ns = await NetworkNamespace.CreateAsync("h1dns");
        await LoadAsync(ns, ruleset);

        var binding = DomainSets.For(policy, DateTimeOffset.UtcNow)[0];
        var add = await ns.ExecAsync("nft", "add", "element", "inet", "outgate", binding.SetName4, "{ 10.1.2.3 timeout 5s }");
        Assert.True(add.ExitCode == 0, add.ToString());
        var get = await ns.ExecAsync("nft", "get", "element", "inet", "outgate", binding.SetName4, "{ 10.1.2.3 }");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("10.1.2.3 timeout 5s", get.StdOut, StringComparison.Ordinal);
        var missing = await ns.ExecAsync("nft", "get", "element", "inet", "outgate", binding.SetName4, "{ 10.1.2.4 }");
        Assert.NotEqual(0, missing.ExitCode);

        var add6 = await ns.ExecAsync("nft", "add", "element", "inet", "outgate", DomainSets.Seen6, "{ 2001:db8::53 timeout 30s }");
        Assert.True(add6.ExitCode == 0, add6.ToString());

        var list = await ns.ExecAsync("nft", "get", "element", "inet", "outgate", "list_3_4", "{ 198.51.100.15 }");
        Assert.True(list.ExitCode == 0, list.ToString());
        var doh = await ns.ExecAsync("nft", "get", "element", "inet", "outgate", DomainSets.Doh6, "{ 2606:4700:4700::1111 }");
        Assert.True(doh.ExitCode == 0, doh.ToString());
        var exempt = await ns.ExecAsync("nft", "get", "element", "inet", "outgate", DomainSets.Exempt4, "{ 10.9.1.1 }");
        Assert.True(exempt.ExitCode == 0, exempt.ToString());

        // Every set the plan names exists in the loaded table.
        var listed = await ns.ExecAsync("nft", "list", "sets", "inet");
        foreach (var b in DomainSets.For(policy, DateTimeOffset.UtcNow))
        {
            Assert.Contains($"set {b.SetName4} ", listed.StdOut, StringComparison.Ordinal);
            Assert.Contains($"set {b.SetName6} ", listed.StdOut, StringComparison.Ordinal);
        }

        // A second load of the same ruleset replaces the table in one transaction (filled sets start empty again).
        await LoadAsync(ns, ruleset);
        Assert.NotEqual(0, (await ns.ExecAsync("nft", "get", "element", "inet", "outgate", binding.SetName4, "{ 10.1.2.3 }")).ExitCode);
    }

    [Fact]
    public async Task Dns_required_refuses_an_address_until_dns_saw_it()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var client = await NetworkNamespace.CreateAsync("h1cli");
        await using var server = await NetworkNamespace.CreateAsync("h1srv");
        await client.ConnectAsync(server, 231);
        // A listener in the peer namespace: accepts and closes, bounded to 60 s.
        server.Start("timeout", "60", "python3", "-c",
            "import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('10.231.0.2',8080))\ns.listen(16)\n" +
            "while True:\n c,_=s.accept()\n c.close()\n");
        const string connect = "import socket,sys\ns=socket.socket()\ns.settimeout(3)\ntry:\n s.connect(('10.231.0.2',8080)); print('connected')\nexcept OSError as e:\n print('refused', e.errno)\n";
        var ready = false;
        for (var i = 0; i < 50 && !ready; i++)
        {
            ready = (await client.ExecAsync("python3", "-c", connect)).StdOut.Contains("connected", StringComparison.Ordinal);
            if (!ready)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(ready, "the listener in the peer namespace never came up");
        await LoadAsync(client, NftRulesetCompiler.Compile(new FirewallPolicy { DnsRequired = true }, Options));
        Assert.Contains("refused", (await client.ExecAsync("python3", "-c", connect)).StdOut, StringComparison.Ordinal);

        var seen = await client.ExecAsync("nft", "add", "element", "inet", "outgate", DomainSets.Seen4, "{ 10.231.0.2 timeout 30s }");
        Assert.True(seen.ExitCode == 0, seen.ToString());
        Assert.Contains("connected", (await client.ExecAsync("python3", "-c", connect)).StdOut, StringComparison.Ordinal);
    }
}
