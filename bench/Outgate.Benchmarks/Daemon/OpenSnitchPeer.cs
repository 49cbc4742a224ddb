using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Outgate.Linux.Netlink;

namespace Outgate.Benchmarks.Daemon;

/// <summary>
/// OpenSnitch's daemon as the peer of the daemon benchmark (issue 5), run in the client namespace only. The binary is
/// Debian's opensnitch 1.5.8 unpacked by <c>bench/daemon/opensnitch.sh fetch</c>, never installed (its service would
/// queue the host's own traffic). Set up as close to Outgate's scenario as 1.5.8 allows:
/// <list type="bullet">
/// <item>iptables mode: this kernel has no nft <c>queue</c>, iptables-nft's NFQUEUE target works. 1.5.8 then queues
/// <c>mangle OUTPUT -m conntrack --ctstate NEW,RELATED</c> to queue 0 with bypass, as Outgate queues new flows.</item>
/// <item>the /proc process monitor: its eBPF monitor needs kprobes (off in this kernel) and an object file the Debian
/// package does not ship; audit needs auditd.</item>
/// <item>default action deny, and one "always" allow rule per executable: process path + destination port + tcp, the
/// same facts Outgate's app rules match.</item>
/// </list>
/// No UI connects (its socket points into an empty temp directory): 1.5.8 asks the UI only when one is connected, and
/// otherwise applies the default action at once, so nothing on the load waits for a prompt.
/// </summary>
internal sealed class OpenSnitchPeer : IAsyncDisposable
{
    public const string Version = "1.5.8";

    private const int QueueNumber = 0;

    /// <summary>
    /// What 1.5.8 writes to stderr when its queue callback could not hand a packet to the Go side within 1 ms: the
    /// verdict it returns then is the NF_ACCEPT it starts with (daemon/netfilter/queue.go, go_callback), so that
    /// packet passed without any decision.
    /// </summary>
    private const string HandOffTimeout = "Timed out while sending packet to queue channel";

    private readonly Process _process;
    private readonly string _script;
    private readonly string _namespace;
    private readonly string _directory;
    private readonly string _savedSynRetries;
    private bool _stopped;
    private long _undecided;

    private OpenSnitchPeer(Process process, string script, string ns, string directory, string savedSynRetries)
    {
        _process = process;
        _script = script;
        _namespace = ns;
        _directory = directory;
        _savedSynRetries = savedSynRetries;
    }

    public int Pid => _process.Id;

    /// <summary>Packets accepted without a decision so far (its 1 ms hand-off timeout, see <see cref="HandOffTimeout"/>).</summary>
    public long UndecidedAccepts => Interlocked.Read(ref _undecided);

    /// <summary>Downloads and unpacks the package if not done yet (apt-get download + dpkg-deb -x); the binary's path.</summary>
    public static string Fetch(string script)
    {
        var (code, output, error) = RunTool("sh", script, "fetch");
        if (code != 0 || output.Trim() is not { Length: > 0 } binary || !File.Exists(binary))
            throw new InvalidOperationException($"{script} fetch failed (exit {code}): {error.Trim()} — the Debian package 'opensnitch' must be downloadable (apt-cache policy opensnitch)");
        return binary;
    }

    /// <summary>
    /// Starts opensnitchd in <paramref name="ns"/> with its own config and rules under <paramref name="root"/>, and
    /// waits until its queue is bound and its NFQUEUE rule is in place.
    /// </summary>
    public static async Task<OpenSnitchPeer> StartAsync(string script, string binary, string ns, int port, IReadOnlyList<string> allowed, string root)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, "opensnitch-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var etc = Directory.CreateDirectory(Path.Combine(directory, "etc-upper", "opensnitchd")).FullName;
        var rules = Directory.CreateDirectory(Path.Combine(directory, "rules")).FullName;
        var socket = "unix://" + Path.Combine(directory, "osui.sock");
        var log = Path.Combine(directory, "opensnitchd.log");
        // The package's default-config.json with these changes: deny by default, /proc monitor, paths in our directory.
        await File.WriteAllTextAsync(Path.Combine(etc, "default-config.json"), new JsonObject
        {
            ["Server"] = new JsonObject { ["Address"] = socket, ["LogFile"] = log },
            ["DefaultAction"] = "deny",
            ["DefaultDuration"] = "once",
            ["InterceptUnknown"] = false,
            ["ProcMonitorMethod"] = "proc",
            ["LogLevel"] = 2,
            ["Firewall"] = "iptables",
            ["Stats"] = new JsonObject { ["MaxEvents"] = 150, ["MaxStats"] = 25 },
        }.ToJsonString());
        // No system rules: the package's one (accept icmp in mangle OUTPUT) does not touch this load.
        await File.WriteAllTextAsync(Path.Combine(etc, "system-fw.json"), """{"SystemRules":[]}""");
        for (var i = 0; i < allowed.Count; i++)
            await File.WriteAllTextAsync(Path.Combine(rules, $"{i:000}-allow-bench.json"), AllowRule($"{i:000}-allow-bench", allowed[i], port));

        // A dropped SYN (default deny, or a connection it cannot attribute) would otherwise hang a load thread for
        // ~2 minutes of retransmissions: two retries fail it after 7 s. Restored on stop.
        var savedSynRetries = NetworkNamespaceScope.Run(ns, () => File.ReadAllText("/proc/sys/net/ipv4/tcp_syn_retries").Trim());
        NetworkNamespaceScope.Run(ns, () => File.WriteAllText("/proc/sys/net/ipv4/tcp_syn_retries", "2"));

        var snapshot = Path.Combine(directory, "iptables-before");
        var (code, _, error) = RunTool("sh", script, "snapshot", ns, snapshot);
        if (code != 0) throw new InvalidOperationException($"{script} snapshot {ns} failed (exit {code}): {error.Trim()}");

        // The command line of the package's systemd unit; the UI socket and the log file come from the config (a
        // -log-file argument would also reset the log level to "info").
        var psi = new ProcessStartInfo("sh", [script, "run", ns, directory, binary, "-rules-path", rules])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi)!;
        var peer = new OpenSnitchPeer(process, script, ns, directory, savedSynRetries);
        // For bench/daemon/run.sh's exit trap, should this harness be killed before it stops opensnitchd itself.
        if (Environment.GetEnvironmentVariable("OG_BENCH_PEER_PIDFILE") is { Length: > 0 } pidFile)
            File.WriteAllText(pidFile, process.Id.ToString(CultureInfo.InvariantCulture));
        process.OutputDataReceived += (_, e) => peer.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => peer.OnOutput(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited) break;
            if (peer.IsReady(binary)) return peer;
            await Task.Delay(100);
        }
        var tail = File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(5)) : "(no log)";
        await peer.DisposeAsync();
        throw new TimeoutException($"opensnitchd did not come up in {ns} within 10 s (queue {QueueNumber} bound and its NFQUEUE rule in mangle OUTPUT); its log: {tail}");
    }

    /// <summary>
    /// Proof that it decides: <paramref name="allowedExecutable"/> connects, and a copy of it at another path (no
    /// rule names it, so the default action applies) is blocked.
    /// </summary>
    public string Probe(string allowedExecutable, IPAddress server, int port)
    {
        var unlisted = Path.Combine(_directory, "unlisted-" + Path.GetFileName(allowedExecutable));
        File.Copy(allowedExecutable, unlisted, overwrite: true); // keeps the mode bits on Unix
        var script = $"exec 3<>/dev/tcp/{server}/{port}";
        var results = new List<string>();
        // Three rounds of one allowed and one unlisted connection, each with the packets its queue received meanwhile.
        for (var i = 0; i < 3; i++)
        {
            var q0 = QueueCounters().Queued;
            var (allowedCode, _, _) = RunTool("ip", "netns", "exec", _namespace, "timeout", "5", allowedExecutable, "-c", script);
            var q1 = QueueCounters().Queued;
            var u1 = UndecidedAccepts;
            var (unlistedCode, _, _) = RunTool("ip", "netns", "exec", _namespace, "timeout", "3", unlisted, "-c", script);
            var q2 = QueueCounters().Queued;
            Thread.Sleep(100); // its stderr is read asynchronously
            var undecided = UndecidedAccepts - u1;
            results.Add($"{(allowedCode == 0 ? "allowed" : $"allowed FAILED (exit {allowedCode})")} ({q1 - q0} queued), " +
                        $"{(unlistedCode != 0 ? "unlisted blocked" : "unlisted CONNECTED")} ({q2 - q1} queued{(undecided > 0 ? $", {undecided} accepted undecided" : "")})");
        }
        return $"{allowedExecutable}, then the same binary copied to {unlisted} (no rule names it: default deny): {string.Join("; ", results)}";
    }

    /// <summary>Queue 0 in the namespace, from /proc/net/netfilter/nfnetlink_queue: packets queued so far (the id sequence) and drops.</summary>
    public (long Queued, long QueueDropped, long UserDropped) QueueCounters()
    {
        var text = NetworkNamespaceScope.Run(_namespace, () =>
            File.Exists("/proc/thread-self/net/netfilter/nfnetlink_queue") ? File.ReadAllText("/proc/thread-self/net/netfilter/nfnetlink_queue") : "");
        // "queue portid total copy_mode copy_range queue_dropped user_dropped id_sequence 1", one line per bound queue.
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 8 && f[0] == QueueNumber.ToString(CultureInfo.InvariantCulture))
                return (long.Parse(f[7], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture), long.Parse(f[6], CultureInfo.InvariantCulture));
        }
        return (0, 0, 0);
    }

    /// <summary>SIGTERM (opensnitchd then deletes its iptables rules), SIGKILL after 15 s; then whatever rule or chain
    /// it left in the namespace is deleted and the SYN retry count restored.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped) return;
        _stopped = true;
        try
        {
            if (!_process.HasExited)
            {
                RunTool("kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture));
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try { await _process.WaitForExitAsync(timeout.Token); }
                catch (OperationCanceledException) { _process.Kill(); await _process.WaitForExitAsync(); }
            }
        }
        finally
        {
            _process.Dispose();
            if (Environment.GetEnvironmentVariable("OG_BENCH_PEER_PIDFILE") is { Length: > 0 } pidFile) File.Delete(pidFile);
            var (code, _, error) = RunTool("sh", _script, "clean", _namespace, Path.Combine(_directory, "iptables-before"));
            if (code != 0) Console.Error.WriteLine($"opensnitch: {_script} clean {_namespace} failed (exit {code}): {error.Trim()}");
            foreach (var (tool, family) in new[] { ("iptables-save", "4"), ("ip6tables-save", "6") })
            {
                var snapshot = Path.Combine(_directory, "iptables-before." + family);
                var before = File.Exists(snapshot) ? File.ReadLines(snapshot).ToHashSet(StringComparer.Ordinal) : [];
                var (_, now, _) = RunTool("ip", "netns", "exec", _namespace, tool);
                var left = now.Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal) && !before.Contains(l)).ToList();
                if (left.Count > 0)
                    Console.Error.WriteLine($"opensnitch: {left.Count} rule(s) it added are still in {_namespace} after cleaning up (ip netns exec {_namespace} {tool}): {string.Join(" | ", left)}; the namespace is deleted at the end of the run");
            }
            try { NetworkNamespaceScope.Run(_namespace, () => File.WriteAllText("/proc/sys/net/ipv4/tcp_syn_retries", _savedSynRetries)); }
            catch (NetlinkException ex) { Console.Error.WriteLine($"opensnitch: could not restore tcp_syn_retries in {_namespace}: {ex.Message}"); } // namespace already gone
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        if (line.Contains(HandOffTimeout, StringComparison.Ordinal)) Interlocked.Increment(ref _undecided);
        // Until it reads its config it logs to stdout; pass on only warnings and errors.
        else if (line.Contains(" WAR ", StringComparison.Ordinal) || line.Contains(" ERR ", StringComparison.Ordinal)) Console.Error.WriteLine("opensnitchd: " + line);
    }

    private bool IsReady(string binary)
    {
        // The PID is the wrapper's until the last exec: ready means opensnitchd itself, its queue bound, its rule in.
        string? exe;
        try { exe = new FileInfo($"/proc/{_process.Id}/exe").ResolveLinkTarget(returnFinalTarget: false)?.FullName; }
        catch (IOException) { return false; }
        if (exe != binary) return false;
        var bound = NetworkNamespaceScope.Run(_namespace, () =>
            File.Exists("/proc/thread-self/net/netfilter/nfnetlink_queue") &&
            File.ReadLines("/proc/thread-self/net/netfilter/nfnetlink_queue").Any(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var q, var portid, ..] && q == "0" && portid != "0"));
        if (!bound) return false;
        var (_, rules, _) = RunTool("ip", "netns", "exec", _namespace, "iptables", "-w", "-t", "mangle", "-S", "OUTPUT");
        return rules.Contains("NFQUEUE", StringComparison.Ordinal);
    }

    /// <summary>An "always" allow rule in 1.5.8's format: a list operator (given both as the list and as its JSON text in data, as the UI writes it).</summary>
    private static string AllowRule(string name, string executable, int port)
    {
        var list = new JsonArray(
            Operand("process.path", executable),
            Operand("dest.port", port.ToString(CultureInfo.InvariantCulture)),
            Operand("protocol", "tcp"));
        return new JsonObject
        {
            ["created"] = "2026-01-01T00:00:00Z",
            ["updated"] = "2026-01-01T00:00:00Z",
            ["name"] = name,
            ["enabled"] = true,
            ["precedence"] = false,
            ["action"] = "allow",
            ["duration"] = "always",
            ["operator"] = new JsonObject
            {
                ["type"] = "list",
                ["operand"] = "list",
                ["sensitive"] = false,
                ["data"] = list.ToJsonString(),
                ["list"] = list.DeepClone(),
            },
        }.ToJsonString();

        static JsonObject Operand(string operand, string data) =>
            new() { ["type"] = "simple", ["operand"] = operand, ["sensitive"] = false, ["data"] = data };
    }

    private static (int Code, string Output, string Error) RunTool(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) p.Kill();
        p.WaitForExit();
        return (p.ExitCode, output, error.Result);
    }
}
