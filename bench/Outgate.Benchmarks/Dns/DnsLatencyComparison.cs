using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Outgate.Benchmarks.Dns;

/// <summary>
/// Issue 6's added DNS resolution latency, side by side in one run: the client namespace asks
/// dnsmasq (server namespace) with (a) no firewall, (b) every answer queued to a minimal consumer
/// that parses it with DnsAnswerParser and accepts (isolates queue + parse), (c) the real outgated
/// with <c>--dns-queue</c>. Rounds interleave the scenarios so a busy machine hits them alike; a
/// row shows the median round's queries/s and latencies pooled over the rounds.
/// </summary>
internal static class DnsLatencyComparison
{
    private const string NoFirewall = "(a) no firewall";
    private const string QueueParse = "(b) NFQUEUE + DnsAnswerParser, accept";
    private const string Daemon = "(c) outgated --dns-queue";

    public static async Task RunAsync(DnsBenchmarkOptions options, string workDirectory)
    {
        var config = Path.Combine(workDirectory, "zone.conf");
        await File.WriteAllTextAsync(config, DnsTestZone.ConfigLines());
        using var dnsmasq = DnsmasqProcess.Start(options.ServerNamespace, options.Server, config);
        if (dnsmasq.WaitForAnswer(options.ClientNamespace, options.Server, "www1.bench.test", TimeSpan.FromSeconds(10)) is null)
            throw new InvalidOperationException("dnsmasq in the server namespace did not answer www1.bench.test within 10 s (see its messages above)");

        var names = DnsTestZone.Queries();
        var scenarios = new List<string> { NoFirewall, QueueParse };
        string? daemonSkipped = options.DaemonDll is null ? "no --daemon given" : await OutgatedProcess.MissingDnsQueueOptionAsync(options.DaemonDll);
        if (daemonSkipped is null) scenarios.Add(Daemon);
        var transports = options.Tcp ? new[] { false, true } : [false];

        var samples = new Dictionary<(string, string, int), List<DnsQueryLoad.Result>>();
        var notes = new Dictionary<(string, string, int), string>();
        var daemonNotes = new List<string>();
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var scenario in scenarios)
            {
                DnsAnswerQueueConsumer? consumer = null;
                OutgatedProcess? daemon = null;
                var ourRules = false;
                try
                {
                    if (scenario == QueueParse)
                    {
                        consumer = DnsAnswerQueueConsumer.Open(options.ClientNamespace, options.DnsQueue);
                        await QueueRulesAsync(options, add: true);
                        ourRules = true;
                    }
                    else if (scenario == Daemon)
                    {
                        daemon = await OutgatedProcess.StartAsync(options.DaemonDll!, options.ClientNamespace, options.DnsQueue);
                        if (!await HasQueueRuleAsync(options))
                        {
                            await QueueRulesAsync(options, add: true);
                            ourRules = true;
                            if (round == 0) daemonNotes.Add($"outgated installed no NFQUEUE {options.DnsQueue} rule itself; the harness added the same rules as in (b)");
                        }
                    }
                    foreach (var tcp in transports)
                        foreach (var threads in options.Threads)
                        {
                            if (round == 0) DnsQueryLoad.Run("warm-up", tcp, threads, Math.Min(2000, options.Queries), options, names);
                            var before = consumer?.Read();
                            var result = DnsQueryLoad.Run(scenario, tcp, threads, options.Queries, options, names);
                            var key = (scenario, result.Transport, threads);
                            if (!samples.TryGetValue(key, out var list)) samples[key] = list = [];
                            list.Add(result);
                            if (consumer is not null && before is { } b)
                            {
                                var a = consumer.Read();
                                var parsed = a.Parsed - b.Parsed;
                                notes[key] = $"{parsed:N0} answers parsed for {result.Answered:N0} answered queries (last round), {a.Refused - b.Refused} refused, "
                                    + $"{(a.Packets - b.Packets - parsed - (a.Refused - b.Refused))} non-DNS segments, {(double)(a.Mappings - b.Mappings) / Math.Max(1, parsed):0.0} mappings/answer, "
                                    + $"parse {(a.ParseMicros - b.ParseMicros) / Math.Max(1, parsed):0.00} µs/answer on the path ({consumer.HotParseMicros():0.00} µs hot in a loop), {(double)(a.Packets - b.Packets) / Math.Max(1, a.Batches - b.Batches):0.0} packets/batch, {a.Overruns - b.Overruns} overruns";
                            }
                        }
                    if (daemon is not null && round == options.Rounds - 1)
                    {
                        daemonNotes.Add($"outgated RSS after the load: {daemon.ResidentBytes() / 1048576.0:0.0} MB");
                        if (await daemon.StatusAsync() is { } status && JsonNode.Parse(status) is { } s)
                            daemonNotes.Add($"outgated status: dns {s["dns"]?.ToJsonString() ?? "(no dns section)"}");
                    }
                }
                finally
                {
                    if (ourRules) await QueueRulesAsync(options, add: false);
                    consumer?.Dispose();
                    if (daemon is not null) await daemon.DisposeAsync();
                }
            }
        }

        Console.WriteLine($"## DNS resolution latency: {options.Rounds} rounds, {options.Queries:N0} queries per run, {names.Length} different questions, "
            + $"timeout {options.QueryTimeout.TotalMilliseconds:0} ms; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        Console.WriteLine("| scenario | transport | client threads | queries/s | vs (a) | p50 µs | p99 µs | p50 vs (a) | p99 vs (a) | added p50 µs | added p99 µs | timeouts | not NOERROR |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        DnsQueryLoad.Result Summary((string, string, int) key)
        {
            var runs = samples[key];
            var median = runs.OrderBy(r => r.PerSecond).ElementAt(runs.Count / 2);
            return median with
            {
                Latencies = [.. runs.SelectMany(r => r.Latencies).Order()],
                TimedOut = runs.Sum(r => r.TimedOut),
                NotNoError = runs.Sum(r => r.NotNoError),
            };
        }
        foreach (var key in samples.Keys)
        {
            var r = Summary(key);
            var a = Summary((NoFirewall, key.Item2, key.Item3));
            Console.WriteLine($"| {key.Item1} | {key.Item2} | {key.Item3} | {r.PerSecond:N0} | {r.PerSecond / a.PerSecond:0.00} | {r.P50:0} | {r.P99:0} | {r.P50 / a.P50:0.00} | {r.P99 / a.P99:0.00} | {r.P50 - a.P50:0} | {r.P99 - a.P99:0} | {r.TimedOut} | {r.NotNoError} |");
        }
        Console.WriteLine();
        foreach (var (key, note) in notes) Console.WriteLine($"- {key.Item1}, {key.Item2}, {key.Item3} thread(s): {note}");
        if (daemonSkipped is not null) Console.WriteLine($"- (c) not run: {daemonSkipped}");
        foreach (var note in daemonNotes) Console.WriteLine($"- {note}");
        Console.WriteLine();
    }

    /// <summary>The brief's rules, only ever in the client namespace: <c>-t mangle INPUT --sport 53 -j NFQUEUE --queue-bypass</c>, IPv4 and IPv6, UDP (and TCP with --tcp).</summary>
    private static async Task QueueRulesAsync(DnsBenchmarkOptions options, bool add)
    {
        foreach (var tool in (string[])["iptables", "ip6tables"])
            foreach (var proto in options.Tcp ? ["udp", "tcp"] : (string[])["udp"])
                await ToolAsync(add, "ip", "netns", "exec", options.ClientNamespace, tool, "-w", "5", "-t", "mangle", add ? "-A" : "-D", "INPUT",
                    "-p", proto, "--sport", "53", "-j", "NFQUEUE", "--queue-num", options.DnsQueue.ToString(System.Globalization.CultureInfo.InvariantCulture), "--queue-bypass");
    }

    private static async Task<bool> HasQueueRuleAsync(DnsBenchmarkOptions options)
    {
        var (_, output) = await ToolAsync(false, "ip", "netns", "exec", options.ClientNamespace, "iptables-save");
        return output.Contains($"--queue-num {options.DnsQueue}", StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> ToolAsync(bool mustSucceed, params string[] command)
    {
        using var p = Process.Start(new ProcessStartInfo(command[0], command[1..]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"could not start {command[0]}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = await p.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = await p.StandardError.ReadToEndAsync(timeout.Token);
        await p.WaitForExitAsync(timeout.Token);
        if (mustSucceed && p.ExitCode != 0)
            throw new InvalidOperationException($"`{string.Join(' ', command)}` failed with exit code {p.ExitCode}: {error.Trim()}");
        return (p.ExitCode, output);
    }
}
