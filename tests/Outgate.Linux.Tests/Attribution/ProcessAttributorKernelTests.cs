using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Outgate.Linux.Attribution;
using Outgate.Linux.Queue;
using Outgate.Linux.Tests.Queue;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Attribution;

/// <summary>
/// Attribution of queued packets in a namespace: the queue and sock_diag sockets live in the
/// client namespace, the proc connector in the host's (where the test runs), as in the daemon.
/// </summary>
public class ProcessAttributorKernelTests
{
    private static readonly QueueRuleOptions Rules = new() { QueueCount = 1 };
    private const string Python = "/usr/bin/python3";

    private static string PythonPath => new FileInfo(Python).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Python;

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>
    /// Answers every queued packet with allow, attributing it first; the results by source port.
    /// The attributor is warmed up first (JIT, sock_diag probes), as it is in a running daemon.
    /// </summary>
    private static QueueRunner AttributingRunner(QueueTestBed bed, ProcessAttributor attributor, ConcurrentDictionary<ushort, ProcessAttribution> results)
    {
        foreach (var protocol in (byte[])[6, 17])
            attributor.Attribute(TestFlows.Outgoing(protocol, new IPEndPoint(bed.ClientAddress, 9), new IPEndPoint(bed.ServerAddress, 9)), hasUid: true, 0, 0);
        return new(bed.Client.Name, Rules.QueueNumbers,
            (_, p) => (NfQueueVerdict.Accept, QueueVerdictMark.Default.For(p.Mark, AppVerdict.Allow)),
            flow =>
            {
                var attribution = attributor.Attribute(flow, hasUid: true, 0, 0); // the runner does not pass NFQA_UID on; the senders are root
                results[flow.SourcePort] = attribution;
                return attribution;
            });
    }

    [Fact]
    public async Task A_one_shot_connect_that_exits_at_once_is_attributed_with_its_executable_hash_and_parent()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8200);
        using var attributor = ProcessAttributor.Open(bed.Client.Name);
        using var feed = new ProcEventFeed(attributor);
        var results = new ConcurrentDictionary<ushort, ProcessAttribution>();
        using var runner = AttributingRunner(bed, attributor, results);

        var run = await bed.Client.ExecAsync(Python, "-c",
            "import os,socket,sys; s=socket.create_connection((sys.argv[1],8200),timeout=5); print(os.getpid(), s.getsockname()[1])",
            bed.ServerAddress.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var fields = run.StdOut.Split(' ', StringSplitOptions.TrimEntries);
        var (pid, port) = (int.Parse(fields[0]), ushort.Parse(fields[1]));

        var found = Assert.Contains(port, results);
        Assert.NotEqual(AttributionSource.UidOnly, found.Source);
        Assert.Equal(pid, found.Pid);
        Assert.Equal(PythonPath, found.ExecutablePath);
        Assert.Equal(Sha256Of(PythonPath), found.Sha256);
        Assert.Contains("create_connection", found.CommandLine);
        Assert.Equal(Environment.ProcessPath, found.ParentExecutablePath); // ip netns exec became python in place: we are the parent
        Assert.Equal((0u, "root"), (found.Uid, found.UserName));
        Assert.NotNull(found.CgroupPath);
        Assert.False(await ProcessIsAlive(pid)); // gone, yet attributed
    }

    [Fact]
    public async Task A_UDP_sender_that_exits_right_after_sendto_is_attributed()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        using var attributor = ProcessAttributor.Open(bed.Client.Name);
        using var feed = new ProcEventFeed(attributor);
        var results = new ConcurrentDictionary<ushort, ProcessAttribution>();
        using var runner = AttributingRunner(bed, attributor, results);

        var run = await bed.Client.ExecAsync(Python, "-c",
            "import os,socket,sys; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('0.0.0.0',0)); "
            + "print(os.getpid(), s.getsockname()[1], flush=True); s.sendto(b'x',(sys.argv[1],8201)); os._exit(0)",
            bed.ServerAddress.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var fields = run.StdOut.Split(' ', StringSplitOptions.TrimEntries);
        var (pid, port) = (int.Parse(fields[0]), ushort.Parse(fields[1]));

        var deadline = Environment.TickCount64 + 3000;
        while (!results.ContainsKey(port) && Environment.TickCount64 < deadline) await Task.Delay(10, TestContext.Current.CancellationToken);
        var found = Assert.Contains(port, results);
        // Either the socket was still there (a warm daemon is that fast) or it was closed and the exiting sender was inferred.
        // The socket is gone before the packet is looked at, so the sender is inferred from the
        // processes that just exited; when other tests' processes exit in the same instant the
        // attributor rightly refuses to guess (uid only). That is a correct answer, not a failure.
        // Under heavy load the exit event can also arrive after the lookup gave up: the attributor
        // then says "uid only" rather than guess. Declining is allowed; a wrong pid never is.
        if (found.Source == AttributionSource.UidOnly)
            Assert.Skip($"the attributor declined to guess (exits at the same instant, or the exit event came late): {found} {attributor.Counters}");
        Assert.True(pid == found.Pid, $"{found} {attributor.Counters}");
        Assert.Contains(found.Source, (AttributionSource[])[AttributionSource.RecentExit, AttributionSource.RecentProcessScan, AttributionSource.InodeCache, AttributionSource.FullScan]);
        // The right pid, but the process was gone before /proc/PID/exe could be read (seen at load average 33):
        // unknown, never wrong.
        if (found.ExecutablePath is null)
            Assert.Skip($"the sender was attributed by pid but exited before its executable could be read: {found} {attributor.Counters}");
        Assert.Equal(PythonPath, found.ExecutablePath);
        Assert.Contains("SOCK_DGRAM", found.CommandLine);
    }

    [Fact]
    public async Task Cache_hits_take_microseconds()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(rules: null, staticTable: false);
        bed.Listen(8202);
        using var attributor = ProcessAttributor.Open(bed.Client.Name);
        var (socket, error, _) = await bed.ConnectAsync(8202, TimeSpan.FromSeconds(5));
        Assert.Equal(SocketError.Success, error);
        using (socket)
        {
            var flow = TestFlows.Outgoing(6, (IPEndPoint)socket!.LocalEndPoint!, (IPEndPoint)socket.RemoteEndPoint!);
            var first = attributor.Attribute(flow, hasUid: true, 0, 0);
            Assert.Equal(Environment.ProcessId, first.Pid);
            Assert.Equal(AttributionSource.FullScan, first.Source); // no proc connector here: the fallback
            Assert.Equal("root", first.GroupName);
            using (var diag = Outgate.Linux.Netlink.NetworkNamespaceScope.Run(bed.Client.Name, () => new Outgate.Linux.SockDiag.SockDiagClient()))
            {
                var entry = diag.Lookup(Outgate.Linux.SockDiag.SocketProtocol.Tcp, (IPEndPoint)socket.LocalEndPoint!, (IPEndPoint)socket.RemoteEndPoint!);
                Assert.True(diag.TryLookupOwner(flow, out var owner));
                Assert.Equal((entry!.Inode, entry.Uid, entry.State), (owner.Inode, owner.Uid, owner.State));
                Assert.Equal(first.SocketInode, owner.Inode);
            }

            const int lookups = 1000;
            var micros = new double[lookups];
            var sources = new AttributionSource[lookups];
            for (var i = 0; i < lookups; i++)
            {
                var result = attributor.Attribute(flow, hasUid: true, 0, 0);
                sources[i] = result.Source;
                micros[i] = result.Elapsed.TotalMicroseconds;
            }
            Assert.All(sources, s => Assert.Equal(AttributionSource.InodeCache, s));
            // Allocation after warm-up (the first loop also pays for tiered JIT's call counting).
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < lookups; i++) attributor.Attribute(flow, hasUid: true, 0, 0);
            var bytesPerLookup = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / lookups;
            Array.Sort(micros);
            var (p50, p99) = (micros[lookups / 2], micros[lookups * 99 / 100]);
            var line = $"attribution cache hit over {lookups} lookups: p50 {p50:0.0} µs, p99 {p99:0.0} µs, max {micros[^1]:0.0} µs, {bytesPerLookup} B allocated per lookup";
            TestContext.Current.TestOutputHelper?.WriteLine(line);
            TestContext.Current.AddAttachment("attribution-latency", line);
            Assert.True(p50 < 50, line);
            Assert.True(bytesPerLookup < 64, line); // 0 measured: sock_diag request, cache and result are all allocation-free
            Assert.Equal(2 * lookups, attributor.Counters.InodeCacheHits);

            // Two queue threads share one attributor.
            var pids = new ConcurrentBag<int>();
            var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
            {
                for (var i = 0; i < 500; i++) pids.Add(attributor.Attribute(flow, hasUid: true, 0, 0).Pid);
            })).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(10)));
            Assert.Equal(1000, pids.Count);
            Assert.All(pids, p => Assert.Equal(Environment.ProcessId, p));
        }
    }

    [Fact]
    public async Task A_long_lived_clients_connections_are_found_by_probing_the_fd_numbers_it_reuses()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8203);
        using var attributor = ProcessAttributor.Open(bed.Client.Name);
        var results = new ConcurrentDictionary<ushort, ProcessAttribution>();
        using var runner = AttributingRunner(bed, attributor, results);

        const int connections = 100;
        var ports = new List<ushort>();
        for (var i = 0; i < connections; i++)
        {
            var (socket, error, _) = await bed.ConnectAsync(8203, TimeSpan.FromSeconds(5));
            Assert.Equal(SocketError.Success, error);
            ports.Add((ushort)((IPEndPoint)socket!.LocalEndPoint!).Port);
            socket.Dispose(); // frees the fd number for the next connection
        }

        var counters = attributor.Counters;
        foreach (var port in ports)
        {
            var found = Assert.Contains(port, results);
            Assert.True(Environment.ProcessId == found.Pid, $"{found} {counters}");
        }
        // This test host runs other tests at once and they open fds too, so some connections land
        // on a number not guessed (then the table read finds them): most must not need it, none a /proc scan after the first.
        Assert.True(counters.BusyProbeHits >= connections / 4, counters.ToString());
        Assert.True(counters.FullScans <= 2, counters.ToString());
    }

    [Fact]
    public async Task A_vanished_socket_is_uid_only_with_the_packets_ids()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("au");
        using var attributor = ProcessAttributor.Open(ns.Name);
        var flow = TestFlows.Outgoing(6, new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 9));
        var result = attributor.Attribute(flow, hasUid: true, 65534, 65534);
        Assert.Equal((AttributionSource.UidOnly, 0, 65534u, 0ul), (result.Source, result.Pid, result.Uid, result.SocketInode));
        Assert.Equal("nobody", result.UserName);
        Assert.Null(result.ExecutablePath);
        var icmp = attributor.Attribute(TestFlows.Outgoing(1, new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0)), false, 0, 0);
        Assert.Equal(AttributionSource.UidOnly, icmp.Source);
    }

    private static async Task<bool> ProcessIsAlive(int pid)
    {
        for (var i = 0; i < 50 && Directory.Exists($"/proc/{pid}"); i++) await Task.Delay(10, TestContext.Current.CancellationToken);
        return Directory.Exists($"/proc/{pid}");
    }
}
