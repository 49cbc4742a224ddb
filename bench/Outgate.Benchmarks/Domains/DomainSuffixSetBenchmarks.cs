using BenchmarkDotNet.Attributes;
using Outgate.Policy.Domains;

namespace Outgate.Benchmarks.Domains;

/// <summary>
/// A 1,000,000-domain blocklist: building it, and looking up deep names (4 labels above the listed domain) that hit
/// or miss. Lookups walk 4,096 different names per invocation, spread over the whole set, so the numbers include the
/// cache misses a real DNS stream causes rather than one hot name. Results are per lookup (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class DomainSuffixSetBenchmarks
{
    private const int Domains = 1_000_000;
    private const int Queries = 4096;
    private string[] _names = [];
    private string[] _hits = [];
    private string[] _misses = [];
    private DomainSuffixSet _set = DomainSuffixSet.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _names = BlocklistNames.Generate(Domains);
        _set = Build();
        var random = new Random(1);
        _hits = [.. Enumerable.Range(0, Queries).Select(_ => "img.cdn.eu.www." + _names[random.Next(Domains)])];
        _misses = [.. Enumerable.Range(0, Queries).Select(i => $"img.cdn.eu.www.unlisted{i}.{_names[random.Next(Domains)][^6..].TrimStart('.')}")];
        if (_hits.Any(h => !_set.Contains(h)) || _misses.Any(m => _set.Contains(m))) throw new InvalidOperationException("query setup is wrong");
        Console.WriteLine($"// DomainSuffixSet: {_set.Count:N0} domains, {_set.MemoryBytes:N0} bytes = {(double)_set.MemoryBytes / _set.Count:F1} B/domain " +
            $"(avg name {_names.Average(n => n.Length):F1} chars)");
    }

    [Benchmark]
    public DomainSuffixSet Build_1M()
    {
        var builder = new DomainSuffixSetBuilder(Domains);
        foreach (var name in _names) builder.Add(name, DomainMatchScope.DomainAndSubdomains);
        return builder.Build();
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int Lookup_hit_deep()
    {
        var found = 0;
        foreach (var name in _hits) if (_set.Contains(name)) found++;
        return found;
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int Lookup_miss_deep()
    {
        var found = 0;
        foreach (var name in _misses) if (_set.Contains(name)) found++;
        return found;
    }

    /// <summary>The same name again and again: what a repeated DNS answer costs once its slots are in cache.</summary>
    [Benchmark]
    public bool Lookup_hit_deep_hot() => _set.Contains(_hits[0]);

    private DomainSuffixSet Build() => Build_1M();
}
