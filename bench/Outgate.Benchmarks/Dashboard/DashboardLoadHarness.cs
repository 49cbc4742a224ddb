extern alias outgated;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Outgate.Linux.Netlink;
using Outgate.Linux.Nftables;
using Outgate.Policy;
using outgated::Outgate.Daemon.Events;
using outgated::Outgate.Daemon.Options;

namespace Outgate.Benchmarks.Dashboard;

/// <summary>
/// Issue 7's dashboard benchmark, side by side in one run: events.db pre-filled with 100,000 events
/// (all inside the last hour, the traffic page's worst case), outgated serving the client namespace
/// with its dashboard on 127.0.0.1:0; then (1) the traffic page's four stats calls timed through a
/// logged-in session, (2) paced new connections (~1,000/s) with no page open, (3) the same with
/// Debian's Chromium on the live view, a MutationObserver stamping each new row. Daemon CPU is
/// utime+stime from /proc/PID/stat over each load window; page latency is row insertion (and the
/// next animation frame) minus the decision event's time field. Usage: bench/dashboard/run.sh.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class DashboardLoadHarness
{
    private const string Chromium = "/usr/bin/chromium";

    private sealed record Window(string Name, double Seconds, int Connections, int Failures, double DaemonCpu, double BrowserCpu, long FirstId, long LastId, string Load, List<(long Id, double Ms)> Commits);

    public static async Task<int> RunAsync(string[] args)
    {
        var daemonDll = Arg(args, "--daemon") ?? throw new ArgumentException("--daemon PATH/outgated.dll is required");
        var clientNs = Arg(args, "--client-ns") ?? throw new ArgumentException("--client-ns is required");
        var serverNs = Arg(args, "--server-ns") ?? throw new ArgumentException("--server-ns is required");
        var server = IPAddress.Parse(Arg(args, "--server") ?? throw new ArgumentException("--server is required"));
        var rate = Int(args, "--rate", 1000);
        var seconds = Int(args, "--seconds", 20);
        var prefill = Int(args, "--events", 100_000);
        var rounds = Int(args, "--rounds", 1);
        const int port = 8443;
        if (!clientNs.StartsWith("og-", StringComparison.Ordinal) || !serverNs.StartsWith("og-", StringComparison.Ordinal))
            throw new ArgumentException("the namespaces must be ours (og-*)");
        if (!File.Exists(Chromium)) throw new FileNotFoundException($"needs Debian's Chromium at {Chromium}: apt-get install chromium");

        var self = new FileInfo(Environment.ProcessPath!).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Environment.ProcessPath!;
        var root = Directory.CreateTempSubdirectory("og-bench-dash-").FullName;
        var config = Directory.CreateDirectory(Path.Combine(root, "etc")).FullName;
        var state = Directory.CreateDirectory(Path.Combine(root, "state")).FullName;
        var socketPath = Path.Combine(root, "sock");
        await File.WriteAllTextAsync(Path.Combine(config, "outgate.toml"), $"""
            [defaults]
            outgoing = "deny"

            [[rule]]
            action = "allow"
            direction = "out"
            app = "{self}"
            to_port = "{port}"
            proto = "tcp"
            """);
        var loaded = PolicyFileSet.Load(config);
        if (!loaded.Succeeded) throw new InvalidOperationException(string.Join("; ", loaded.Errors));
        var ruleset = NftRulesetCompiler.Compile(loaded.FileSet!.Policy);

        var store = new EventStore(new DaemonOptions { StateDirectory = state });
        store.Initialize();
        var fill = Stopwatch.StartNew();
        Fill(store, prefill, DateTimeOffset.UtcNow);
        Console.WriteLine($"events.db: {store.Count():N0} events (half decisions, half flow ends; all in the last hour) filled in {fill.Elapsed.TotalSeconds:F1} s");

        using var listener = NetworkNamespaceScope.Run(serverNs, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(server, port));
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

        void Apply(bool on) => NetworkNamespaceScope.Run(clientNs, () =>
        {
            using var nft = new NftClient();
            nft.Run(on ? ruleset.ReplaceJson : NftTableBatch.Delete(new NftTableId("inet", "outgate")).ToJsonString());
        });

        Process? daemon = null;
        var windows = new List<Window>();
        var latencies = new List<(double Insert, double Frame, double Received)>();
        var missing = 0L;
        var expected = 0L;
        var stats = new List<string>();
        var commitLines = new List<string>();
        var perWindow = new List<string>();
        var streamLines = new List<string>();
        try
        {
            Apply(true);
            daemon = await StartDaemonAsync(daemonDll, clientNs, config, state, socketPath);
            using var api = UnixClient(socketPath);
            var info = JsonNode.Parse(await api.GetStringAsync("v1/dashboard"))!;
            var url = new Uri((string?)info["url"] ?? throw new InvalidOperationException($"the dashboard is not running: {info}"));
            var loginUrl = (string)info["loginUrl"]!;

            // (1) The traffic page's calls, as app.js makes them, through a logged-in session.
            using (var web = await SessionAsync(url, (string)info["token"]!))
            {
                foreach (var path in new[] { "v1/stats/traffic?minutes=60", "v1/stats/top?limit=15&minutes=60", "v1/stats/blocked?limit=30&minutes=60", "v1/stats/destinations?limit=50&minutes=60", "v1/events?type=decision&limit=200" })
                {
                    var times = new List<double>();
                    long size = 0;
                    for (var i = 0; i < 5; i++)
                    {
                        var sw = Stopwatch.StartNew();
                        var body = await web.GetByteArrayAsync(path);
                        times.Add(sw.Elapsed.TotalMilliseconds);
                        size = body.Length;
                    }
                    times.Sort();
                    stats.Add($"| `GET /{path}` | {times[0]:F0} | {times[2]:F0} | {times[^1]:F0} | {size / 1024.0:F1} KB | {LoadAverage()} |");
                }
            }

            // Warm-up: the first connection's decision is not cached; the JIT warms in the daemon.
            Load(clientNs, server, port, rate, 2);
            await Task.Delay(1000);

            for (var round = 0; round < rounds; round++)
            {
                // (2) No page open: nothing is subscribed to the event stream.
                windows.Add(await MeasureAsync("page closed", daemon.Id, store, () => Load(clientNs, server, port, rate, seconds)));
                await Task.Delay(2000);

                // (3) One plain HTTP reader on the event stream, no browser: the server's share of the page's latency.
                {
                    using var reader = await SessionAsync(url, (string)info["token"]!);
                    var arrived = new Dictionary<long, double>();
                    using var stopReader = new CancellationTokenSource();
                    var from = store.LastId();
                    var readTask = Task.Run(async () =>
                    {
                        try
                        {
                            using var stream = await reader.GetStreamAsync($"v1/events/stream?after={from}", stopReader.Token);
                            using var text = new StreamReader(stream);
                            long id = 0;
                            while (await text.ReadLineAsync(stopReader.Token) is { } line)
                            {
                                if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
                                else if (line == "event: decision") lock (arrived) arrived[id] = NowMs();
                            }
                        }
                        catch (OperationCanceledException) { }
                    });
                    var w = await MeasureAsync("event stream only (one HttpClient reader, no page)", daemon.Id, store, () => Load(clientNs, server, port, rate, seconds));
                    windows.Add(w);
                    await stopReader.CancelAsync();
                    await readTask;
                    var lags = new List<double>();
                    var notArrived = 0;
                    foreach (var (id, time) in Decisions(store, w.FirstId, w.LastId))
                    {
                        bool got; double at;
                        lock (arrived) got = arrived.TryGetValue(id, out at);
                        if (got) lags.Add(at - (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerMillisecond);
                        else notArrived++;
                    }
                    var arrivals = lags.Order().ToArray();
                    var halfway = lags.Count / 2;
                    streamLines.Add($"round {round + 1}, stream only: {arrivals.Length:N0} decisions arrived ({notArrived} not), event time → arrival p50 {P(arrivals, 0.5):F0} ms, p95 {P(arrivals, 0.95):F0} ms, p99 {P(arrivals, 0.99):F0} ms, max {(arrivals.Length > 0 ? arrivals[^1] : 0):F0} ms; p50 first half {P(lags.Take(halfway).Order().ToArray(), 0.5):F0} ms / second half {P(lags.Skip(halfway).Order().ToArray(), 0.5):F0} ms");
                    await Task.Delay(2000);
                }

                // (4) The live view open in Chromium.
                using var playwright = await Playwright.CreateAsync();
                await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
                var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 860 } });
                page.SetDefaultTimeout(30_000);
                // Stamps when each server-sent event reaches the page, before app.js's handler runs: splits
                // the latency into server (commit + stream query + JSON + socket) and browser (parse + DOM).
                await page.AddInitScriptAsync("""
                    (() => {
                      window.__recv = new Map();
                      const add = EventSource.prototype.addEventListener;
                      EventSource.prototype.addEventListener = function (type, fn, o) {
                        if (type !== 'decision') return add.call(this, type, fn, o);
                        return add.call(this, type, function (m) { window.__recv.set(Number(m.lastEventId), Date.now()); return fn.call(this, m); }, o);
                      };
                    })();
                    """);
                await page.GotoAsync(loginUrl);
                await page.Locator("#view-live:not([hidden])").WaitForAsync();
                await page.Locator("#live-state").Filter(new() { HasText = "live" }).WaitForAsync();
                await Task.Delay(1000);
                await page.EvaluateAsync("""
                    () => {
                      window.__rows = []; window.__pending = [];
                      const tbody = document.getElementById('live-table').tBodies[0];
                      new MutationObserver(records => {
                        const t = Date.now();
                        for (const r of records) for (const n of r.addedNodes) if (n.dataset && n.dataset.id) {
                          const row = [Number(n.dataset.id), t, 0]; window.__rows.push(row); window.__pending.push(row);
                        }
                        if (window.__pending.length && !window.__frame) window.__frame = requestAnimationFrame(() => {
                          const f = Date.now(); for (const row of window.__pending) row[2] = f; window.__pending = []; window.__frame = 0;
                        });
                      }).observe(tbody, { childList: true });
                    }
                    """);
                var browserPids = () => Descendants(Environment.ProcessId).Where(p => Comm(p).StartsWith("chrom", StringComparison.Ordinal)).ToArray();
                var open = await MeasureAsync("page open (live view)", daemon.Id, store, () => Load(clientNs, server, port, rate, seconds), browserPids);
                windows.Add(open);
                // Let the page catch up (bounded), then read what it saw.
                JsonElement rows = default;
                for (var i = 0; i < 30; i++)
                {
                    await Task.Delay(1000);
                    rows = await page.EvaluateAsync<JsonElement>("() => window.__rows");
                    if (rows.GetArrayLength() > 0 && rows[rows.GetArrayLength() - 1][0].GetInt64() >= open.LastId) break;
                }
                var received = new Dictionary<long, long>();
                foreach (var r in (await page.EvaluateAsync<JsonElement>("() => [...window.__recv]")).EnumerateArray()) received[r[0].GetInt64()] = r[1].GetInt64();
                var seen = new Dictionary<long, (long Insert, long Frame)>();
                foreach (var r in rows.EnumerateArray()) seen[r[0].GetInt64()] = (r[1].GetInt64(), r[2].GetInt64());
                var decisions = Decisions(store, open.FirstId, open.LastId);
                expected += decisions.Count;
                var before = latencies.Count;
                foreach (var (id, time) in decisions)
                {
                    if (!seen.TryGetValue(id, out var s)) { missing++; continue; }
                    var t = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerMillisecond;
                    latencies.Add((s.Insert - t, s.Frame == 0 ? double.NaN : s.Frame - t, received.TryGetValue(id, out var at) ? at - t : double.NaN));
                }
                var mine = latencies.Skip(before).Select(l => l.Insert).ToArray();
                var half = mine.Length / 2;
                var sorted = mine.Order().ToArray();
                perWindow.Add($"round {round + 1}, page open: row p50 {P(sorted, 0.5):F0} ms, p95 {P(sorted, 0.95):F0} ms, max {(sorted.Length > 0 ? sorted[^1] : 0):F0} ms; p50 first half {P(mine.Take(half).Order().ToArray(), 0.5):F0} ms / second half {P(mine.Skip(half).Order().ToArray(), 0.5):F0} ms");
                await browser.CloseAsync();
                await Task.Delay(2000);
            }
            foreach (var w in windows)
            {
                var c = CommitLags(store, w);
                commitLines.Add($"| {w.Name} | {c.Length:N0} | {P(c, 0.5):F0} | {P(c, 0.95):F0} | {P(c, 0.99):F0} | {(c.Length > 0 ? c[^1] : double.NaN):F0} |");
            }
            var status = await api.GetStringAsync("v1/status");
            Console.WriteLine($"daemon events after the run: {JsonNode.Parse(status)!["events"]?.ToJsonString()}");
        }
        finally
        {
            if (daemon is not null) await StopAsync(daemon);
            Apply(false);
            listener.Dispose();
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }

        Console.WriteLine();
        Console.WriteLine($"{Environment.ProcessorCount} CPUs; load average at the end {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| traffic page call (100k events in the window) | min ms | median ms | max ms | response | load average |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        stats.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine($"| load window ({rate}/s target) | seconds | connections | conn/s | failures | events written (ids) | daemon CPU s | daemon CPU % of one core | Chromium CPU s | load average (1/5/15) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var w in windows)
            Console.WriteLine($"| {w.Name} | {w.Seconds:F1} | {w.Connections:N0} | {w.Connections / w.Seconds:N0} | {w.Failures} | {w.LastId - w.FirstId:N0} | {w.DaemonCpu:F2} | {100 * w.DaemonCpu / w.Seconds:F0} % | {(w.BrowserCpu > 0 ? w.BrowserCpu.ToString("F2", CultureInfo.InvariantCulture) : "–")} | {w.Load} |");
        Console.WriteLine();
        var insert = latencies.Select(l => l.Insert).Order().ToArray();
        var frame = latencies.Select(l => l.Frame).Where(f => !double.IsNaN(f)).Order().ToArray();
        Console.WriteLine("| page update latency (event time → row) | rows | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var recv = latencies.Select(l => l.Received).Where(f => !double.IsNaN(f)).Order().ToArray();
        var dom = latencies.Where(l => !double.IsNaN(l.Received)).Select(l => l.Insert - l.Received).Order().ToArray();
        Console.WriteLine($"| server-sent event reached the page | {recv.Length:N0} | {P(recv, 0.5):F0} | {P(recv, 0.95):F0} | {P(recv, 0.99):F0} | {(recv.Length > 0 ? recv[^1] : double.NaN):F0} |");
        Console.WriteLine($"| (in the page: received → row inserted) | {dom.Length:N0} | {P(dom, 0.5):F0} | {P(dom, 0.95):F0} | {P(dom, 0.99):F0} | {(dom.Length > 0 ? dom[^1] : double.NaN):F0} |");
        Console.WriteLine($"| row inserted (MutationObserver) | {insert.Length:N0} | {P(insert, 0.5):F0} | {P(insert, 0.95):F0} | {P(insert, 0.99):F0} | {(insert.Length > 0 ? insert[^1] : double.NaN):F0} |");
        Console.WriteLine($"| next animation frame | {frame.Length:N0} | {P(frame, 0.5):F0} | {P(frame, 0.95):F0} | {P(frame, 0.99):F0} | {(frame.Length > 0 ? frame[^1] : double.NaN):F0} |");
        Console.WriteLine();
        perWindow.ForEach(Console.WriteLine);
        streamLines.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("| decision event time → committed in events.db (polled every 5 ms) | decisions | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        commitLines.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine($"decision rows expected {expected:N0}, missing from the page {missing:N0}");
        return 0;
    }

    private static async Task<Window> MeasureAsync(string name, int daemonPid, EventStore store, Func<(int Ok, int Failed, double Seconds)> load, Func<int[]>? browser = null)
    {
        var firstId = store.LastId();
        var pids = browser?.Invoke() ?? [];
        var browserBefore = pids.Sum(Cpu);
        var before = Cpu(daemonPid);
        // When each event became readable in events.db (the writer's commit), polled every 5 ms.
        var commits = new List<(long Id, double Ms)>();
        using var stop = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            var seen = firstId;
            while (!stop.IsCancellationRequested)
            {
                var last = store.LastId();
                if (last > seen) { commits.Add((last, NowMs())); seen = last; }
                try { await Task.Delay(5, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var (ok, failed, secs) = await Task.Run(load);
        var daemonCpu = Cpu(daemonPid) - before;
        var browserCpu = pids.Sum(Cpu) - browserBefore;
        var load1 = File.ReadAllText("/proc/loadavg").Split(' ');
        await Task.Delay(3000); // the writer commits what the window accepted
        await stop.CancelAsync();
        await poller;
        return new Window(name, secs, ok, failed, daemonCpu, browserCpu, firstId, store.LastId(), $"{load1[0]}/{load1[1]}/{load1[2]}", commits);
    }

    private static async Task<HttpClient> SessionAsync(Uri url, string token)
    {
        var web = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        using var login = await web.PostAsync("login", new StringContent(new JsonObject { ["token"] = token }.ToJsonString(), Encoding.UTF8, "application/json"));
        login.EnsureSuccessStatusCode();
        return web;
    }

    private static double P(double[] s, double p) => s.Length == 0 ? double.NaN : s[Math.Min(s.Length - 1, (int)(p * s.Length))];

    private static double NowMs() => (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerMillisecond;

    /// <summary>Event time → readable in events.db, per decision of the window (ms).</summary>
    private static double[] CommitLags(EventStore store, Window w)
    {
        var lags = new List<double>();
        var i = 0;
        foreach (var (id, time) in Decisions(store, w.FirstId, w.LastId)) // ascending ids, as the commits
        {
            while (i < w.Commits.Count && w.Commits[i].Id < id) i++;
            if (i == w.Commits.Count) break;
            lags.Add(w.Commits[i].Ms - (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerMillisecond);
        }
        return lags.Order().ToArray();
    }

    /// <summary>Paced new connections: 4 threads in the client namespace, each at rate/4 on its own schedule.</summary>
    private static (int Ok, int Failed, double Seconds) Load(string ns, IPAddress server, int port, int rate, int seconds)
    {
        const int threads = 4;
        var endpoint = new IPEndPoint(server, port);
        var interval = Stopwatch.Frequency * threads / (double)rate;
        var start = Stopwatch.GetTimestamp();
        var deadline = start + seconds * Stopwatch.Frequency;
        var ok = new int[threads];
        var failed = new int[threads];
        Task.WaitAll(Enumerable.Range(0, threads).Select(t => NetworkNamespaceScope.RunAsync(ns, () =>
        {
            for (long i = 0; i < (long)rate * seconds / threads + 1; i++)
            {
                var due = start + (long)((i + t / (double)threads) * interval);
                if (due >= deadline) break;
                while (Stopwatch.GetTimestamp() < due)
                {
                    var wait = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                    if (wait > 1) Thread.Sleep((int)wait - 1); else Thread.SpinWait(50);
                }
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.LingerState = new LingerOption(true, 0);
                try { socket.Connect(endpoint); ok[t]++; }
                catch (SocketException) { failed[t]++; }
                if (failed[t] > 1000) break;
            }
        })).ToArray());
        return (ok.Sum(), failed.Sum(), (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency);
    }

    private static List<(long Id, DateTimeOffset Time)> Decisions(EventStore store, long after, long last)
    {
        var result = new List<(long, DateTimeOffset)>();
        for (var i = 0; i < 100 && after < last; i++)
        {
            var page = store.Query(new EventQuery(After: after, Limit: EventQuery.MaxLimit));
            if (page.Count == 0) break;
            foreach (var e in page)
                if (e.Id <= last && e.Type == EventType.Decision) result.Add((e.Id, e.Time));
            after = page[^1].Id;
        }
        return result;
    }

    /// <summary>100,000 events in the last hour: half decisions, half flow ends with bytes, 10 programs, ~65,000 addresses.</summary>
    private static void Fill(EventStore store, int rows, DateTimeOffset now)
    {
        var random = new Random(7);
        using var inserter = store.CreateInserter();
        var batch = new List<DaemonEvent>(10_000);
        var span = TimeSpan.FromMinutes(59).Ticks;
        for (var i = 0; i < rows; i++)
        {
            var app = (int)(10 * Math.Pow(random.NextDouble(), 2));
            var dst = random.Next(65_536);
            var flowEnd = i % 2 == 1;
            batch.Add(new DaemonEvent
            {
                Time = now - TimeSpan.FromTicks(span - span / rows * i),
                Type = flowEnd ? EventType.FlowEnd : EventType.Decision,
                Pid = 1000 + app,
                Exe = $"/usr/bin/app{app}",
                Uid = 1000,
                User = "alice",
                Proto = "tcp",
                Src = "10.0.0.1",
                SrcPort = 32768 + i % 28_000,
                Dst = $"10.9.{dst / 256}.{dst % 256}",
                DstPort = 443,
                Domain = dst % 2 == 0 ? $"host{dst}.example.com" : null,
                Verdict = random.Next(20) == 0 ? "reject" : "allow",
                Rule = "bench",
                BytesOut = flowEnd ? random.Next(100_000) : null,
                BytesIn = flowEnd ? random.Next(1_000_000) : null,
            });
            if (batch.Count == batch.Capacity)
            {
                inserter.Write(batch);
                batch.Clear();
            }
        }
        if (batch.Count > 0) inserter.Write(batch);
    }

    private static async Task<Process> StartDaemonAsync(string dll, string ns, string config, string state, string socket)
    {
        var psi = new ProcessStartInfo("dotnet", [dll, "--netns", ns, "--config-dir", config, "--state-dir", state, "--socket", socket, "--mode", "enforce", "--web", "127.0.0.1:0"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment.Remove("NOTIFY_SOCKET");
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { } line && (line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("error", StringComparison.OrdinalIgnoreCase))) Console.Error.WriteLine("outgated: " + line); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var api = UnixClient(socket);
        for (var i = 0; i < 300; i++)
        {
            try
            {
                var s = await api.GetStringAsync("v1/status");
                if (s.Contains("\"queue\":\"", StringComparison.Ordinal) && !s.Contains("\"queue\":\"none\"", StringComparison.Ordinal)) return p;
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException) { }
            await Task.Delay(100);
        }
        p.Kill();
        throw new TimeoutException("outgated did not come up with its queue");
    }

    private static async Task StopAsync(Process daemon)
    {
        if (!daemon.HasExited)
        {
            Process.Start("kill", ["-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!daemon.WaitForExit(15_000)) daemon.Kill();
        }
        await daemon.WaitForExitAsync();
        daemon.Dispose();
    }

    private static HttpClient UnixClient(string socketPath) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await s.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
            return new NetworkStream(s, ownsSocket: true);
        },
    }) { BaseAddress = new Uri("http://outgated/"), Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>utime+stime of a process, seconds (fields 14 and 15 of /proc/PID/stat, after the comm's ')').</summary>
    private static double Cpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException) { return 0; }
    }

    private static string Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return ""; }
    }

    private static IEnumerable<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
        }
        var result = new HashSet<int> { root };
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (pid, parent) in parents)
                if (result.Contains(parent) && result.Add(pid)) changed = true;
        }
        result.Remove(root);
        return result;
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static string? Arg(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static int Int(string[] args, string name, int fallback) =>
        Arg(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
