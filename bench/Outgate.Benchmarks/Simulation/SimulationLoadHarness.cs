extern alias outgated;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using System.Runtime.Versioning;
using outgated::Outgate.Daemon.Events;
using outgated::Outgate.Daemon.Options;
using outgated::Outgate.Daemon.Simulation;

namespace Outgate.Benchmarks.Simulation;

/// <summary>
/// <c>simulate-load [--rows 1000000] [--rules 1000] [--apps 200] [--destinations 20000] [--runs 3] [--keep DIR]</c>:
/// the issue's target "simulate 1,000,000 recorded connections against a 1,000-rule policy in &lt; 10 s". Fills a real
/// events.db (WAL, the daemon's schema and inserter) with generated decisions spread over 7 days, builds a candidate
/// of app, address and domain rules as TOML text, and times the simulation core as outgated runs it: the grouping
/// query, then one enforce-mode decision per distinct connection. A timed harness, not BenchmarkDotNet: one run is
/// seconds of I/O, and the first run (cold page cache after the fill) is reported apart from the warm ones.
/// </summary>
public static class SimulationLoadHarness
{
    public static int Run(string[] args)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("simulate-load: outgated's event store is Linux-only");
            return 2;
        }
        return RunOnLinux(args);
    }

    [SupportedOSPlatform("linux")]
    private static int RunOnLinux(string[] args)
    {
        var rows = Int(args, "--rows", 1_000_000);
        var rules = Int(args, "--rules", 1000);
        var apps = Int(args, "--apps", 200);
        var destinations = Int(args, "--destinations", 20_000);
        var runs = Int(args, "--runs", 3);
        // 0: any app may talk to any destination (worst case: most connections distinct); N: each app to its own N.
        var pool = Int(args, "--per-app", 0);
        var keep = Arg(args, "--keep");
        var dir = keep ?? Directory.CreateTempSubdirectory("og-sim-bench-").FullName;
        try
        {
            var now = DateTimeOffset.UtcNow;
            var store = new EventStore(new DaemonOptions { StateDirectory = dir });
            store.Initialize();
            var existing = store.Count();
            var fill = Stopwatch.StartNew();
            if (existing < rows) Fill(store, rows - (int)existing, apps, destinations, pool, now);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"events.db: {store.Count():N0} decision events ({apps} apps, {destinations:N0} destinations) filled in {fill.Elapsed.TotalSeconds:F1} s; {new FileInfo(store.Path).Length / 1e6:F0} MB + WAL"));

            var parse = Stopwatch.StartNew();
            var candidate = CandidatePolicy.TryLoad([new CandidateFile("candidate.toml", Candidate(rules, apps))], out var errors)
                ?? throw new InvalidOperationException(string.Join("\n", errors.Take(5)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"candidate: {candidate.Policy.Rules.Count} rules parsed and validated in {parse.Elapsed.TotalMilliseconds:F0} ms"));

            for (var run = 1; run <= runs; run++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var total = Stopwatch.StartNew();
                var groups = RecordedConnectionReader.Read(store, now.AddDays(-7).AddMinutes(-1));
                var grouped = total.Elapsed;
                var report = PolicySimulator.Simulate(groups, candidate, now.AddDays(-7), now);
                var elapsed = total.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}{(run == 1 ? " (first)" : "")}: {report.Connections:N0} connections, {report.Distinct:N0} distinct; read+group {grouped.TotalSeconds:F2} s + judge {(elapsed - grouped).TotalSeconds:F2} s = {elapsed.TotalSeconds:F2} s; breaks={report.Breaks} refused={report.RefusedConnections:N0} never-used={report.NeverUsedRules.Count}; CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s; load average {LoadAverage()}"));
            }
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (keep is null) Directory.Delete(dir, recursive: true);
        }
    }

    // Deterministic: the same arguments give the same database and report.
    [SupportedOSPlatform("linux")]
    private static void Fill(EventStore store, int rows, int apps, int destinations, int pool, DateTimeOffset now)
    {
        var random = new Random(42);
        int[] ports = [443, 443, 443, 80, 53, 123, 22, 8080];
        string[] protos = ["tcp", "tcp", "tcp", "tcp", "udp", "udp", "tcp", "tcp"];
        using var inserter = store.CreateInserter();
        var batch = new List<DaemonEvent>(10_000);
        var span = TimeSpan.FromDays(7).Ticks;
        for (var i = 0; i < rows; i++)
        {
            // Skewed like real traffic: a few programs and destinations make most connections.
            var app = (int)(apps * Math.Pow(random.NextDouble(), 3));
            var dst = pool > 0
                ? (app * 7919 + (int)(pool * Math.Pow(random.NextDouble(), 2))) % destinations
                : (int)(destinations * Math.Pow(random.NextDouble(), 2));
            var p = pool > 0 ? (app + dst) % ports.Length : random.Next(ports.Length);
            batch.Add(new DaemonEvent
            {
                // Written in time order, as the daemon writes them (ids and the time index agree).
                Time = now - TimeSpan.FromTicks(span - span / rows * i),
                Type = EventType.Decision,
                Pid = 1000 + random.Next(30_000),
                Exe = $"/usr/bin/app{app}",
                Uid = (uint)(app % 3 == 0 ? 0 : 1000),
                User = app % 3 == 0 ? "root" : "alice",
                Unit = app % 5 == 0 ? $"app{app}.service" : null,
                Proto = protos[p],
                Src = "10.0.0.1",
                SrcPort = 32768 + random.Next(28_000),
                Dst = $"10.{dst / 65536 % 256}.{dst / 256 % 256}.{dst % 256}",
                DstPort = ports[p],
                Domain = dst % 2 == 0 ? $"host{dst}.example.com" : null,
                Verdict = random.Next(20) == 0 ? "reject" : "allow",
                Rule = "learn",
            });
            if (batch.Count == batch.Capacity)
            {
                inserter.Write(batch);
                batch.Clear();
            }
        }
        if (batch.Count > 0) inserter.Write(batch);
    }

    /// <summary>Half program rules, a quarter address rules, a quarter domain rules; outgoing default deny.</summary>
    private static string Candidate(int rules, int apps)
    {
        var sb = new StringBuilder("[defaults]\noutgoing = \"deny\"\n");
        for (var i = 0; i < rules; i++)
        {
            sb.Append("\n[[rule]]\naction = \"allow\"\ndirection = \"out\"\n");
            switch (i % 4)
            {
                case 0 or 1:
                    sb.Append(CultureInfo.InvariantCulture, $"app = \"/usr/bin/app{i / 2 % (apps + 50)}\"\nproto = \"tcp\"\nto_port = \"{(i % 4 == 0 ? "443" : "80,8080")}\"\n");
                    break;
                case 2:
                    sb.Append(CultureInfo.InvariantCulture, $"proto = \"udp\"\nto = \"10.0.{i % 256}.0/24\"\nto_port = \"53,123\"\n");
                    break;
                default:
                    sb.Append(CultureInfo.InvariantCulture, $"proto = \"tcp\"\nto_domain = \"*.host{i}.example.com\"\nto_port = 443\n");
                    break;
            }
        }
        return sb.ToString();
    }

    // The machine's other work shows in wall time; say how busy it was.
    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    private static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static int Int(string[] args, string name, int fallback) =>
        Arg(args, name) is { } text ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
}
