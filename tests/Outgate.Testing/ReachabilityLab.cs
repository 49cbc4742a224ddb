using System.Diagnostics;
using System.Text;

namespace Outgate.Testing;

/// <summary>One probe target: protocol, port and address family.</summary>
public readonly record struct Service(string Proto, int Port, bool V6)
{
    public override string ToString() => $"{Proto}/{Port}/{(V6 ? "v6" : "v4")}";
}

/// <summary>
/// A client namespace (where the firewall under test runs) wired to a server namespace with echo
/// listeners on tcp 22/53/80/443/8080 and udp 53/123, IPv4 and IPv6. <see cref="ProbeAsync"/>
/// checks every service in parallel from the client (1 s timeout each, UDP by request/echo).
/// </summary>
public sealed class ReachabilityLab : IAsyncDisposable
{
    public static readonly int[] TcpPorts = [22, 53, 80, 443, 8080];
    public static readonly int[] UdpPorts = [53, 123];

    public static IReadOnlyList<Service> AllServices { get; } =
        [.. from v6 in new[] { false, true }
            from s in TcpPorts.Select(p => ("tcp", p)).Concat(UdpPorts.Select(p => ("udp", p)))
            select new Service(s.Item1, s.Item2, v6)];

    private readonly string _scriptDir;

    private ReachabilityLab(NetworkNamespace client, NetworkNamespace server, int subnet, string scriptDir)
    {
        Client = client;
        Server = server;
        Subnet = subnet;
        _scriptDir = scriptDir;
    }

    public NetworkNamespace Client { get; }
    public NetworkNamespace Server { get; }
    public int Subnet { get; }
    public string ClientInterface => "og0";
    public string ServerV4 => $"10.{Subnet}.0.2";
    public string ServerV6 => $"fd00:{Subnet}::2";
    public string ClientV4 => $"10.{Subnet}.0.1";
    public string ClientV6 => $"fd00:{Subnet}::1";

    public static async Task<ReachabilityLab> CreateAsync(string tag)
    {
        var client = await NetworkNamespace.CreateAsync(tag + "c");
        NetworkNamespace? server = null;
        try
        {
            server = await NetworkNamespace.CreateAsync(tag + "s");
            var subnet = Random.Shared.Next(1, 250);
            await client.ConnectAsync(server, subnet);
            var dir = Directory.CreateTempSubdirectory("og-lab-").FullName;
            await File.WriteAllTextAsync(Path.Combine(dir, "server.py"), ServerScript);
            await File.WriteAllTextAsync(Path.Combine(dir, "probe.py"), ProbeScript);
            await File.WriteAllTextAsync(Path.Combine(dir, "session.py"), SessionScript);
            var lab = new ReachabilityLab(client, server, subnet, dir);
            await lab.StartServerAsync();
            await lab.WaitForIpv6Async();
            return lab;
        }
        catch
        {
            if (server is not null) await server.DisposeAsync();
            await client.DisposeAsync();
            throw;
        }
    }

    private Task StartServerAsync() => StartListenersAsync(Server);

    /// <summary>Starts the same echo listeners in the client namespace, for <see cref="ProbeIncomingAsync"/>.</summary>
    public Task StartClientListenersAsync() => StartListenersAsync(Client);

    private async Task StartListenersAsync(NetworkNamespace ns)
    {
        var p = ns.Start("python3", "-u", Path.Combine(_scriptDir, "server.py"), string.Join(',', TcpPorts), string.Join(',', UdpPorts));
        var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (line != "ready")
            throw new InvalidOperationException($"echo server did not start: {line} {await p.StandardError.ReadToEndAsync()}");
    }

    /// <summary>A fresh veth carries IPv6 a moment after IPv4 (link-local setup): wait for it, bounded to 5 s.</summary>
    private async Task WaitForIpv6Async()
    {
        Service[] probe = [new("tcp", 22, V6: true), new("tcp", 22, V6: false)];
        for (var i = 0; i < 25; i++)
        {
            if ((await ProbeAsync(probe, 0.2)).Values.All(v => v)) return;
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"the lab network did not come up: {ServerV4} / {ServerV6} unreachable from {Client.Name}");
    }

    /// <summary>Which services the client reaches now (each probed once, all in parallel).</summary>
    public Task<IReadOnlyDictionary<Service, bool>> ProbeAsync(IEnumerable<Service>? services = null, double timeoutSeconds = 1.0) =>
        ProbeAsync(Client, ServerV4, ServerV6, services, timeoutSeconds);

    /// <summary>Which client services the server reaches (needs <see cref="StartClientListenersAsync"/>).</summary>
    public Task<IReadOnlyDictionary<Service, bool>> ProbeIncomingAsync(IEnumerable<Service>? services = null, double timeoutSeconds = 1.0) =>
        ProbeAsync(Server, ClientV4, ClientV6, services, timeoutSeconds);

    private async Task<IReadOnlyDictionary<Service, bool>> ProbeAsync(NetworkNamespace from, string v4, string v6, IEnumerable<Service>? services, double timeoutSeconds)
    {
        var list = (services ?? AllServices).ToList();
        var args = new List<string> { "-u", Path.Combine(_scriptDir, "probe.py"), timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        args.AddRange(list.Select(s => $"{s.Proto},{(s.V6 ? v6 : v4)},{s.Port}"));
        var r = await from.ExecAsync("python3", [.. args]);
        if (r.ExitCode != 0) throw new InvalidOperationException($"probe failed: {r}");
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != list.Count) throw new InvalidOperationException($"probe printed {lines.Length} lines for {list.Count} services: {r}");
        return list.Zip(lines).ToDictionary(x => x.First, x => x.Second.Trim() == "open");
    }

    /// <summary>
    /// Asserts the whole matrix: every service in <paramref name="open"/> is reachable, all others
    /// are not. The failure message lists every mismatch.
    /// </summary>
    public async Task AssertReachableExactlyAsync(string because, params Service[] open) =>
        AssertMatrix(because, await ProbeAsync(), open);

    /// <summary>Like <see cref="AssertReachableExactlyAsync"/>, from the server to the client's listeners.</summary>
    public async Task AssertIncomingExactlyAsync(string because, params Service[] open) =>
        AssertMatrix(because + " (incoming)", await ProbeIncomingAsync(), open);

    private static void AssertMatrix(string because, IReadOnlyDictionary<Service, bool> result, Service[] open)
    {
        var wrong = new StringBuilder();
        foreach (var (service, reached) in result.OrderBy(kv => kv.Key.ToString()))
        {
            var expected = open.Contains(service);
            if (reached != expected) wrong.AppendLine($"  {service}: expected {(expected ? "open" : "blocked")}, was {(reached ? "open" : "blocked")}");
        }
        Assert.True(wrong.Length == 0, $"{because}: reachability differs:\n{wrong}full matrix: {string.Join(", ", result.Select(kv => $"{kv.Key}={(kv.Value ? "open" : "blocked")}"))}");
    }

    /// <summary>Every service on both families for the given protocol/ports.</summary>
    public static Service[] Both(string proto, params int[] ports) =>
        [.. from v6 in new[] { false, true } from p in ports select new Service(proto, p, v6)];

    /// <summary>Opens a long-lived TCP session from the client to the server (an SSH stand-in).</summary>
    public Task<EchoSession> OpenSessionAsync(int port, bool v6 = false) =>
        OpenSessionAsync(Client, v6 ? ServerV6 : ServerV4, port);

    /// <summary>Opens a long-lived TCP session from the server to the client (an admin's SSH into the firewalled host); needs <see cref="StartClientListenersAsync"/>.</summary>
    public Task<EchoSession> OpenIncomingSessionAsync(int port, bool v6 = false) =>
        OpenSessionAsync(Server, v6 ? ClientV6 : ClientV4, port);

    private async Task<EchoSession> OpenSessionAsync(NetworkNamespace from, string host, int port)
    {
        var p = from.Start("python3", "-u", Path.Combine(_scriptDir, "session.py"), host, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
        if (line != "connected") throw new InvalidOperationException($"session did not connect: {line}");
        return new EchoSession(p);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Client.DisposeAsync();
        try { Directory.Delete(_scriptDir, recursive: true); } catch (IOException) { }
    }

    private const string ServerScript = """
        import asyncio, socket, sys
        tcp = [int(p) for p in sys.argv[1].split(',')]
        udp = [int(p) for p in sys.argv[2].split(',')]
        async def echo(r, w):
            try:
                while True:
                    d = await r.read(4096)
                    if not d: break
                    w.write(d); await w.drain()
            except Exception: pass
            finally: w.close()
        class Udp(asyncio.DatagramProtocol):
            def connection_made(self, t): self.t = t
            def datagram_received(self, d, a): self.t.sendto(d, a)
        def sock(fam, typ, port):
            s = socket.socket(fam, typ)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if fam == socket.AF_INET6: s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.bind(('::' if fam == socket.AF_INET6 else '0.0.0.0', port))
            return s
        async def main():
            loop = asyncio.get_running_loop()
            for fam in (socket.AF_INET, socket.AF_INET6):
                for p in tcp:
                    s = sock(fam, socket.SOCK_STREAM, p); s.listen(128)
                    await asyncio.start_server(echo, sock=s)
                for p in udp:
                    await loop.create_datagram_endpoint(Udp, sock=sock(fam, socket.SOCK_DGRAM, p))
            print('ready', flush=True)
            await asyncio.Event().wait()
        asyncio.run(main())
        """;

    private const string ProbeScript = """
        import socket, sys, threading
        timeout = float(sys.argv[1])
        targets = sys.argv[2:]
        out = ['closed'] * len(targets)
        def probe(i, t):
            proto, host, port = t.split(',')
            fam = socket.AF_INET6 if ':' in host else socket.AF_INET
            try:
                if proto == 'tcp':
                    with socket.create_connection((host, int(port)), timeout=timeout) as s:
                        s.sendall(b'ping'); s.settimeout(timeout)
                        if s.recv(16) == b'ping': out[i] = 'open'
                else:
                    with socket.socket(fam, socket.SOCK_DGRAM) as s:
                        s.settimeout(timeout)
                        s.sendto(b'ping', (host, int(port)))
                        if s.recv(16) == b'ping': out[i] = 'open'
            except OSError:
                pass
        ts = [threading.Thread(target=probe, args=(i, t)) for i, t in enumerate(targets)]
        for t in ts: t.start()
        for t in ts: t.join()
        print('\n'.join(out))
        """;

    private const string SessionScript = """
        import socket, sys
        s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
        print('connected', flush=True)
        s.settimeout(2)
        for line in sys.stdin:
            try:
                s.sendall(line.encode())
                print('echo' if s.recv(4096) == line.encode() else 'bad', flush=True)
            except OSError as e:
                print('error ' + str(e), flush=True)
        """;
}

/// <summary>A TCP connection held open by a helper process; <see cref="PingAsync"/> checks it still passes data.</summary>
public sealed class EchoSession(Process process)
{
    public async Task<bool> PingAsync()
    {
        await process.StandardInput.WriteLineAsync("hello");
        await process.StandardInput.FlushAsync();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
        return line == "echo";
    }
}
