using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Outgate.EndToEnd.Tests.Decisions;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>
/// A <see cref="DecisionLab"/> (client namespace guarded by a real outgated, server namespace with
/// echo listeners) plus real DNS: a third, resolver namespace wired to the client (og2/og3,
/// 10.R.0.0/24) runs dnsmasq on 10.R.0.2 serving <see cref="TestZone"/>, and the client's glibc
/// resolver uses it through <c>/etc/netns/CLIENT/resolv.conf</c> (which <c>ip netns exec</c>
/// bind-mounts over /etc/resolv.conf). Every zone address is an extra address of the server's veth,
/// so the echo listeners (bound to the wildcard) answer on all of them.
/// </summary>
/// <remarks>
/// Why dnsmasq is not in the server namespace: the lab's echo server listens on 0.0.0.0:53 (TCP),
/// and Linux refuses a second TCP listener on a specific address of a port a wildcard socket
/// already listens on ("failed to create listening socket for ...: Address already in use",
/// measured). A resolver namespace of its own also keeps "traffic to the resolver" and "traffic to
/// the servers" on different addresses, as on a real network.
/// </remarks>
internal sealed class DomainLab : IAsyncDisposable
{
    private readonly string _scriptDir;
    private readonly string _netnsEtc;

    private DomainLab(DecisionLab decisions, NetworkNamespace resolver, int resolverSubnet, DnsmasqServer dns, string scriptDir, string netnsEtc)
    {
        Decisions = decisions;
        Resolver = resolver;
        ResolverSubnet = resolverSubnet;
        Dns = dns;
        _scriptDir = scriptDir;
        _netnsEtc = netnsEtc;
    }

    public DecisionLab Decisions { get; }
    public ReachabilityLab Lab => Decisions.Lab;
    public NetworkNamespace Client => Lab.Client;
    public NetworkNamespace Server => Lab.Server;
    public NetworkNamespace Resolver { get; }
    public int ResolverSubnet { get; }
    public DnsmasqServer Dns { get; }

    /// <summary>dnsmasq's address: the first nameserver in the client's resolv.conf.</summary>
    public string ResolverV4 => $"10.{ResolverSubnet}.0.2";

    /// <summary>A second address in the resolver namespace, for fake DNS servers (<see cref="StartGarbageDnsAsync"/>); the second nameserver in resolv.conf.</summary>
    public string FakeResolverV4 => $"10.{ResolverSubnet}.0.3";

    /// <summary>The server's IPv4 address 10.S.0.HOST.</summary>
    public string V4(int host) => $"10.{Lab.Subnet}.0.{host}";

    /// <summary>The server's IPv6 address fd00:S::HOST (HOST written as is, so it reads like the IPv4 one).</summary>
    public string V6(int host) => $"fd00:{Lab.Subnet}::{host}";

    public static async Task<DomainLab> CreateAsync(string tag)
    {
        NetworkNamespace.SkipUnlessRoot();
        var decisions = await DecisionLab.CreateAsync(tag);
        NetworkNamespace? resolver = null;
        string? scriptDir = null, netnsEtc = null;
        try
        {
            resolver = await NetworkNamespace.CreateAsync(tag + "r");
            int r;
            do r = Random.Shared.Next(1, 250); while (r == decisions.Lab.Subnet);
            await decisions.Lab.Client.ConnectAsync(resolver, r, "og2", "og3");
            await resolver.ExecCheckedAsync("ip", "addr", "add", $"10.{r}.0.3/24", "dev", "og3");

            var subnet = decisions.Lab.Subnet;
            var batch = new StringBuilder();
            foreach (var h in TestZone.AllHosts)
            {
                batch.Append(CultureInfo.InvariantCulture, $"addr add 10.{subnet}.0.{h}/24 dev og1\n");
                batch.Append(CultureInfo.InvariantCulture, $"addr add fd00:{subnet}::{h}/64 dev og1 nodad\n");
            }
            var added = await Shell.RunAsync("ip", ["-n", decisions.Lab.Server.Name, "-batch", "-"], stdin: batch.ToString());
            if (added.ExitCode != 0) throw new InvalidOperationException($"adding the zone's addresses to {decisions.Lab.Server.Name}/og1 failed: {added}\n{batch}");

            // ip netns exec bind-mounts /etc/netns/NS/* over /etc/*: the client's glibc asks dnsmasq.
            // The fake server's address is listed second so the malformed answers come from a
            // configured resolver (a daemon may rightly ignore answers from any other); glibc only
            // falls back to it when dnsmasq does not answer at all.
            netnsEtc = Path.Combine("/etc/netns", decisions.Lab.Client.Name);
            Directory.CreateDirectory(netnsEtc);
            // glibc's timeout is per server and attempt: 1 s was too short on a loaded 2-vCPU CI host
            // (the answer arrived after glibc had moved on to the fake server).
            await File.WriteAllTextAsync(Path.Combine(netnsEtc, "resolv.conf"), $"nameserver 10.{r}.0.2\nnameserver 10.{r}.0.3\noptions timeout:3 attempts:3\n");

            scriptDir = Directory.CreateTempSubdirectory("og-dom-").FullName;
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(scriptDir, (UnixFileMode)0x1ED);
            await File.WriteAllTextAsync(Path.Combine(scriptDir, "connect.py"), DomainScripts.Connect);
            await File.WriteAllTextAsync(Path.Combine(scriptDir, "query.py"), DomainScripts.Query);
            await File.WriteAllTextAsync(Path.Combine(scriptDir, "garbage_server.py"), DomainScripts.GarbageServer);
            await File.WriteAllTextAsync(Path.Combine(scriptDir, "garbage_client.py"), DomainScripts.GarbageClient);
            await File.WriteAllTextAsync(Path.Combine(scriptDir, "listener.py"), DomainScripts.Listener);

            string v4(int h) => $"10.{subnet}.0.{h}";
            string v6(int h) => $"fd00:{subnet}::{h}";
            var dns = await DnsmasqServer.StartAsync(resolver, $"10.{r}.0.2", TestZone.Domain, TestZone.HostsFiles(v4, v6), TestZone.DnsmasqOptions(v4, v6));
            return new DomainLab(decisions, resolver, r, dns, scriptDir, netnsEtc);
        }
        catch
        {
            if (resolver is not null) await resolver.DisposeAsync();
            await CleanFilesAsync(scriptDir, netnsEtc);
            await decisions.DisposeAsync();
            throw;
        }
    }

    // ---- policy ----

    /// <summary>`default deny outgoing` with DNS (udp and tcp 53) allowed: the base of every domain-rule test.</summary>
    public async Task DenyAllButDnsAsync()
    {
        await Decisions.CliOkAsync("default", "deny", "outgoing");
        await Decisions.CliOkAsync("allow", "out", "to", "any", "port", "53", "proto", "udp");
        await Decisions.CliOkAsync("allow", "out", "to", "any", "port", "53", "proto", "tcp");
    }

    /// <summary>`outgate ARGS` (config edits, before or without a daemon); fails the test with the CLI's output.</summary>
    public Task<string> RuleAsync(params string[] args) => Decisions.CliOkAsync(args);

    /// <summary>
    /// Adds top-level keys (e.g. <c>dns-required = true</c>) to outgate.toml in the lab's config
    /// directory. Top-level keys must precede every [table] in TOML, so they go first.
    /// </summary>
    public async Task SetPolicyKeysAsync(params string[] lines)
    {
        var path = Path.Combine(Decisions.Cli.ConfigDir, "outgate.toml");
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        await File.WriteAllTextAsync(path, string.Join('\n', lines) + "\n" + existing);
    }

    /// <summary>Starts outgated for the client namespace in enforce mode (or as given).</summary>
    public Task<OutgateDaemon> StartDaemonAsync(string mode = "enforce") => Decisions.StartDaemonAsync("--mode", mode);

    /// <summary>`outgate ARGS --socket LAB` against the running daemon; fails with the output and the daemon's log tail.</summary>
    public async Task<string> DaemonCliOkAsync(params string[] args)
    {
        var r = await Decisions.CliAsync(args);
        if (r.ExitCode != 0) Assert.Fail(await DiagnoseAsync($"outgate {string.Join(' ', args)} failed", r.ToString()));
        return r.StdOut;
    }

    // ---- DNS ----

    /// <summary>The addresses the client's glibc resolver returns (`getent ahostsv4|ahostsv6 NAME`), in order, distinct; empty when it fails.</summary>
    public async Task<IReadOnlyList<string>> LookupAsync(string name, bool v6 = false)
    {
        var r = await Client.ExecAsync("getent", v6 ? "ahostsv6" : "ahostsv4", name);
        return [.. r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)[0].Trim()).Distinct()];
    }

    /// <summary>One raw DNS query from the client (python3, UDP or TCP) to <paramref name="server"/> (default dnsmasq).</summary>
    public async Task<DnsReply> QueryAsync(string name, string type = "A", string proto = "udp", string? server = null)
    {
        var r = await Client.ExecAsync("python3", Path.Combine(_scriptDir, "query.py"), server ?? ResolverV4, name, type, proto);
        if (r.ExitCode != 0) Assert.Fail(await DiagnoseAsync($"DNS query {name} {type} over {proto} to {server ?? ResolverV4} failed", r.ToString()));
        return DnsReply.Parse(r.StdOut);
    }

    /// <summary>Starts a fake DNS server on <see cref="FakeResolverV4"/>:53 answering garbage; returns the corpus sizes (udp, tcp).</summary>
    public async Task<(int Udp, int Tcp)> StartGarbageDnsAsync()
    {
        var p = Resolver.Start("python3", "-u", Path.Combine(_scriptDir, "garbage_server.py"), FakeResolverV4, Lab.Subnet.ToString(CultureInfo.InvariantCulture));
        var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var parts = line?.Split(' ') ?? [];
        if (parts.Length != 3 || parts[0] != "ready")
            throw new InvalidOperationException($"the garbage DNS server did not start in {Resolver.Name}: {line} {await p.StandardError.ReadToEndAsync()}");
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>Sends every corpus query from the client to the fake server; returns how many UDP and TCP answers arrived, and the raw result.</summary>
    public async Task<(int Udp, int Tcp, ShellResult Result)> SendGarbageQueriesAsync(int udp, int tcp)
    {
        var r = await Shell.RunAsync("ip", ["netns", "exec", Client.Name, "python3", Path.Combine(_scriptDir, "garbage_client.py"), FakeResolverV4, $"{udp}", $"{tcp}"],
            timeout: TimeSpan.FromSeconds(180));
        var parts = r.StdOut.Trim().Split(' ');
        if (r.ExitCode != 0 || parts.Length != 2) Assert.Fail(await DiagnoseAsync("sending the malformed-DNS corpus failed", r.ToString()));
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), r);
    }

    // ---- connections ----

    /// <summary>
    /// From the client: resolve <paramref name="host"/> through glibc (an IP literal is used as is),
    /// then ONE connect attempt to the first address (no retry, <paramref name="timeoutSeconds"/>),
    /// echo checked. Runs <see cref="DecisionLab.Python"/> (the real path app rules name).
    /// </summary>
    public async Task<ConnectOutcome> ConnectOnceAsync(string host, int port, string family = "4", double timeoutSeconds = 2)
    {
        string[] args = ["netns", "exec", Client.Name, DecisionLab.Python, Path.Combine(_scriptDir, "connect.py"), host, $"{port}", timeoutSeconds.ToString(CultureInfo.InvariantCulture), family, "0"];
        var r = await Shell.RunAsync("ip", args, timeout: TimeSpan.FromSeconds(timeoutSeconds + 15));
        return new ConnectOutcome($"ip {string.Join(' ', args)}", r);
    }

    /// <summary>Asserts the single connect to <paramref name="host"/> (after its lookup) reached the echo, or fails with everything needed to see why.</summary>
    public async Task<ConnectOutcome> AssertOpensAsync(string host, int port, string because, string family = "4", string? expectAddress = null)
    {
        // 5 s, not 2: an open connection returns at once, and the first SYN a just-started daemon decides waits for the
        // JIT of the whole decision path, which on a loaded CI machine was measured past 2 s.
        var o = await ConnectOnceAsync(host, port, family, timeoutSeconds: 5);
        if (!o.Open) Assert.Fail(await DiagnoseAsync($"expected {host}:{port} to open: {because}", o.ToString()));
        if (expectAddress is not null && o.Address != expectAddress) Assert.Fail(await DiagnoseAsync($"{host} resolved to {o.Address}, expected {expectAddress}", o.ToString()));
        return o;
    }

    /// <summary>Asserts the name resolved (so DNS itself was not what failed) but the single connect did not get through.</summary>
    public async Task<ConnectOutcome> AssertBlockedAsync(string host, int port, string because, string family = "4")
    {
        var o = await ConnectOnceAsync(host, port, family);
        if (o.Address is null) Assert.Fail(await DiagnoseAsync($"{host} did not resolve, so the block proves nothing ({because})", o.ToString()));
        if (o.Open) Assert.Fail(await DiagnoseAsync($"expected {host}:{port} to be blocked: {because}", o.ToString()));
        return o;
    }

    /// <summary>Keeps a connection from the client to <paramref name="host"/>:<paramref name="port"/> open until the lab is disposed.</summary>
    public async Task HoldConnectionAsync(string host, int port)
    {
        var p = Client.Start(DecisionLab.Python, "-u", Path.Combine(_scriptDir, "connect.py"), host, $"{port}", "2", "4", "1");
        var lines = new List<string>();
        try
        {
            // "resolved ADDR" then "open" (or one line saying why not, after which it exits).
            for (var i = 0; i < 2; i++)
                if (await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) is { } line) lines.Add(line);
        }
        catch (TimeoutException)
        {
            lines.Add("(no further output within 10 s)");
        }
        if (!lines.Contains("open")) Assert.Fail(await DiagnoseAsync($"could not hold a connection to {host}:{port}", string.Join('\n', lines)));
    }

    /// <summary>
    /// Adds <paramref name="address"/> (e.g. a public resolver's 1.1.1.1) to the server's veth and
    /// routes it from the client through the lab link, so "public" traffic stays in the namespaces.
    /// </summary>
    public async Task AddServerAddressAsync(string address)
    {
        await Server.ExecCheckedAsync("ip", "addr", "add", $"{address}/32", "dev", "og1");
        await Client.ExecCheckedAsync("ip", "route", "add", $"{address}/32", "via", Lab.ServerV4, "dev", Lab.ClientInterface);
    }

    /// <summary>Starts a TCP echo listener on <paramref name="port"/> in the server namespace (all addresses, both families).</summary>
    public async Task StartServerListenerAsync(int port)
    {
        var p = Server.Start("python3", "-u", Path.Combine(_scriptDir, "listener.py"), $"{port}");
        var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (line != "ready") throw new InvalidOperationException($"listener on {port} did not start in {Server.Name}: {line} {await p.StandardError.ReadToEndAsync()}");
    }

    // ---- daemon output ----

    /// <summary>`outgate log --json` (all pages up to 10,000 events), one object per JSON line.</summary>
    public async Task<IReadOnlyList<JsonObject>> LogAsync(string? type = null)
    {
        string[] args = type is null ? ["log", "--json", "--limit", "10000"] : ["log", "--json", "--limit", "10000", "--type", type];
        var text = await DaemonCliOkAsync(args);
        var trimmed = text.TrimStart();
        // Accept a JSON array as well as JSON lines (the brief allows either).
        if (trimmed.StartsWith('[')) return [.. JsonNode.Parse(trimmed)!.AsArray().Select(n => n!.AsObject())];
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }

    /// <summary>Polls <see cref="LogAsync"/> (decisions) for up to <paramref name="seconds"/> until one matches; fails with the decisions seen.</summary>
    public async Task<JsonObject> WaitForDecisionAsync(string what, Func<JsonObject, bool> match, double seconds = 5)
    {
        JsonObject? found = null;
        await DecisionLab.EventuallyAsync(async () => (found = (await LogAsync("decision")).LastOrDefault(match)) is not null, seconds);
        if (found is null) Assert.Fail(await DiagnoseAsync($"no decision event {what} within {seconds} s", ""));
        return found!;
    }

    /// <summary>`outgate connections --json` in the client namespace, finding the daemon through $OUTGATE_SOCKET.</summary>
    public async Task<JsonObject> ConnectionsAsync()
    {
        var r = await OutgateCli.RunAsync(Client, ["connections", "--json"], env: new Dictionary<string, string> { ["OUTGATE_SOCKET"] = Decisions.SocketPath });
        if (r.ExitCode != 0) Assert.Fail(await DiagnoseAsync("outgate connections --json failed", r.ToString()));
        return JsonNode.Parse(r.StdOut)!.AsObject();
    }

    /// <summary>
    /// A failure message with what was tried and its output, the daemon's last log lines, dnsmasq's
    /// last queries and the newest decision events, so a red test says what went wrong.
    /// </summary>
    public async Task<string> DiagnoseAsync(string what, string output)
    {
        var sb = new StringBuilder(what).Append('\n');
        if (output.Length > 0) sb.Append("--- output ---\n").Append(output.TrimEnd()).Append('\n');
        if (Decisions.Daemon is { } d)
        {
            var lines = d.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            sb.Append(d.Process.HasExited ? $"--- outgated EXITED with {d.Process.ExitCode}; last lines ---\n" : "--- outgated, last 40 lines ---\n")
              .AppendJoin('\n', lines.Skip(Math.Max(0, lines.Length - 40))).Append('\n');
            if (!d.Process.HasExited)
            {
                try
                {
                    var events = await Decisions.EventsAsync();
                    sb.Append("--- newest events (API) ---\n").AppendJoin('\n', events.Skip(Math.Max(0, events.Count - 15)).Select(e => e!.ToJsonString())).Append('\n');
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or System.Text.Json.JsonException)
                {
                    sb.Append("--- events unavailable: ").Append(ex.Message).Append('\n');
                }
            }
        }
        else sb.Append("--- no daemon started ---\n");
        sb.Append(Dns.HasExited ? "--- dnsmasq EXITED; last lines ---\n" : "--- dnsmasq, last 20 lines ---\n").Append(Dns.LogTail(20)).Append('\n');
        return sb.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Dns.DisposeAsync();
        await Resolver.DisposeAsync();
        await CleanFilesAsync(_scriptDir, _netnsEtc);
        await Decisions.DisposeAsync();
    }

    private static Task CleanFilesAsync(string? scriptDir, string? netnsEtc)
    {
        foreach (var dir in new[] { scriptDir, netnsEtc })
            if (dir is not null)
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}

/// <summary>What one run of connect.py did: the command, and its output ("resolved ADDR", then "open" or the error).</summary>
internal sealed record ConnectOutcome(string Command, ShellResult Result)
{
    private string[] Lines => Result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool Open => Lines.Contains("open");

    /// <summary>The address glibc returned (or the literal), null when resolution failed.</summary>
    public string? Address => Lines.FirstOrDefault(l => l.StartsWith("resolved ", StringComparison.Ordinal))?["resolved ".Length..];

    public override string ToString() => $"$ {Command}\n{Result}";
}

/// <summary>One DNS answer as query.py printed it.</summary>
internal sealed record DnsReply(int Rcode, bool Truncated, IReadOnlyList<DnsRecord> Answers, string Raw)
{
    public static DnsReply Parse(string json)
    {
        var node = JsonNode.Parse(json)!;
        return new DnsReply((int)node["rcode"]!, (bool)node["tc"]!,
            [.. node["answers"]!.AsArray().Select(a => new DnsRecord((string)a!["name"]!, (int)a["type"]!, (uint)a["ttl"]!, (string)a["data"]!))], json.Trim());
    }

    public IEnumerable<string> Addresses => Answers.Where(a => a.Type is 1 or 28).Select(a => a.Data);
}

internal sealed record DnsRecord(string Name, int Type, uint Ttl, string Data);
