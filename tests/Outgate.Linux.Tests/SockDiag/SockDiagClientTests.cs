using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Outgate.Linux.Netlink;
using Outgate.Linux.SockDiag;
using Outgate.Testing;

namespace Outgate.Linux.Tests.SockDiag;

/// <summary>
/// Kernel tests: python3 opens known sockets inside a fresh namespace; the client, created in that
/// namespace through <see cref="NetworkNamespaceScope"/>, must see exactly them.
/// </summary>
public class SockDiagClientTests
{
    private static readonly IPAddress Loopback4 = IPAddress.Loopback;

    private sealed record Sockets(int Pid, ulong L4, ulong L6, ulong U4, ulong U6, ulong C, ulong S, ulong Uc, int Cport, int Ucport, ulong? Lite, ulong? Raw, string? LiteError, string? RawError);

    private static async Task<(Process Process, Sockets Sockets)> StartSocketsAsync(NetworkNamespace ns, int extraUdpSockets = 0)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "testdata", "sockets.py");
        var process = ns.Start("sh", "-c", $"ulimit -n 65536; exec python3 {script} {extraUdpSockets}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
            Assert.Fail($"sockets.py ended early: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
        var sockets = JsonSerializer.Deserialize<Sockets>(line, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        return (process, sockets);
    }

    [Fact]
    public async Task Dumps_TCP_and_UDP_sockets_of_both_families_inside_the_namespace()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        var (_, sockets) = await StartSocketsAsync(ns);
        using var client = NetworkNamespaceScope.Run(ns.Name, () => new SockDiagClient());

        var tcp4 = client.Dump(AddressFamily.InterNetwork, SocketProtocol.Tcp);
        Assert.Equal(3, tcp4.Count); // nothing from the host namespace
        var listener = Assert.Single(tcp4, e => e.Inode == sockets.L4);
        Assert.Equal((SocketState.Listen, Loopback4, (ushort)7001, IPAddress.Any, (ushort)0),
            (listener.State, listener.LocalAddress, listener.LocalPort, listener.RemoteAddress, listener.RemotePort));
        var connecting = Assert.Single(tcp4, e => e.Inode == sockets.C);
        Assert.Equal((SocketState.Established, (ushort)sockets.Cport, (ushort)7001), (connecting.State, connecting.LocalPort, connecting.RemotePort));
        Assert.Equal(0u, connecting.Uid);
        Assert.True(connecting.Tcp!.Value.BytesSent >= 5000, $"BytesSent {connecting.Tcp.Value.BytesSent}");
        Assert.True(connecting.Tcp.Value.BytesReceived >= 3000, $"BytesReceived {connecting.Tcp.Value.BytesReceived}");
        Assert.True(connecting.Tcp.Value.RttMicroseconds > 0);
        var accepted = Assert.Single(tcp4, e => e.Inode == sockets.S);
        Assert.Equal((SocketState.Established, (ushort)7001, (ushort)sockets.Cport), (accepted.State, accepted.LocalPort, accepted.RemotePort));
        Assert.Equal(5000ul, accepted.Tcp!.Value.BytesReceived);

        var tcp6 = client.Dump(AddressFamily.InterNetworkV6, SocketProtocol.Tcp);
        var listener6 = Assert.Single(tcp6);
        Assert.Equal((sockets.L6, SocketState.Listen, IPAddress.IPv6Loopback, (ushort)7002), (listener6.Inode, listener6.State, listener6.LocalAddress, listener6.LocalPort));
        Assert.True(listener6.IsIPv6);

        var udp4 = client.Dump(AddressFamily.InterNetwork, SocketProtocol.Udp);
        Assert.Equal(2, udp4.Count);
        var bound = Assert.Single(udp4, e => e.Inode == sockets.U4);
        Assert.Equal((SocketState.Close, Loopback4, (ushort)7003, 65534u), (bound.State, bound.LocalAddress, bound.LocalPort, bound.Uid));
        Assert.Null(bound.Tcp);
        var connectedUdp = Assert.Single(udp4, e => e.Inode == sockets.Uc);
        Assert.Equal((SocketState.Established, (ushort)sockets.Ucport, (ushort)7003), (connectedUdp.State, connectedUdp.LocalPort, connectedUdp.RemotePort));

        var udp6 = Assert.Single(client.Dump(AddressFamily.InterNetworkV6, SocketProtocol.Udp));
        Assert.Equal((sockets.U6, IPAddress.IPv6Loopback, (ushort)7004), (udp6.Inode, udp6.LocalAddress, udp6.LocalPort));
    }

    [Fact]
    public async Task Inodes_match_the_socket_links_in_proc_fd()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        var (_, sockets) = await StartSocketsAsync(ns);
        using var client = NetworkNamespaceScope.Run(ns.Name, () => new SockDiagClient());

        var links = Directory.GetFiles($"/proc/{sockets.Pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Where(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(target => ulong.Parse(target!["socket:[".Length..^1]))
            .ToHashSet();
        var dumped = client.Dump(AddressFamily.InterNetwork, SocketProtocol.Tcp)
            .Concat(client.Dump(AddressFamily.InterNetworkV6, SocketProtocol.Tcp))
            .Concat(client.Dump(AddressFamily.InterNetwork, SocketProtocol.Udp))
            .Concat(client.Dump(AddressFamily.InterNetworkV6, SocketProtocol.Udp))
            .Select(e => e.Inode).ToList();
        Assert.Equal(7, dumped.Count);
        Assert.All(dumped, inode => Assert.Contains(inode, links));
    }

    [Fact]
    public async Task Looks_up_both_ends_of_an_established_TCP_connection_by_5_tuple()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        var (_, sockets) = await StartSocketsAsync(ns);
        using var client = NetworkNamespaceScope.Run(ns.Name, () => new SockDiagClient());
        var clientEnd = new IPEndPoint(Loopback4, sockets.Cport);
        var serverEnd = new IPEndPoint(Loopback4, 7001);

        var connecting = client.Lookup(SocketProtocol.Tcp, clientEnd, serverEnd, withTcpCounters: true);
        Assert.NotNull(connecting);
        Assert.Equal((sockets.C, SocketState.Established), (connecting.Inode, connecting.State));
        Assert.True(connecting.Tcp!.Value.BytesSent >= 5000);

        var accepted = client.Lookup(SocketProtocol.Tcp, serverEnd, clientEnd);
        Assert.Equal(sockets.S, accepted?.Inode);

        Assert.Null(accepted!.Tcp);
        Assert.Null(client.Lookup(SocketProtocol.Tcp, clientEnd, new IPEndPoint(Loopback4, 9)));

        var v6 = client.Lookup(SocketProtocol.Tcp, new IPEndPoint(IPAddress.IPv6Loopback, 7002), new IPEndPoint(IPAddress.IPv6Any, 0));
        Assert.Equal(sockets.L6, v6?.Inode);
    }

    [Fact]
    public async Task Lookup_of_a_protocol_without_diag_module_says_unsupported_instead_of_not_found()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        using var client = NetworkNamespaceScope.Run(ns.Name, () => new SockDiagClient());
        var local = new IPEndPoint(Loopback4, 1);
        var remote = new IPEndPoint(Loopback4, 2);
        try
        {
            client.Dump(AddressFamily.InterNetwork, SocketProtocol.Raw);
            Assert.Null(client.Lookup(SocketProtocol.Raw, local, remote)); // raw_diag present: plain "not found"
        }
        catch (SockDiagUnsupportedException)
        {
            var ex = Assert.Throws<SockDiagUnsupportedException>(() => client.Lookup(SocketProtocol.Raw, local, remote));
            Assert.Contains("raw_diag", ex.Message);
            Assert.Equal("ENOENT", ex.ErrnoName);
        }
        Assert.Null(client.Lookup(SocketProtocol.Tcp, local, remote)); // the client is still usable
    }

    [Fact]
    public async Task Looks_up_a_SYN_SENT_socket_like_the_daemon_does_for_a_queued_SYN()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        // A veth whose peer stays down: ARP for 10.99.0.2 never resolves, the SYN is never answered
        // and the socket stays SYN_SENT (no dummy module on our test kernel).
        await ns.ExecCheckedAsync("ip", "link", "add", "og-a", "type", "veth", "peer", "name", "og-b");
        await ns.ExecCheckedAsync("ip", "addr", "add", "10.99.0.1/24", "dev", "og-a");
        await ns.ExecCheckedAsync("ip", "link", "set", "og-a", "up");
        var process = ns.Start("python3", "-c",
            "import socket,os,sys\n" +
            "s=socket.socket(); s.setblocking(False)\n" +
            "try: s.connect(('10.99.0.2', 443))\n" +
            "except BlockingIOError: pass\n" +
            "print(s.getsockname()[1], os.readlink('/proc/self/fd/%d' % s.fileno())[8:-1], flush=True)\n" +
            "sys.stdin.read()");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var fields = (await process.StandardOutput.ReadLineAsync(timeout.Token))!.Split(' ');
        using var client = NetworkNamespaceScope.Run(ns.Name, () => new SockDiagClient());

        var found = client.Lookup(SocketProtocol.Tcp, new IPEndPoint(IPAddress.Parse("10.99.0.1"), int.Parse(fields[0])), new IPEndPoint(IPAddress.Parse("10.99.0.2"), 443));
        Assert.NotNull(found);
        Assert.Equal((SocketState.SynSent, ulong.Parse(fields[1]), 0u), (found.State, found.Inode, found.Uid));
    }

    [Fact]
    public async Task Looks_up_a_connected_UDP_socket_by_5_tuple()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        var (_, sockets) = await StartSocketsAsync(ns);
        using var client = NetworkNamespaceScope.Run(ns.Name, () => new SockDiagClient());

        var found = client.Lookup(SocketProtocol.Udp, new IPEndPoint(Loopback4, sockets.Ucport), new IPEndPoint(Loopback4, 7003));
        Assert.Equal(sockets.Uc, found?.Inode);
        Assert.Equal(SocketState.Established, found?.State);
        // The unconnected server socket bound to 7003 matches any peer.
        Assert.Equal(sockets.U4, client.Lookup(SocketProtocol.Udp, new IPEndPoint(Loopback4, 7003), new IPEndPoint(Loopback4, 4242))?.Inode);
        Assert.Null(client.Lookup(SocketProtocol.Udp, new IPEndPoint(Loopback4, 1), new IPEndPoint(Loopback4, 2)));
    }

    [Fact]
    public async Task Raw_and_UDP_lite_are_listed_or_reported_unsupported_with_the_fix()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        var (_, sockets) = await StartSocketsAsync(ns);
        using var client = NetworkNamespaceScope.Run(ns.Name, () => new SockDiagClient());

        foreach (var (protocol, expected) in new[] { (SocketProtocol.Raw, sockets.Raw), (SocketProtocol.UdpLite, sockets.Lite) })
        {
            try
            {
                var entries = client.Dump(AddressFamily.InterNetwork, protocol);
                if (expected is not null) Assert.Contains(entries, e => e.Inode == expected && e.Protocol == protocol);
                TestContext.Current.TestOutputHelper?.WriteLine($"{protocol}: {entries.Count} sockets listed");
            }
            catch (SockDiagUnsupportedException ex)
            {
                Assert.Equal(protocol, ex.Protocol);
                Assert.Equal(AddressFamily.InterNetwork, ex.Family);
                Assert.Contains("modprobe inet_diag", ex.Message);
                Assert.Contains("IPv4 " + protocol, ex.Message);
                TestContext.Current.TestOutputHelper?.WriteLine($"{protocol}: {ex.Message}");
            }
        }
    }

    [Fact]
    public async Task A_reply_larger_than_the_buffer_is_reported_and_the_retry_succeeds()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        var (_, sockets) = await StartSocketsAsync(ns, extraUdpSockets: 200);
        using var client = NetworkNamespaceScope.Run(ns.Name, () => new SockDiagClient(receiveBufferSize: 256));

        var ex = Assert.Throws<NetlinkException>(() => client.Dump(AddressFamily.InterNetwork, SocketProtocol.Udp));
        Assert.Contains("exceeded the 256-byte receive buffer", ex.Message);
        // The rest of the aborted dump is still queued: the retry skips it by sequence number.
        var entries = client.Dump(AddressFamily.InterNetwork, SocketProtocol.Udp);
        Assert.Equal(202, entries.Count);
        Assert.Contains(entries, e => e.Inode == sockets.U4);
    }

    [Fact]
    public async Task A_dump_abandoned_by_its_handler_does_not_block_the_next_one_with_EBUSY()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        await StartSocketsAsync(ns, extraUdpSockets: 500);
        using var socket = NetworkNamespaceScope.Run(ns.Name, () => new NetlinkSocket(NetlinkConstants.NETLINK_SOCK_DIAG));
        var request = new byte[InetDiagRequest.Size];

        InetDiagRequest.WriteDump(request, socket.NextSequence(), SockDiagConstants.AF_INET, SockDiagConstants.IPPROTO_UDP, 0);
        Assert.Throws<InvalidOperationException>(() =>
            socket.Request(request, "dump", static (in NetlinkMessage _, int _) => throw new InvalidOperationException("stop"), 0));

        InetDiagRequest.WriteDump(request, socket.NextSequence(), SockDiagConstants.AF_INET, SockDiagConstants.IPPROTO_UDP, 0);
        Assert.Equal(502, socket.Request(request, "dump", static (in NetlinkMessage _, int _) => { }, 0));
    }

    [Fact]
    public async Task A_client_made_on_the_host_does_not_see_the_namespace_sockets()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        var (_, sockets) = await StartSocketsAsync(ns);
        using var host = new SockDiagClient();
        Assert.DoesNotContain(host.Dump(AddressFamily.InterNetwork, SocketProtocol.Tcp), e => e.Inode == sockets.L4 || e.Inode == sockets.C);
    }

    [Fact]
    public async Task Dumps_two_thousand_UDP_sockets_and_reports_the_time()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("sd");
        const int Extra = 2000;
        var (_, sockets) = await StartSocketsAsync(ns, Extra);
        using var client = NetworkNamespaceScope.Run(ns.Name, () => new SockDiagClient());

        var count = client.Dump(AddressFamily.InterNetwork, SocketProtocol.Udp).Count; // warm-up
        Assert.Equal(Extra + 2, count);
        var watch = Stopwatch.StartNew();
        const int Rounds = 10;
        for (var i = 0; i < Rounds; i++) Assert.Equal(count, client.Dump(AddressFamily.InterNetwork, SocketProtocol.Udp).Count);
        var perDump = watch.Elapsed / Rounds;

        var lookup = (Local: new IPEndPoint(Loopback4, sockets.Cport), Remote: new IPEndPoint(Loopback4, 7001));
        client.Lookup(SocketProtocol.Tcp, lookup.Local, lookup.Remote);
        const int Lookups = 10_000;
        watch.Restart();
        for (var i = 0; i < Lookups; i++) Assert.NotNull(client.Lookup(SocketProtocol.Tcp, lookup.Local, lookup.Remote));
        var perLookup = watch.Elapsed / Lookups;

        var report = $"dump of {count} UDP sockets: {perDump.TotalMilliseconds:0.00} ms ({perDump.TotalNanoseconds / count:0} ns/socket); TCP exact lookup: {perLookup.TotalMicroseconds:0.0} µs";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        TestContext.Current.SendDiagnosticMessage(report);
        Assert.True(perDump < TimeSpan.FromSeconds(1), report);
    }
}
