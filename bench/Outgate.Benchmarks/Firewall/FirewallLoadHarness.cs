using System.Net;
using System.Net.Sockets;
using Outgate.Benchmarks.Queue;
using Outgate.Linux.Netlink;
using Outgate.Linux.Nftables;
using Outgate.Policy;

namespace Outgate.Benchmarks.Firewall;

/// <summary>
/// New TCP connections/s and connect latency between two namespaces with no table, then with the
/// compiled `inet outgate` table holding 1,000 deny rules that every new connection must pass
/// before the final allow (worst case: the allow is last), folded into sets (the default) and
/// unfolded (1,000 linear rules). Same load generator and rounds as the queue harness.
/// Run by bench/firewall/run.sh, which creates the namespaces.
/// </summary>
internal static class FirewallLoadHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        // `--apply-unfolded NS PORT`: load the unfolded 1,000-rule table allowing PORT into NS and exit (for iperf3).
        if (args is ["--apply-unfolded", var ns, var portText, var countText] && ns.StartsWith("og-", StringComparison.Ordinal))
        {
            var table = NftRulesetCompiler.Compile(
                DenyRulesThenAllow(int.Parse(portText, System.Globalization.CultureInfo.InvariantCulture), int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture)),
                new NftCompileOptions { MergeIntoSets = false });
            NetworkNamespaceScope.Run(ns, () => { using var nft = new NftClient(); nft.Run(table.ReplaceJson); });
            return 0;
        }
        var options = QueueLoadHarness.Parse(args);
        var policy = DenyRulesThenAllow(options.Port, 1000);
        var conntrackOnly = NftRulesetCompiler.Compile(DenyRulesThenAllow(options.Port, 0));
        var folded = NftRulesetCompiler.Compile(policy);
        var unfolded = NftRulesetCompiler.Compile(policy, new NftCompileOptions { MergeIntoSets = false });
        using var listener = NetworkNamespaceScope.Run(options.ServerNamespace, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(options.Server, options.Port));
            s.Listen(4096);
            return s;
        });
        var acceptors = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            while (true)
            {
                try { listener.Accept().Dispose(); }
                catch (SocketException) { return; }
                catch (ObjectDisposedException) { return; }
            }
        }) { IsBackground = true }).ToList();
        acceptors.ForEach(t => t.Start());

        void Apply(NftRuleset? ruleset) => NetworkNamespaceScope.Run(options.ClientNamespace, () =>
        {
            using var nft = new NftClient();
            nft.Run(ruleset?.ReplaceJson ?? NftTableBatch.Delete(new NftTableId("inet", "outgate")).ToJsonString());
        });

        var scenarios = new (string Name, NftRuleset? Ruleset)[]
        {
            ("no table", null),
            ($"outgate, only the allow rule ({conntrackOnly.NftRuleCount} nft rules: conntrack baseline)", conntrackOnly),
            ($"outgate, 1,000 rules folded ({folded.NftRuleCount} nft rules)", folded),
            ($"outgate, 1,000 rules unfolded ({unfolded.NftRuleCount} nft rules)", unfolded),
        };
        var samples = new Dictionary<(string, int), List<QueueLoadHarness.Result>>();
        try
        {
            for (var round = 0; round < options.Rounds; round++)
                foreach (var (name, ruleset) in scenarios)
                {
                    Apply(ruleset);
                    foreach (var threads in options.Threads)
                    {
                        if (round == 0) QueueLoadHarness.Load("warm-up", threads, options with { Duration = TimeSpan.FromSeconds(1) });
                        var r = QueueLoadHarness.Load(name, threads, options);
                        if (!samples.TryGetValue((name, threads), out var list)) samples[(name, threads)] = list = [];
                        list.Add(r);
                    }
                }
        }
        finally
        {
            Apply(null);
            listener.Dispose();
        }

        Console.WriteLine($"{Environment.ProcessorCount} CPUs; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; {options.Rounds} rounds x {options.Duration.TotalSeconds:0.#} s per scenario (median round)");
        Console.WriteLine();
        Console.WriteLine("| scenario | client threads | conn/s | vs no table | vs conntrack baseline | connect p50 µs | p99 µs | failures |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var ((name, threads), runs) in samples)
        {
            var median = runs.OrderBy(r => r.PerSecond).ElementAt(runs.Count / 2);
            var baseline = samples[("no table", threads)].OrderBy(r => r.PerSecond).ElementAt(runs.Count / 2);
            var ct = samples[(scenarios[1].Name, threads)].OrderBy(r => r.PerSecond).ElementAt(runs.Count / 2);
            var pooled = runs.SelectMany(r => r.Latencies).Order().ToArray();
            Console.WriteLine($"| {name} | {threads} | {median.PerSecond:N0} | {median.PerSecond / baseline.PerSecond:0.00} | {median.PerSecond / ct.PerSecond:0.00} | {QueueLoadHarness.Percentile(pooled, 0.5):0} | {QueueLoadHarness.Percentile(pooled, 0.99):0} | {runs.Sum(r => r.Failures)} |");
        }
        await Task.CompletedTask;
        return 0;
    }

    /// <summary>default deny outgoing; <paramref name="count"/> `deny out to 198.51.x.y/32 port P proto tcp` (never matching the load); then `allow out PORT/tcp`.</summary>
    private static FirewallPolicy DenyRulesThenAllow(int port, int count)
    {
        var rules = new List<Rule>();
        for (var i = 0; i < count; i++)
        {
            PortSpec.TryParse((1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), out var p, out _);
            rules.Add(new Rule
            {
                Action = RuleAction.Deny, Direction = Direction.Out, Protocol = Protocol.Tcp,
                To = new IPNetwork(IPAddress.Parse($"198.51.{100 + i / 250}.{i % 250 + 1}"), 32), ToPort = p,
            });
        }
        PortSpec.TryParse(port.ToString(System.Globalization.CultureInfo.InvariantCulture), out var allowPort, out _);
        rules.Add(new Rule { Action = RuleAction.Allow, Direction = Direction.Out, Protocol = Protocol.Tcp, ToPort = allowPort });
        return new FirewallPolicy { Defaults = new Defaults { Outgoing = DefaultPolicy.Deny }, Rules = rules, Logging = LogLevel.Off };
    }
}
