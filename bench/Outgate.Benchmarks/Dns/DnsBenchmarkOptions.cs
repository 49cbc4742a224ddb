using System.Globalization;
using System.Net;

namespace Outgate.Benchmarks.Dns;

/// <summary>
/// Command line of <c>dns-load</c> (bench/dns/run.sh passes the namespaces it created).
/// <c>--parts</c> picks what runs: <c>latency</c> (DNS resolution with and without tracking),
/// <c>sets</c> (CIDR lists into a kernel interval set), <c>lists</c> (1M domains: ours vs dnsmasq).
/// </summary>
internal sealed record DnsBenchmarkOptions
{
    public required string ClientNamespace { get; init; }
    public required string ServerNamespace { get; init; }
    public required IPAddress Server { get; init; }
    public string[] Parts { get; init; } = ["latency", "sets", "lists"];
    public int[] Threads { get; init; } = [1, 4];
    /// <summary>Queries per run (split over the client threads); each run also stops after <see cref="RunLimit"/>.</summary>
    public int Queries { get; init; } = 20_000;
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RunLimit { get; init; } = TimeSpan.FromSeconds(20);
    public int Rounds { get; init; } = 3;
    public bool Tcp { get; init; }
    public string? DaemonDll { get; init; }
    public ushort DnsQueue { get; init; } = 8;
    public int Cidrs { get; init; } = 100_000;
    public int SingleAddresses { get; init; } = 1_000_000;
    public int Domains { get; init; } = 1_000_000;

    public static DnsBenchmarkOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--tcp") flags.Add(args[i]);
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) values[args[i]] = args[++i];
            else throw new ArgumentException($"dns-load: unexpected argument '{args[i]}'; see bench/dns/run.sh for the options");
        }
        string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"dns-load: {name} is required (bench/dns/run.sh sets it)");
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var options = new DnsBenchmarkOptions
        {
            ClientNamespace = Required("--client-ns"),
            ServerNamespace = Required("--server-ns"),
            Server = IPAddress.Parse(Required("--server")),
            Parts = values.TryGetValue("--parts", out var parts) ? parts.Split(',', StringSplitOptions.RemoveEmptyEntries) : ["latency", "sets", "lists"],
            Threads = values.TryGetValue("--threads", out var t) ? [.. t.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))] : [1, 4],
            Queries = Int("--queries", 20_000),
            QueryTimeout = TimeSpan.FromMilliseconds(Int("--timeout-ms", 1000)),
            RunLimit = TimeSpan.FromSeconds(Int("--run-seconds", 20)),
            Rounds = Int("--rounds", 3),
            Tcp = flags.Contains("--tcp"),
            DaemonDll = values.GetValueOrDefault("--daemon"),
            DnsQueue = (ushort)Int("--dns-queue", 8),
            Cidrs = Int("--cidrs", 100_000),
            SingleAddresses = Int("--addresses", 1_000_000),
            Domains = Int("--domains", 1_000_000),
        };
        // Safety: everything kernel-side goes into these namespaces; refuse anything that is not one of ours.
        foreach (var ns in (string[])[options.ClientNamespace, options.ServerNamespace])
            if (!ns.StartsWith("og-", StringComparison.Ordinal) || !File.Exists(Path.Combine("/run/netns", ns)))
                throw new ArgumentException($"dns-load: namespace '{ns}' must be one created for the benchmark (og-*, listed by `ip netns list`)");
        if (options.Threads.Any(n => n < 1) || options.Queries < 1 || options.Rounds < 1)
            throw new ArgumentException("dns-load: --threads, --queries and --rounds must be positive");
        return options;
    }
}
