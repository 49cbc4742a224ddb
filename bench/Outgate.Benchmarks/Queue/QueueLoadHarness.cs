using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Outgate.Linux.Netlink;
using Outgate.Linux.Packets;
using Outgate.Linux.Queue;
using Outgate.Linux.SockDiag;

namespace Outgate.Benchmarks.Queue;

/// <summary>
/// Netns load harness (bench/queue/run.sh creates the two namespaces and starts it): new TCP
/// connections per second and connect latency against a listener in the server namespace, for
/// (1) no rules, (2) every NEW connection queued to our NfQueue with batched ACCEPT verdicts,
/// (3) the same plus a sock_diag lookup per packet. Bounded by time and count per run.
/// </summary>
internal static class QueueLoadHarness
{
    internal sealed record Options(string ClientNamespace, string ServerNamespace, IPAddress Server, int[] Threads, TimeSpan Duration, int MaxConnections, int Port, int Rounds);

    internal sealed record Result(string Scenario, int Threads, int Connections, int Failures, double PerSecond, double P50, double P99, string Notes, long[] Latencies);

    internal static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1e6 / Stopwatch.Frequency;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        // Safety: rules are installed only in the named client namespace (ip netns exec), sockets
        // are created there and in the server namespace through setns'd threads; the host's
        // namespace is never touched.
        var installer = new QueueRuleInstaller(options.ClientNamespace);
        await installer.RemoveAsync();
        using var listener = NetworkNamespaceScope.Run(options.ServerNamespace, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(options.Server, options.Port));
            s.Listen(4096);
            return s;
        });
        using var stopServer = new CancellationTokenSource();
        var acceptors = Enumerable.Range(0, 2).Select(_ => StartThread("accept", () =>
        {
            while (!stopServer.IsCancellationRequested)
            {
                try { listener.Accept().Dispose(); }
                catch (SocketException) { return; }
                catch (ObjectDisposedException) { return; }
            }
        })).ToList();

        // Rounds interleave the scenarios so a busy machine (shared CPUs) hits them alike; each
        // (scenario, threads) reports the median round's rate and latencies pooled over rounds.
        var samples = new Dictionary<(string, int), List<Result>>();
        var order = new List<(string, int)>();
        void Add(Result r)
        {
            if (!samples.TryGetValue((r.Scenario, r.Threads), out var list))
            {
                samples[(r.Scenario, r.Threads)] = list = [];
                order.Add((r.Scenario, r.Threads));
            }
            list.Add(r);
        }
        var path = QueuePath.None;
        try
        {
            for (var round = 0; round < options.Rounds; round++)
            {
                await installer.RemoveAsync();
                foreach (var threads in options.Threads)
                {
                    if (round == 0) Load("warm-up", threads, options with { Duration = TimeSpan.FromSeconds(1) });
                    Add(Load("no rules", threads, options));
                }
                path = await installer.InstallAsync(new QueueRuleOptions());
                await RunToolAsync("ip", "netns", "exec", options.ClientNamespace, "sysctl", "-qw", "net.netfilter.nf_conntrack_tcp_timeout_close=1", "net.netfilter.nf_conntrack_tcp_timeout_time_wait=1",
                    "net.netfilter.nf_conntrack_tcp_timeout_fin_wait=1", "net.netfilter.nf_conntrack_tcp_timeout_syn_sent=5");
                foreach (var lookup in (bool[])[false, true])
                {
                    using var handler = NetworkNamespaceScope.Run(options.ClientNamespace, () => new QueueHandler(new QueueRuleOptions().QueueNumbers, lookup));
                    foreach (var threads in options.Threads)
                    {
                        if (round == 0) Load("warm-up", threads, options with { Duration = TimeSpan.FromSeconds(1) });
                        var before = handler.Snapshot();
                        var result = Load(lookup ? "queue + sock_diag lookup" : "queue, batched ACCEPT", threads, options);
                        var after = handler.Snapshot();
                        var batches = after.Batches - before.Batches;
                        var found = after.Found - before.Found;
                        Add(result with
                        {
                            Notes = $"{(batches == 0 ? 0 : (double)(after.Packets - before.Packets) / batches):0.0} SYN/batch, {after.Overruns - before.Overruns} overruns"
                                + (lookup ? $", {found}/{after.Packets - before.Packets} sockets found, {(after.LookupMicros - before.LookupMicros) / Math.Max(1, found):0.0} µs/lookup" : ""),
                        });
                    }
                }
            }
        }
        finally
        {
            await installer.RemoveAsync();
            await stopServer.CancelAsync();
            listener.Dispose();
            foreach (var t in acceptors) t.Join(TimeSpan.FromSeconds(2));
        }
        var results = order.Select(key =>
        {
            var runs = samples[key];
            var median = runs.OrderBy(r => r.PerSecond).ElementAt(runs.Count / 2);
            var pooled = runs.SelectMany(r => r.Latencies).Order().ToArray();
            return median with { P50 = Percentile(pooled, 0.50), P99 = Percentile(pooled, 0.99), Failures = runs.Sum(r => r.Failures), Connections = runs.Sum(r => r.Connections) };
        }).ToList();

        Console.WriteLine($"queue path: {path}; {Environment.ProcessorCount} CPUs; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; {options.Rounds} rounds x {options.Duration.TotalSeconds:0.#} s per scenario, at most {options.MaxConnections} connections per run");
        Console.WriteLine();
        Console.WriteLine("| scenario | client threads | conn/s | vs no rules | connect p50 µs | p99 µs | failures | notes |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var baseline = results.First(b => b.Scenario == "no rules" && b.Threads == r.Threads);
            Console.WriteLine($"| {r.Scenario} | {r.Threads} | {r.PerSecond:N0} | {r.PerSecond / baseline.PerSecond:0.00} | {r.P50:0} | {r.P99:0} | {r.Failures} | {r.Notes} |");
        }
        return results.Any(r => r.Connections == 0) ? 1 : 0;
    }

    internal static Result Load(string scenario, int threads, Options options)
    {
        var perThread = options.MaxConnections / threads;
        var latencies = new long[threads][];
        var counts = new int[threads];
        var failures = new int[threads];
        var endpoint = new IPEndPoint(options.Server, options.Port);
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t => NetworkNamespaceScope.RunAsync(options.ClientNamespace, () =>
        {
            var samples = latencies[t] = new long[perThread];
            var n = 0;
            while (n < perThread && Stopwatch.GetTimestamp() < deadline && failures[t] < 1000)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.LingerState = new LingerOption(true, 0); // RST on close: no TIME_WAIT, no port exhaustion
                var start = Stopwatch.GetTimestamp();
                try
                {
                    socket.Connect(endpoint);
                }
                catch (SocketException)
                {
                    failures[t]++;
                    continue;
                }
                samples[n++] = Stopwatch.GetTimestamp() - start;
            }
            counts[t] = n;
            return n;
        })).ToArray();
        Task.WaitAll(workers);
        var elapsed = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany((l, t) => l.Take(counts[t])).Order().ToArray();
        var total = counts.Sum();
        return new Result(scenario, threads, total, failures.Sum(), total / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), "", all);
    }

    /// <summary>One receive thread per queue: drain what is queued, one batch ACCEPT up to the highest id.</summary>
    private sealed class QueueHandler : IDisposable
    {
        private readonly NfQueue[] _queues;
        private readonly List<Thread> _threads = [];
        private readonly SockDiagClient? _diag;
        private volatile bool _stop;
        private long _batches, _found, _lookupTicks;

        public QueueHandler(IEnumerable<ushort> numbers, bool lookup)
        {
            _queues = numbers.Select(n => NfQueue.Open(n)).ToArray();
            _diag = lookup ? new SockDiagClient() : null;
            foreach (var queue in _queues)
                _threads.Add(StartThread($"nfqueue {queue.QueueNumber}", () => Loop(queue)));
        }

        private sealed class Batch
        {
            public uint MaxId;
            public SockDiagClient? Diag;
            public long Found, LookupTicks;
        }

        private void Loop(NfQueue queue)
        {
            var batch = new Batch { Diag = _diag };
            var deadline = Environment.TickCount64 + 600_000;
            while (!_stop && Environment.TickCount64 < deadline)
            {
                var n = queue.Receive(static (in QueuedPacket packet, Batch b) =>
                {
                    b.MaxId = packet.Id;
                    if (b.Diag is not null && packet.TryGetFlow(out var flow))
                    {
                        var start = Stopwatch.GetTimestamp();
                        SocketEntry? entry;
                        lock (b.Diag) entry = b.Diag.Lookup(SocketProtocol.Tcp, flow.SourceEndPoint, flow.DestinationEndPoint);
                        b.LookupTicks += Stopwatch.GetTimestamp() - start;
                        if (entry is not null) b.Found++;
                    }
                }, batch, maxPackets: 128);
                if (n == 0) continue;
                queue.SetVerdictBatch(batch.MaxId, NfQueueVerdict.Accept);
                Interlocked.Increment(ref _batches);
                Interlocked.Exchange(ref _found, _found + batch.Found);
                Interlocked.Exchange(ref _lookupTicks, _lookupTicks + batch.LookupTicks);
                batch.Found = 0;
                batch.LookupTicks = 0;
            }
        }

        public (long Packets, long Batches, long Overruns, long Found, double LookupMicros) Snapshot() =>
            (_queues.Sum(q => q.Counters.Packets), Interlocked.Read(ref _batches), _queues.Sum(q => q.Counters.Overruns),
             Interlocked.Read(ref _found), Interlocked.Read(ref _lookupTicks) * 1e6 / Stopwatch.Frequency);

        public void Dispose()
        {
            _stop = true;
            foreach (var t in _threads) t.Join(TimeSpan.FromSeconds(2));
            foreach (var q in _queues) q.Dispose();
            _diag?.Dispose();
        }
    }

    private static Thread StartThread(string name, Action body)
    {
        var thread = new Thread(() => body()) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    private static async Task RunToolAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        await p.WaitForExitAsync();
    }

    internal static Options Parse(string[] args)
    {
        string? ns = null, clientNs = null;
        var server = IPAddress.Parse("10.213.0.2");
        int[] threads = [1, 4];
        var seconds = 2.0;
        var rounds = 3;
        var max = 300_000;
        var port = 7777;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--server-ns": ns = args[i + 1]; break;
                case "--client-ns": clientNs = args[i + 1]; break;
                case "--server": server = IPAddress.Parse(args[i + 1]); break;
                case "--threads": threads = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
                case "--seconds": seconds = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--max": max = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = Math.Clamp(int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture), 1, 10); break;
                case "--port": port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (ns is null || clientNs is null) throw new ArgumentException("--client-ns NAME and --server-ns NAME are required (namespaces under /run/netns; bench/queue/run.sh creates them)");
        if (!clientNs.StartsWith("og-", StringComparison.Ordinal)) throw new ArgumentException($"--client-ns {clientNs}: only og-* namespaces created for the benchmark are used");
        if (seconds is <= 0 or > 60) throw new ArgumentOutOfRangeException(nameof(args), seconds, "--seconds must be in (0, 60]");
        return new Options(clientNs, ns, server, threads, TimeSpan.FromSeconds(seconds), Math.Min(max, 2_000_000), port, rounds);
    }
}
