using System.Globalization;
using Outgate.Benchmarks.Queue;

namespace Outgate.Benchmarks.Daemon;

/// <summary>
/// The side-by-side table of a daemon run with <c>--peer opensnitch</c>: outgated and opensnitchd on the same loads,
/// in the same run and client namespace, each against that run's no-firewall baseline, then the ratio of the two.
/// </summary>
internal sealed record DaemonComparison
{
    public const string OutgateScenario = "outgate daemon, cached decisions";
    public const string OutgateSpawnScenario = "outgate daemon, new process each time (uncached)";
    public const string BaselineScenario = "no firewall";
    public const string BaselineSpawnScenario = "no firewall, new process each time";

    public required IReadOnlyDictionary<(string Scenario, int Threads), List<QueueLoadHarness.Result>> Samples { get; init; }
    public required IReadOnlyDictionary<string, List<double>> SpawnRates { get; init; }

    /// <summary>Firewall process CPU µs per connection around the last round's largest load, by scenario.</summary>
    public required IReadOnlyDictionary<string, double> CpuPerConnection { get; init; }

    /// <summary>Firewall process CPU µs per connection around the new-process runs, by spawn scenario.</summary>
    public required IReadOnlyDictionary<string, double> SpawnCpu { get; init; }

    /// <summary>Firewall process CPU µs per connection around the last load, keyed "outgate" and "opensnitch".</summary>
    public required IReadOnlyDictionary<string, double> FinalCpu { get; init; }

    public required int[] Threads { get; init; }
    public required int Spawns { get; init; }
    public required double FinalSeconds { get; init; }
    public required string PeerScenario { get; init; }
    public required string PeerSpawnScenario { get; init; }
    public required QueueLoadHarness.Result? OutgateFinal { get; init; }
    public required long OutgateRss { get; init; }
    public required QueueLoadHarness.Result? PeerFinal { get; init; }
    public required long PeerRss { get; init; }
    public required string PeerMemory { get; init; }
    public required string? PeerProbe { get; init; }
    public required IReadOnlyList<string> PeerQueue { get; init; }

    /// <summary>Open fds of the load generator: 1.5.8's /proc lookup readlinks the fds of the processes it knows per new socket.</summary>
    public required int LoadGeneratorFds { get; init; }

    public void Write(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Side by side: outgated and opensnitchd {OpenSnitchPeer.Version} on the same loads (same run, same client namespace); ratios against this run's no-firewall rows");
        output.WriteLine();
        output.WriteLine($"| | outgated | opensnitchd {OpenSnitchPeer.Version} | opensnitchd / outgated |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (var threads in Threads)
        {
            var baseline = Median(BaselineScenario, threads);
            var o = Median(OutgateScenario, threads);
            var p = Median(PeerScenario, threads);
            Row($"conn/s, one long-lived client process, {threads} client thread{(threads == 1 ? "" : "s")} (vs no firewall)",
                o is null || baseline is null ? "–" : $"{o.PerSecond:N0} ({o.PerSecond / baseline.PerSecond:0.00})",
                p is null || baseline is null ? "–" : $"{p.PerSecond:N0} ({p.PerSecond / baseline.PerSecond:0.00})",
                Ratio(p?.PerSecond, o?.PerSecond));
            var b50 = Pooled(BaselineScenario, threads, 0.5);
            var b99 = Pooled(BaselineScenario, threads, 0.99);
            Row($"added connect p50 / p99 µs, {threads} client thread{(threads == 1 ? "" : "s")}",
                $"{Pooled(OutgateScenario, threads, 0.5) - b50:0} / {Pooled(OutgateScenario, threads, 0.99) - b99:0}",
                $"{Pooled(PeerScenario, threads, 0.5) - b50:0} / {Pooled(PeerScenario, threads, 0.99) - b99:0}",
                "");
            Row($"failed connects, {threads} client thread{(threads == 1 ? "" : "s")}",
                $"{Failures(OutgateScenario, threads)}", $"{Failures(PeerScenario, threads)}", "");
        }
        Row($"firewall process CPU µs per connection, {Threads.Max()} client threads (last round)",
            Micros(CpuPerConnection, OutgateScenario), Micros(CpuPerConnection, PeerScenario), Ratio(Get(CpuPerConnection, PeerScenario), Get(CpuPerConnection, OutgateScenario)));
        var spawnBase = MedianRate(BaselineSpawnScenario);
        Row($"new process per connection ({Spawns} x bash /dev/tcp): conn/s (vs no firewall)",
            SpawnCell(MedianRate(OutgateSpawnScenario), spawnBase), SpawnCell(MedianRate(PeerSpawnScenario), spawnBase),
            Ratio(MedianRate(PeerSpawnScenario), MedianRate(OutgateSpawnScenario)));
        Row($"firewall process CPU µs per connection, new process each time (last round; 10 ms ticks / {Spawns})",
            Micros(SpawnCpu, OutgateSpawnScenario), Micros(SpawnCpu, PeerSpawnScenario), Ratio(Get(SpawnCpu, PeerSpawnScenario), Get(SpawnCpu, OutgateSpawnScenario)));
        Row($"last load, fresh start, 2 client threads for {FinalSeconds:0.#} s: conn/s, failures",
            OutgateFinal is null ? "–" : $"{OutgateFinal.PerSecond:N0}, {OutgateFinal.Failures}",
            PeerFinal is null ? "–" : $"{PeerFinal.PerSecond:N0}, {PeerFinal.Failures}",
            Ratio(PeerFinal?.PerSecond, OutgateFinal?.PerSecond));
        Row("firewall process CPU µs per connection in that load",
            Micros(FinalCpu, "outgate"), Micros(FinalCpu, "opensnitch"), Ratio(Get(FinalCpu, "opensnitch"), Get(FinalCpu, "outgate")));
        Row("RSS 2 s after that load, MiB", $"{OutgateRss / 1048576.0:0.0}", $"{PeerRss / 1048576.0:0.0}",
            Ratio(PeerRss, OutgateRss));
        output.WriteLine();
        output.WriteLine($"opensnitchd check: {PeerProbe ?? "not run"}");
        foreach (var line in PeerQueue) output.WriteLine($"opensnitchd queue, {line}");
        output.WriteLine($"opensnitchd memory: {PeerMemory}");
        output.WriteLine($"load generator: {LoadGeneratorFds} open fds at the end");

        void Row(string name, string outgate, string peer, string ratio) => output.WriteLine($"| {name} | {outgate} | {peer} | {ratio} |");
    }

    private QueueLoadHarness.Result? Median(string scenario, int threads) =>
        Samples.TryGetValue((scenario, threads), out var runs) && runs.Count > 0 ? runs.OrderBy(r => r.PerSecond).ElementAt(runs.Count / 2) : null;

    private double Pooled(string scenario, int threads, double p) =>
        Samples.TryGetValue((scenario, threads), out var runs) ? QueueLoadHarness.Percentile(runs.SelectMany(r => r.Latencies).Order().ToArray(), p) : double.NaN;

    private int Failures(string scenario, int threads) =>
        Samples.TryGetValue((scenario, threads), out var runs) ? runs.Sum(r => r.Failures) : 0;

    private double? MedianRate(string scenario) =>
        SpawnRates.TryGetValue(scenario, out var rates) && rates.Count > 0 ? rates.Order().ElementAt(rates.Count / 2) : null;

    private static string SpawnCell(double? rate, double? baseline) =>
        rate is null ? "–" : baseline is > 0 ? $"{rate:N0} ({rate / baseline:0.00})" : $"{rate:N0}";

    private static double? Get(IReadOnlyDictionary<string, double> values, string key) => values.TryGetValue(key, out var v) ? v : null;

    private static string Micros(IReadOnlyDictionary<string, double> values, string key) =>
        values.TryGetValue(key, out var v) ? v.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string Ratio(double? peer, double? outgate) =>
        peer is { } p && outgate is { } o && o > 0 ? (p / o).ToString("0.00", CultureInfo.InvariantCulture) : "–";
}
