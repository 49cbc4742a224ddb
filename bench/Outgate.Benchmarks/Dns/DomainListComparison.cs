using System.Diagnostics;
using Outgate.Benchmarks.Domains;
using Outgate.Policy.Domains;

namespace Outgate.Benchmarks.Dns;

/// <summary>
/// Issue 6's domain-list target side by side with dnsmasq on the SAME 1,000,000 names
/// (<see cref="BlocklistNames"/>, seed 7, as the BenchmarkDotNet benchmarks): our
/// <see cref="DomainListReader"/> loading a hosts file and a plain list (load time, bytes per
/// domain, lookups in process) against dnsmasq 2.90 loading the names as <c>address=/name/0.0.0.0</c>
/// lines (suffix match, like our plain list) and as an <c>addn-hosts</c> file (exact names, like
/// our hosts list): time from start until it answers the LAST name of the list, and its RSS over
/// an otherwise identical dnsmasq. Query latency through dnsmasq with and without the list shows
/// what the list costs it per query (network round trip included).
/// </summary>
internal static class DomainListComparison
{
    public static async Task RunAsync(DnsBenchmarkOptions options, string workDirectory)
    {
        var names = BlocklistNames.Generate(options.Domains);
        var hosts = Path.Combine(workDirectory, "list.hosts");
        var plain = Path.Combine(workDirectory, "list.txt");
        var addressConf = Path.Combine(workDirectory, "list-address.conf");
        var hostsConf = Path.Combine(workDirectory, "list-hosts.conf");
        var baseConf = Path.Combine(workDirectory, "base.conf");
        await File.WriteAllLinesAsync(hosts, names.Select(n => "0.0.0.0 " + n));
        await File.WriteAllLinesAsync(plain, names);
        await File.WriteAllLinesAsync(addressConf, names.Select(n => $"address=/{n}/0.0.0.0"));
        await File.WriteAllTextAsync(hostsConf, $"addn-hosts={hosts}\n");
        await File.WriteAllTextAsync(baseConf, "address=/probe.bench.test/0.0.0.0\n");
        var random = new Random(1);
        var sample = Enumerable.Range(0, 4096).Select(_ => names[random.Next(names.Length)]).ToArray();
        var deepHits = sample.Select(n => "img.cdn.eu.www." + n).ToArray();
        var rows = new List<string>();

        // Ours: one warm-up (JIT, page cache), then 3 timed loads of each file; memory from the set and from the GC.
        DomainListReader.ReadFile(hosts, DomainListFormat.Hosts);
        foreach (var (file, format, what) in new[] { (hosts, DomainListFormat.Hosts, "hosts file (exact names)"), (plain, DomainListFormat.Plain, "plain list (name and subdomains)") })
        {
            var times = new List<double>();
            DomainListLoadResult? result = null;
            long gcBytes = 0;
            for (var run = 0; run < 3; run++)
            {
                result = null;
                var before = GC.GetTotalMemory(forceFullCollection: true);
                var watch = Stopwatch.StartNew();
                result = DomainListReader.ReadFile(file, format);
                times.Add(watch.Elapsed.TotalMilliseconds);
                gcBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
            }
            var set = result!.Set;
            if (set.Count != names.Length) throw new InvalidOperationException($"{file}: loaded {set.Count} names, expected {names.Length}");
            var probe = format == DomainListFormat.Plain ? deepHits : sample;
            var lookupNs = LookupNanoseconds(set, probe);
            rows.Add($"| Outgate DomainListReader, {what} | {times.Order().ElementAt(1):N0} ms (load → set ready) | {set.MemoryBytes / 1048576.0:0.0} MB set, {gcBytes / 1048576.0:0.0} MB held per GC | "
                + $"{(double)set.MemoryBytes / set.Count:0.0} B ({(double)gcBytes / set.Count:0.0} B per GC) | {lookupNs:0} ns in process ({(format == DomainListFormat.Plain ? "img.cdn.eu.www.<listed>" : "listed name")}, 4,096 names) |");
            GC.KeepAlive(set);
        }

        // dnsmasq: an otherwise identical baseline, then the list two ways.
        var baseline = RunDnsmasq(options, baseConf, "probe.bench.test", sample);
        rows.Add($"| dnsmasq 2.90, baseline (1 `address=` line) | {baseline.Ready.TotalMilliseconds:N0} ms (start → first answer) | {baseline.Rss / 1048576.0:0.0} MB RSS | | query p50 {baseline.Query.P50:0} µs, p99 {baseline.Query.P99:0} µs (names not listed) |");
        foreach (var (conf, what, queries) in new[] { (addressConf, "`address=/name/0.0.0.0` × 1M in a conf-file", deepHits), (hostsConf, "`addn-hosts` file, 1M lines", sample) })
        {
            var r = RunDnsmasq(options, conf, names[^1], queries);
            var perDomain = (double)(r.Rss - baseline.Rss) / names.Length;
            rows.Add($"| dnsmasq 2.90, {what} | {r.Ready.TotalMilliseconds:N0} ms (start → answers the last name) | {r.Rss / 1048576.0:0.0} MB RSS (+{(r.Rss - baseline.Rss) / 1048576.0:0.0} MB) | "
                + $"{perDomain:0.0} B (RSS growth) | query p50 {r.Query.P50:0} µs, p99 {r.Query.P99:0} µs ({(queries == deepHits ? "img.cdn.eu.www.<listed>" : "listed name")}; {r.Query.NotNoError} not NOERROR) |");
        }

        Console.WriteLine($"## {names.Length:N0}-domain list: Outgate vs dnsmasq, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        Console.WriteLine("| loader | load time | memory | per domain | lookup |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        foreach (var row in rows) Console.WriteLine(row);
        Console.WriteLine();
    }

    /// <summary>ns per lookup over 4,096 listed names spread over the set, after a warm-up and a pause for tiered compilation (BenchmarkDotNet gives the careful figure).</summary>
    private static double LookupNanoseconds(DomainSuffixSet set, string[] probe)
    {
        for (var pass = 0; pass < 20; pass++) foreach (var n in probe) set.Contains(n);
        Thread.Sleep(300);
        for (var pass = 0; pass < 20; pass++) foreach (var n in probe) set.Contains(n);
        var found = 0;
        var watch = Stopwatch.StartNew();
        for (var pass = 0; pass < 100; pass++) foreach (var n in probe) if (set.Contains(n)) found++;
        if (found != 100 * probe.Length) throw new InvalidOperationException("lookup probe missed listed names");
        return watch.Elapsed.TotalMilliseconds * 1e6 / (100.0 * probe.Length);
    }

    private static (TimeSpan Ready, long Rss, DnsQueryLoad.Result Query) RunDnsmasq(DnsBenchmarkOptions options, string conf, string probe, string[] queries)
    {
        using var dnsmasq = DnsmasqProcess.Start(options.ServerNamespace, options.Server, conf);
        var ready = dnsmasq.WaitForAnswer(options.ClientNamespace, options.Server, probe, TimeSpan.FromSeconds(300))
            ?? throw new TimeoutException($"dnsmasq with {conf} did not answer {probe} within 300 s");
        var rss = dnsmasq.ResidentBytes();
        var load = DnsQueryLoad.Run("dnsmasq", tcp: false, threads: 1, queries: 5000, options, [.. queries.Select(q => (q, DnsTestZone.A))]);
        return (ready, rss, load);
    }
}
