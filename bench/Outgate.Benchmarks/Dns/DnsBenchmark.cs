namespace Outgate.Benchmarks.Dns;

/// <summary>
/// <c>dns-load</c>: issue 6's benchmarks in one run (bench/dns/run.sh creates the namespaces and
/// starts it from the host namespace): DNS resolution latency with and without tracking, CIDR
/// lists into a kernel interval set, a 1M-domain list against dnsmasq. Everything kernel-side
/// happens in the two og-* namespaces; temp files live in one directory removed at the end.
/// </summary>
internal static class DnsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = DnsBenchmarkOptions.Parse(args);
        var work = Directory.CreateTempSubdirectory("og-bench-dns-").FullName;
        try
        {
            Console.WriteLine($"dns-load {string.Join(' ', args)}");
            Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine();
            foreach (var part in options.Parts)
            {
                switch (part)
                {
                    case "latency": await DnsLatencyComparison.RunAsync(options, work); break;
                    case "sets": await KernelSetLoad.RunAsync(options, work); break;
                    case "lists": await DomainListComparison.RunAsync(options, work); break;
                    default: throw new ArgumentException($"dns-load: unknown part '{part}' in --parts; use latency, sets, lists");
                }
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
