using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Outgate.Benchmarks.Queue;
using Outgate.Linux.Netlink;
using Outgate.Linux.Nftables;
using Outgate.Linux.Queue;
using Outgate.Policy;

namespace Outgate.Benchmarks.Daemon;

/// <summary>
/// Issue 5's side-by-side run: new TCP connections/s and connect latency from the client namespace
/// with (1) no firewall, (2) the static table only (default deny outgoing + allow PORT/tcp), (3)
/// outgated deciding every connection by an app rule for this very process (cached after the
/// first), then (4) a new process per connection (bash /dev/tcp: uncached decisions, fresh
/// attribution each time) against the same with no firewall. Also the daemon's RSS and event
/// counters after the load. Rules and the daemon only ever serve the client namespace. With <c>--peer opensnitch</c>
/// the same loads run once more against OpenSnitch's daemon (<see cref="OpenSnitchPeer"/>), in the same client
/// namespace, and a side-by-side table follows.
/// </summary>
internal static partial class DaemonLoadHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var daemonDll = args.SkipWhile(a => a != "--daemon").Skip(1).FirstOrDefault()
            ?? throw new ArgumentException("--daemon PATH/outgated.dll is required");
        var spawns = int.Parse(args.SkipWhile(a => a != "--spawns").Skip(1).FirstOrDefault() ?? "200", System.Globalization.CultureInfo.InvariantCulture);
        // The last load, after which RSS and the event counters are read: 5 s by default; 60 s checks "no event lost
        // at 5,000 conn/s for 60 s" when the rate it reports is at least that.
        var finalSeconds = double.Parse(args.SkipWhile(a => a != "--final-seconds").Skip(1).FirstOrDefault() ?? "5", System.Globalization.CultureInfo.InvariantCulture);
        // --peer opensnitch: also run OpenSnitch's daemon as the peer (off by default).
        var peerName = args.SkipWhile(a => a != "--peer").Skip(1).FirstOrDefault();
        if (peerName is not null && peerName != "opensnitch") throw new ArgumentException($"--peer {peerName}: the only peer is 'opensnitch'");
        string[] own = ["--daemon", "--spawns", "--final-seconds", "--peer"];
        var options = QueueLoadHarness.Parse(args.Where((a, i) => !own.Contains(a) && (i == 0 || !own.Contains(args[i - 1]))).ToArray());
        if (!options.ClientNamespace.StartsWith("og-", StringComparison.Ordinal)) throw new ArgumentException("the client namespace must be one of ours (og-*)");

        var self = new FileInfo(Environment.ProcessPath!).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Environment.ProcessPath!;
        var root = Directory.CreateTempSubdirectory("og-bench-daemon-").FullName;
        var config = Directory.CreateDirectory(Path.Combine(root, "etc")).FullName;
        var state = Directory.CreateDirectory(Path.Combine(root, "state")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "outgate.toml"), $"""
            [defaults]
            outgoing = "deny"

            [[rule]]
            action = "allow"
            direction = "out"
            app = "{self}"
            to_port = "{options.Port}"
            proto = "tcp"

            [[rule]]
            action = "allow"
            direction = "out"
            app = "/usr/bin/bash"
            to_port = "{options.Port}"
            proto = "tcp"
            """);
        var loaded = PolicyFileSet.Load(config);
        if (!loaded.Succeeded) throw new InvalidOperationException(string.Join("; ", loaded.Errors));
        var staticOnly = NftRulesetCompiler.Compile(new FirewallPolicy
        {
            Defaults = new Defaults { Outgoing = DefaultPolicy.Deny },
            Rules = [new Rule { Action = RuleAction.Allow, Direction = Direction.Out, Protocol = Protocol.Tcp, ToPort = Port(options.Port) }],
        });
        var withDaemon = NftRulesetCompiler.Compile(loaded.FileSet!.Policy);

        // The peer's binary first: a failed download should stop the run before any load.
        string? peerScript = null, peerBinary = null;
        if (peerName is not null)
        {
            peerScript = Path.GetFullPath("bench/daemon/opensnitch.sh");
            if (!File.Exists(peerScript)) throw new FileNotFoundException($"{peerScript} not found: run the harness through bench/daemon/run.sh, which starts it from the repository root", peerScript);
            peerBinary = OpenSnitchPeer.Fetch(peerScript);
        }
        var peerScenario = $"opensnitchd {OpenSnitchPeer.Version}, same load as cached";
        var peerSpawnScenario = $"opensnitchd {OpenSnitchPeer.Version}, new process each time";
        // The same daemon with its kernel decision cache off: every connection through the queue (attribution measured there).
        const string queueOnly = "outgate daemon, cached in the queue only (--no-kernel-cache)";
        string[] scenarios = peerBinary is null
            ? ["no firewall", "static nft only", "outgate daemon, cached decisions", queueOnly]
            : ["no firewall", "static nft only", "outgate daemon, cached decisions", queueOnly, peerScenario];
        string? queueOnlyStatus = null;
        // The same two executables as Outgate's rules: this load generator and bash.
        async Task<OpenSnitchPeer> StartPeerAsync()
        {
            // outgated in enforce mode leaves its queue chain behind when it stops (fail closed). Its NFQUEUE rule has
            // --queue-bypass, so with no listener it would accept new flows in mangle OUTPUT before they reach
            // opensnitchd's rule, or at least cost a traversal: remove it, as the next outgated start reinstalls it.
            await new QueueRuleInstaller(options.ClientNamespace).RemoveAsync();
            return await OpenSnitchPeer.StartAsync(peerScript!, peerBinary!, options.ClientNamespace, options.Port, [self, "/usr/bin/bash"], root);
        }

        using var listener = NetworkNamespaceScope.Run(options.ServerNamespace, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(options.Server, options.Port));
            s.Listen(4096);
            return s;
        });
        for (var i = 0; i < 2; i++)
            new Thread(() =>
            {
                while (true)
                {
                    try { listener.Accept().Dispose(); }
                    catch (SocketException) { return; }
                    catch (ObjectDisposedException) { return; }
                }
            }) { IsBackground = true }.Start();

        void Apply(NftRuleset? ruleset) => NetworkNamespaceScope.Run(options.ClientNamespace, () =>
        {
            using var nft = new NftClient();
            nft.Run(ruleset?.ReplaceJson ?? NftTableBatch.Delete(new NftTableId("inet", "outgate")).ToJsonString());
        });

        var samples = new Dictionary<(string, int), List<QueueLoadHarness.Result>>();
        var profile = new List<string>();
        var spawnRates = new Dictionary<string, List<double>>();
        Process? daemon = null;
        OpenSnitchPeer? peer = null;
        string? peerProbe = null;
        var peerQueue = new List<string>();
        // CPU µs per connection by scenario: around the last round's largest load, around the new-process runs, around the final load.
        var cpuPerConnection = new Dictionary<string, double>();
        var spawnCpu = new Dictionary<string, double>();
        var finalCpu = new Dictionary<string, double>();
        long peerRss = 0;
        var peerMemory = "";
        QueueLoadHarness.Result? peerFinal = null;
        string? status = null;
        long rss = 0, settledRss = 0;
        string? settledStatus = null;
        // OG_BENCH_SETTLE_SECONDS: how long the daemon idles before the second RSS reading (default 20; conntrack keeps
        // a burst's closed flows for up to 120 s, and the daemon gives memory back once most of them are gone).
        var settleSeconds = int.TryParse(Environment.GetEnvironmentVariable("OG_BENCH_SETTLE_SECONDS"), out var settle) && settle > 0 ? settle : 20;
        var memory = "";
        QueueLoadHarness.Result? final = null;
        try
        {
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var scenario in scenarios)
                {
                    var isPeer = scenario == peerScenario;
                    if (scenario == "no firewall") Apply(null);
                    else if (scenario == "static nft only") Apply(staticOnly);
                    else if (isPeer)
                    {
                        Apply(null); // opensnitchd brings its own rules (iptables-nft, in mangle OUTPUT and filter INPUT)
                        peer ??= await StartPeerAsync();
                        peerProbe ??= peer.Probe("/usr/bin/bash", options.Server, options.Port);
                    }
                    else
                    {
                        Apply(withDaemon);
                        daemon ??= await StartDaemonAsync(daemonDll, options.ClientNamespace, root, config, state, scenario == queueOnly ? ["--no-kernel-cache"] : []);
                    }
                    // The firewall process whose CPU is read around the loads: outgated or opensnitchd (none without one).
                    int? measured = isPeer ? peer!.Pid : daemon?.Id;
                    foreach (var threads in options.Threads)
                    {
                        if (round == 0) QueueLoadHarness.Load("warm-up", threads, options with { Duration = TimeSpan.FromSeconds(1) });
                        // Where the daemon's CPU goes: per-thread CPU around the last round's largest cached load,
                        // and optionally a perf recording of it (OG_BENCH_PERF=FILE; the daemon then writes a perf map).
                        var profiled = measured is not null && round == options.Rounds - 1 && threads == options.Threads.Max();
                        var before = profiled ? ThreadCpuProfile.Take(measured!.Value) : null;
                        var cpuBefore = profiled ? ThreadCpuProfile.ProcessMicros(measured!.Value) : null;
                        var queuedBefore = isPeer ? peer!.QueueCounters() : default;
                        var undecidedBefore = isPeer ? peer!.UndecidedAccepts : 0;
                        using var perf = profiled && !isPeer ? StartPerf(measured!.Value, options.Duration) : null;
                        var r = QueueLoadHarness.Load(scenario, threads, options);
                        if (isPeer)
                        {
                            // Proof that the load went through opensnitchd: what its queue received meanwhile.
                            var q = peer!.QueueCounters();
                            Thread.Sleep(200); // its stderr is read asynchronously
                            peerQueue.Add($"round {round + 1}, {threads} client threads: {r.Connections:N0} connections, {r.Failures} failures; {q.Queued - queuedBefore.Queued:N0} packets queued to opensnitchd, " +
                                          $"{q.QueueDropped - queuedBefore.QueueDropped} dropped by a full queue, {q.UserDropped - queuedBefore.UserDropped} not delivered to it, " +
                                          $"{peer.UndecidedAccepts - undecidedBefore:N0} accepted without a decision (1 ms hand-off timeout)");
                        }
                        if (before is not null)
                        {
                            if (ThreadCpuProfile.ProcessMicros(measured!.Value) is { } cpuAfter && cpuBefore is { } cpu0)
                                cpuPerConnection[scenario] = (cpuAfter - cpu0) / Math.Max(1, r.Connections);
                            profile.Add($"{(isPeer ? "opensnitchd" : "daemon")} CPU by thread during the load '{scenario}' with {threads} client threads ({r.Connections:N0} connections in {options.Duration.TotalSeconds:0.#} s):");
                            profile.AddRange(ThreadCpuProfile.Table(before, ThreadCpuProfile.Take(measured!.Value), r.Connections));
                            perf?.WaitForExit(30_000);
                        }
                        if (!samples.TryGetValue((scenario, threads), out var list)) samples[(scenario, threads)] = list = [];
                        list.Add(r);
                    }
                    if (scenario == queueOnly)
                    {
                        queueOnlyStatus = await StatusAsync(Path.Combine(state, "..", "sock"));
                        await StopDaemonAsync(daemon!);
                        daemon = null;
                    }
                    else if (scenario.StartsWith("outgate", StringComparison.Ordinal) || isPeer)
                    {
                        var name = isPeer ? peerSpawnScenario : "outgate daemon, new process each time (uncached)";
                        var cpu0 = ThreadCpuProfile.ProcessMicros(measured!.Value);
                        var rate = Spawn(options, spawns);
                        if (ThreadCpuProfile.ProcessMicros(measured.Value) is { } cpu1 && cpu0 is { } c0) spawnCpu[name] = (cpu1 - c0) / spawns;
                        (spawnRates.TryGetValue(name, out var l) ? l : spawnRates[name] = []).Add(rate);
                        if (isPeer)
                        {
                            await peer!.DisposeAsync();
                            peer = null;
                        }
                        else
                        {
                            await StopDaemonAsync(daemon!);
                            daemon = null;
                        }
                    }
                    else if (scenario == "no firewall")
                    {
                        var rate = Spawn(options, spawns);
                        (spawnRates.TryGetValue("no firewall, new process each time", out var l) ? l : spawnRates["no firewall, new process each time"] = []).Add(rate);
                    }
                }
            }
            // RSS and event counters after a last cached run of 60 s at most at the default rate.
            Apply(withDaemon);
            daemon = await StartDaemonAsync(daemonDll, options.ClientNamespace, root, config, state);
            var finalOptions = options with { Duration = TimeSpan.FromSeconds(finalSeconds), MaxConnections = Math.Max(options.MaxConnections, (int)(finalSeconds * 40_000)) };
            var finalCpu0 = ThreadCpuProfile.ProcessMicros(daemon.Id);
            final = QueueLoadHarness.Load("final", 2, finalOptions);
            if (ThreadCpuProfile.ProcessMicros(daemon.Id) is { } finalCpu1 && finalCpu0 is { } f0) finalCpu["outgate"] = (finalCpu1 - f0) / Math.Max(1, final.Connections);
            await Task.Delay(2000);
            status = await StatusAsync(Path.Combine(state, "..", "sock"));
            rss = ReadRss(daemon.Id);
            memory = MemoryBreakdown(daemon.Id);
            // And once the daemon has been idle a while: what it keeps, not what a burst left behind.
            await Task.Delay(TimeSpan.FromSeconds(settleSeconds));
            settledRss = ReadRss(daemon.Id);
            settledStatus = await StatusAsync(Path.Combine(state, "..", "sock"));
            // OG_BENCH_GCDUMP=FILE: what the managed heap holds at the readout (a JIT daemon only: NativeAOT has no EventPipe).
            if (Environment.GetEnvironmentVariable("OG_BENCH_GCDUMP") is { Length: > 0 } gcdump)
                Process.Start("dotnet-gcdump", ["collect", "-p", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", gcdump])!.WaitForExit(60_000);
            if (peerBinary is not null)
            {
                // The same readout for opensnitchd: a fresh start, the same last load, RSS 2 s later.
                await StopDaemonAsync(daemon);
                daemon = null;
                Apply(null);
                peer = await StartPeerAsync();
                var q0 = peer.QueueCounters();
                var undecided0 = peer.UndecidedAccepts;
                var peerCpu0 = ThreadCpuProfile.ProcessMicros(peer.Pid);
                peerFinal = QueueLoadHarness.Load("final", 2, finalOptions);
                if (ThreadCpuProfile.ProcessMicros(peer.Pid) is { } peerCpu1 && peerCpu0 is { } p0) finalCpu["opensnitch"] = (peerCpu1 - p0) / Math.Max(1, peerFinal.Connections);
                var q1 = peer.QueueCounters();
                await Task.Delay(2000);
                peerQueue.Add($"last load: {peerFinal.Connections:N0} connections, {peerFinal.Failures} failures; {q1.Queued - q0.Queued:N0} packets queued to opensnitchd, {q1.QueueDropped - q0.QueueDropped} dropped by a full queue, {q1.UserDropped - q0.UserDropped} not delivered to it, " +
                              $"{peer.UndecidedAccepts - undecided0:N0} accepted without a decision (1 ms hand-off timeout)");
                peerRss = ReadRss(peer.Pid);
                peerMemory = MemoryBreakdown(peer.Pid);
                await peer.DisposeAsync();
                peer = null;
            }
        }
        finally
        {
            if (peer is not null) await peer.DisposeAsync();
            if (daemon is not null) await StopDaemonAsync(daemon);
            Apply(null);
            listener.Dispose();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }

        Console.WriteLine($"{Environment.ProcessorCount} CPUs; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; {options.Rounds} rounds x {options.Duration.TotalSeconds:0.#} s per scenario (median round)");
        Console.WriteLine();
        Console.WriteLine("| scenario | client threads | conn/s | vs no firewall | vs static nft | connect p50 µs | p99 µs | added p50 µs | added p99 µs | failures |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var ((name, threads), runs) in samples)
        {
            QueueLoadHarness.Result Median(string n) => samples[(n, threads)].OrderBy(r => r.PerSecond).ElementAt(samples[(n, threads)].Count / 2);
            long[] Pooled(string n) => samples[(n, threads)].SelectMany(r => r.Latencies).Order().ToArray();
            var median = Median(name);
            var baseline = Median("no firewall");
            var nft = Median("static nft only");
            var pooled = Pooled(name);
            var basePooled = Pooled("no firewall");
            double P(long[] s, double p) => QueueLoadHarness.Percentile(s, p);
            Console.WriteLine($"| {name} | {threads} | {median.PerSecond:N0} | {median.PerSecond / baseline.PerSecond:0.00} | {median.PerSecond / nft.PerSecond:0.00} | {P(pooled, 0.5):0} | {P(pooled, 0.99):0} | {P(pooled, 0.5) - P(basePooled, 0.5):0} | {P(pooled, 0.99) - P(basePooled, 0.99):0} | {runs.Sum(r => r.Failures)} |");
        }
        Console.WriteLine();
        Console.WriteLine($"| new process per connection ({spawns} x bash /dev/tcp) | conn/s (median) | vs no firewall |");
        Console.WriteLine("|---|---:|---:|");
        var spawnBase = spawnRates["no firewall, new process each time"].Order().ElementAt(spawnRates["no firewall, new process each time"].Count / 2);
        foreach (var (name, rates) in spawnRates)
        {
            var m = rates.Order().ElementAt(rates.Count / 2);
            Console.WriteLine($"| {name} | {m:N0} | {m / spawnBase:0.00} |");
        }
        Console.WriteLine();
        if (profile.Count > 0)
        {
            foreach (var line in profile) Console.WriteLine(line);
            Console.WriteLine();
        }
        Console.WriteLine($"daemon RSS after the load: {rss / 1024.0 / 1024.0:0.0} MiB = {rss / 1e6:0.0} MB; {settleSeconds} s later, idle: {settledRss / 1024.0 / 1024.0:0.0} MiB = {settledRss / 1e6:0.0} MB{(settledStatus is null ? "" : $" with {JsonNode.Parse(settledStatus)?["memory"]?["liveFlows"]} live flows and {JsonNode.Parse(settledStatus)?["events"]?["stored"]} events stored")} (daemon environment: {string.Join(' ', DaemonEnvironment.Select(kv => $"{kv.Key}={Environment.GetEnvironmentVariable(kv.Key) ?? kv.Value}").Concat(ExtraDaemonEnvironment.Select(kv => $"{kv.Key}={kv.Value}")))})");
        Console.WriteLine($"daemon memory: {memory}");
        if (final is not null)
            Console.WriteLine($"last load before the readout: 2 client threads, {final.Connections:N0} connections in {finalSeconds:0.#} s ({final.PerSecond:N0} conn/s), {final.Failures} failures");
        if (queueOnlyStatus is not null)
        {
            // With the kernel cache on, the cached loads never reach attribution: its cost is the queue-only daemon's.
            var q = JsonNode.Parse(queueOnlyStatus)!;
            Console.WriteLine($"queue-only daemon (--no-kernel-cache), last round: decisions {q["decisions"]?.ToJsonString()}; attribution: {q["attribution"]?.ToJsonString()}");
        }
        if (status is not null)
        {
            var s = JsonNode.Parse(status)!;
            Console.WriteLine($"daemon events: {s["events"]?.ToJsonString()}");
            Console.WriteLine($"daemon decisions: {s["decisions"]?.ToJsonString()}; attribution: {s["attribution"]?.ToJsonString()}; kernel cache: {s["kernelCache"]?.ToJsonString()}");
            Console.WriteLine($"daemon memory (its own view): {s["memory"]?.ToJsonString()}");
        }
        if (peerBinary is not null)
            new DaemonComparison
            {
                Samples = samples, SpawnRates = spawnRates, CpuPerConnection = cpuPerConnection, SpawnCpu = spawnCpu, FinalCpu = finalCpu,
                Threads = options.Threads, Spawns = spawns, FinalSeconds = finalSeconds, PeerScenario = peerScenario, PeerSpawnScenario = peerSpawnScenario,
                OutgateFinal = final, OutgateRss = rss, PeerFinal = peerFinal, PeerRss = peerRss, PeerMemory = peerMemory, PeerProbe = peerProbe, PeerQueue = peerQueue,
                LoadGeneratorFds = Directory.GetFileSystemEntries("/proc/self/fd").Length,
            }.Write(Console.Out);
        return 0;
    }

    private static PortSpec Port(int port)
    {
        PortSpec.TryParse(port.ToString(System.Globalization.CultureInfo.InvariantCulture), out var spec, out _);
        return spec!;
    }

    /// <summary>Connections/s when each one is made by a new bash process.</summary>
    private static double Spawn(QueueLoadHarness.Options options, int count)
    {
        var sw = Stopwatch.StartNew();
        var script = $"for i in $(seq {count}); do bash -c 'exec 3<>/dev/tcp/{options.Server}/{options.Port}' || echo fail; done";
        using var p = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", options.ClientNamespace, "timeout", "120", "/usr/bin/bash", "-c", script]) { RedirectStandardOutput = true })!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var failed = output.Split('\n').Count(l => l == "fail");
        return (count - failed) / sw.Elapsed.TotalSeconds;
    }

    private static async Task<Process> StartDaemonAsync(string dll, string ns, string root, string config, string state, string[]? extra = null)
    {
        var socket = Path.Combine(root, "sock");
        string[] args = ["--netns", ns, "--config-dir", config, "--state-dir", state, "--socket", socket, "--mode", "enforce", .. extra ?? []];
        // --daemon names outgated.dll (run by dotnet) or a native outgated (the NativeAOT build the installer ships).
        var psi = dll.EndsWith(".dll", StringComparison.Ordinal) ? new ProcessStartInfo("dotnet", [dll, .. args]) : new ProcessStartInfo(dll, args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.Environment.Remove("NOTIFY_SOCKET");
        // The same runtime settings as packaging/outgated.service, unless the caller's environment sets them (to measure others).
        foreach (var (key, value) in DaemonEnvironment)
            psi.Environment[key] = Environment.GetEnvironmentVariable(key) ?? value;
        // More settings for the daemon only (not this load generator), e.g. OG_BENCH_DAEMON_ENV="DOTNET_TieredPGO=0 DOTNET_GCConserveMemory=5".
        foreach (var setting in ExtraDaemonEnvironment)
            psi.Environment[setting.Key] = setting.Value;
        if (Environment.GetEnvironmentVariable("OG_BENCH_PERF") is { Length: > 0 })
        {
            // perf resolves JIT-compiled frames through /tmp/perf-PID.map, which W^X double mapping hides.
            psi.Environment["DOTNET_PerfMapEnabled"] = "1";
            psi.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine("outgated: " + line); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        for (var i = 0; i < 300; i++)
        {
            if (await StatusAsync(socket) is { } s && s.Contains("\"queue\":\"", StringComparison.Ordinal) && !s.Contains("\"queue\":\"none\"", StringComparison.Ordinal)) return p;
            await Task.Delay(100);
        }
        p.Kill();
        throw new TimeoutException("outgated did not come up with its queue");
    }

    /// <summary>The Environment= line of packaging/outgated.service (keep the two in step).</summary>
    private static readonly KeyValuePair<string, string>[] DaemonEnvironment =
    [
        new("DOTNET_gcServer", "0"),
        new("DOTNET_GCgen0size", "400000"), // hex without "0x": NativeAOT ignores a value with the prefix
    ];

    private static IEnumerable<KeyValuePair<string, string>> ExtraDaemonEnvironment =>
        (Environment.GetEnvironmentVariable("OG_BENCH_DAEMON_ENV") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('=', 2)).Where(kv => kv.Length == 2).Select(kv => new KeyValuePair<string, string>(kv[0], kv[1]));

    /// <summary><c>perf record -g</c> of the daemon (or of all CPUs) for the load's duration, into $OG_BENCH_PERF; null when not asked.</summary>
    private static Process? StartPerf(int pid, TimeSpan duration)
    {
        if (Environment.GetEnvironmentVariable("OG_BENCH_PERF") is not { Length: > 0 } file) return null;
        var seconds = duration.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        // OG_BENCH_PERF_ALL=1 records both CPUs (client, server, daemon and the kernel's softirq work), not the daemon alone.
        string[] target = Environment.GetEnvironmentVariable("OG_BENCH_PERF_ALL") == "1" ? ["-a"] : ["-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var p = Process.Start(new ProcessStartInfo("perf", ["record", "-F", "999", "-g", .. target, "-o", file, "--", "sleep", seconds])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        Thread.Sleep(200); // perf attaches before the load starts
        return p;
    }

    private static async Task StopDaemonAsync(Process daemon)
    {
        if (!daemon.HasExited)
        {
            Process.Start("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!daemon.WaitForExit(15_000)) daemon.Kill();
        }
        await daemon.WaitForExitAsync();
        daemon.Dispose();
    }

    private static async Task<string?> StatusAsync(string socketPath)
    {
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(s, ownsSocket: true);
                },
            }) { BaseAddress = new Uri("http://outgated/"), Timeout = TimeSpan.FromSeconds(2) };
            return await http.GetStringAsync("v1/status");
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Where the RSS is: anonymous (heaps, stacks, SQLite caches) vs file-backed (runtime and framework code), threads, largest mappings.</summary>
    private static string MemoryBreakdown(int pid)
    {
        static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        var rollup = File.ReadLines($"/proc/{pid}/smaps_rollup").ToDictionary(l => l.Split(':')[0], l => l, StringComparer.Ordinal);
        var threads = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Threads:", StringComparison.Ordinal)).Split('\t').Last().Trim();
        var anon = rollup.TryGetValue("Anonymous", out var a) ? Kb(a) : 0;
        var total = rollup.TryGetValue("Rss", out var r) ? Kb(r) : 0;
        // The largest anonymous mappings, by RSS, to tell GC heap regions from native heaps and stacks.
        var mappings = new List<(string Name, long Rss)>();
        string? current = null;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (MappingHeader().IsMatch(line))
                current = line;
            else if (current is not null && line.StartsWith("Rss:", StringComparison.Ordinal))
                mappings.Add((current, Kb(line)));
        }
        // Grouped by file (anonymous ones by address, so the GC's regions and native heaps show separately).
        var top = mappings.GroupBy(m => m.Name.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries) is { Length: 6 } f ? Path.GetFileName(f[5].Trim()) : "anon " + m.Name[..m.Name.IndexOf(' ')])
            .Select(g => (g.Key, Rss: g.Sum(m => m.Rss))).OrderByDescending(g => g.Rss).Take(10).Select(g => $"{g.Rss / 1024.0:0.0} MiB {g.Key}");
        return $"RSS {total / 1024.0:0.0} MiB = anonymous {anon / 1024.0:0.0} MiB + file-backed {(total - anon) / 1024.0:0.0} MiB; {threads} threads; largest: {string.Join("; ", top)}";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-f]+-[0-9a-f]+ ")]
    private static partial System.Text.RegularExpressions.Regex MappingHeader();

    private static long ReadRss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return 0;
    }
}
